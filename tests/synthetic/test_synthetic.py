"""`registry seed --synthetic county`: builds, verifies, is deterministic and marked, refuses a database that
holds data, records the catalog exactly as record_change does, and the real API serves each sampled village
the list the plan's oracle expects. (The national scale: tests/perf/national.py, outside make test.)"""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import text
from sqlmodel import select

from registry.app import create_app
from registry.catalog.models import Duty, DutyVersion
from registry.db import Database
from registry.migrations.runner import upgrade
from registry.regions.models import Department, Region
from registry.settings import Settings
from registry.synthetic import plan
from registry.synthetic.build import build
from tests.conftest import HOST, PG_URL, _pg_exec, _pg_url_for
from tests.synthetic.oracle import Oracle
from tests.test_cli import OK_LINE, cli, ok

SEED = 7


@pytest.fixture(scope="module")
def built_sets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The synthetic county set of seed SEED, built by the command once per backend (the tests only read it)."""
    made: dict[str, str] = {}
    created_pg: list[str] = []

    def get(backend: str) -> str:
        if backend not in made:
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('synthetic') / 'county.db'}"
            else:
                if not PG_URL:
                    pytest.skip("PostgreSQL: set REGISTRY_TEST_DATABASE_URL to run")
                name = f"registry_s_{uuid.uuid4().hex[:10]}"
                _pg_exec(f'CREATE DATABASE "{name}"')
                created_pg.append(name)
                url = _pg_url_for(name)
            upgrade(url)
            result = ok(cli(url, tmp_path_factory.getbasetemp(), "seed", "--synthetic", "county", "--seed", str(SEED)))
            assert "items" in result.stdout and "synthetic county" not in result.stderr  # no bar off a terminal
            made[backend] = url
        return made[backend]

    yield get  # type: ignore[misc]
    for name in created_pg:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def built(backend: str, built_sets) -> str:  # type: ignore[no-untyped-def]
    return built_sets(backend)


def _rows(url: str, statement: str) -> list[tuple]:
    database = Database(url)
    try:
        with database.read() as session:
            return [tuple(row) for row in session.execute(text(statement))]
    finally:
        database.dispose()


def test_county_set_verifies_and_a_second_run_is_refused(built: str, tmp_path: Path) -> None:
    assert OK_LINE.search(ok(cli(built, tmp_path, "ledger", "verify")).stdout)
    before = _rows(built, "SELECT count(*) FROM regions UNION ALL SELECT count(*) FROM ledger_entries")
    again = cli(built, tmp_path, "seed", "--synthetic", "county", "--seed", str(SEED + 1))
    assert again.returncode != 0 and "空数据库" in again.stderr
    assert _rows(built, "SELECT count(*) FROM regions UNION ALL SELECT count(*) FROM ledger_entries") == before


def test_a_seeded_database_is_refused_and_left_as_it_was(database_url: str, tmp_path: Path) -> None:
    count = "SELECT count(*) FROM regions UNION ALL SELECT count(*) FROM ledger_entries UNION ALL " \
            "SELECT count(*) FROM departments"
    before = _rows(database_url, count)
    result = cli(database_url, tmp_path, "seed", "--synthetic", "county")
    assert result.returncode != 0 and "空数据库" in result.stderr
    assert _rows(database_url, count) == before


def test_the_database_holds_the_plan_every_name_marked(built: str) -> None:
    """Same seed → the plan (a pure function, checked twice) → the rows; another seed → other codes and items."""
    regions = plan.regions("county", SEED)
    assert regions == plan.regions("county", SEED)
    other = plan.regions("county", SEED + 1)
    assert {r.code for r in other} != {r.code for r in regions}
    items = list(plan.items("county", SEED, regions))
    assert [(i.code, i.scope) for i in items] != [(i.code, i.scope) for i in plan.items("county", SEED + 1, other)]
    stored = _rows(built, "SELECT code, name, level, kind FROM regions ORDER BY code")
    assert stored == sorted((r.code, r.name, str(r.level), str(r.kind)) for r in regions)
    assert all(plan.MARK in name for _code, name, _level, _kind in stored)
    assert int(regions[0].code[:2]) in plan.PROVINCE_CODES and all(len(c) == 12 and c.isdigit() for c, *_ in stored)
    database = Database(built)
    try:
        with database.read() as session:
            duties = sorted((code, v.title, v.applies_to) for code, v in session.exec(
                select(Duty.code, DutyVersion).join(DutyVersion, DutyVersion.duty_id == Duty.id)))
            departments = list(session.exec(select(Department.name)))
            scopes = {r.id: r.code for r in session.exec(select(Region))}
            scoped = sorted((code, scopes[s]) for code, s in session.exec(
                select(Duty.code, DutyVersion.scope_region_id).join(DutyVersion, DutyVersion.duty_id == Duty.id)))
    finally:
        database.dispose()
    assert [(c, a) for c, _t, a in duties] == sorted((i.code, str(i.applies_to)) for i in items)
    assert scoped == sorted((i.code, i.scope) for i in items)
    county_items = [i for i in items if i.owner == next(r.code for r in regions if r.level == "county")]
    assert 150 <= len(county_items) <= 300 and len(items) > len(county_items)
    assert all(plan.MARK in title for _c, title, _a in duties) and departments
    assert all(plan.MARK in name for name in departments)


def test_a_village_list_served_by_the_api_equals_the_oracle(built: str, tmp_path: Path) -> None:
    oracle = Oracle("county", SEED)
    settings = Settings(database_url=built, secret_key="test-secret-" + "x" * 40, var_dir=tmp_path / "var",
                        allowed_hosts=("127.0.0.1", "localhost"))
    database = Database(built)
    try:
        with TestClient(create_app(settings, database), base_url=f"http://{HOST}") as client:
            sample = oracle.sample(12, seed=SEED)
            kinds = {oracle.by_code[c].kind for c in sample}
            assert len(kinds) == 2, "the sample should hold both 村 and 社区"
            for code in sample:
                response = client.get(f"/api/v1/regions/{code}/duties")
                assert response.status_code == 200, response.text
                served = sorted(d["code"] for d in response.json()["duties"])
                assert served == oracle.expected(code), code
                assert served, "every sampled village has items (county-wide ones at least)"
    finally:
        database.dispose()


def test_bulk_entries_equal_those_record_change_makes(empty_database_url: str, tmp_path: Path) -> None:
    """The bulk path on the backend under test against record_change and replace_caps on SQLite: the same
    entries, in order, and the same versions (search columns included) and caps; only recorded_at, hence the
    hashes, may differ."""
    reference = f"sqlite:///{tmp_path / 'record_change.db'}"
    for url, slow in ((empty_database_url, False), (reference, True)):
        upgrade(url)
        database = Database(url)
        try:
            build(database, "county", SEED, via_record_change=slow)
        finally:
            database.dispose()
    entries = "SELECT seq, kind, payload FROM ledger_entries ORDER BY seq"
    bulk, each = _rows(empty_database_url, entries), _rows(reference, entries)
    assert len(bulk) == len(each) > 150
    assert bulk == each
    assert json.loads(bulk[0][2])["duty"]["title"].endswith(plan.MARK)
    columns = ("SELECT d.code, v.version, v.status, v.change, v.from_edition, v.to_edition, v.search_text, "
               "v.search_reach, v.search_title, v.search_words, v.hours_tenths, v.review_by, v.department_id "
               "FROM duty_versions v JOIN duties d ON d.id = v.duty_id ORDER BY d.code")
    assert _rows(empty_database_url, columns) == _rows(reference, columns)
    caps = "SELECT r.code, c.field, c.maximum FROM budget_caps c JOIN regions r ON r.id = c.region_id ORDER BY 1, 2"
    assert _rows(empty_database_url, caps) == _rows(reference, caps) and len(_rows(reference, caps)) > 5
    assert bulk[-1][1] == "budget.changed"
