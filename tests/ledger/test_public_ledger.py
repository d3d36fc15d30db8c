"""The ledger: its API, the standalone verifier (live and as a property), `registry ledger verify`, triggers."""

import copy
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from registry.ledger import verifier
from tests.conftest import ROOT

VERIFIER = ROOT / "registry" / "ledger" / "verifier.py"


def download(client) -> list[dict]:  # type: ignore[no-untyped-def]
    entries, after = [], 0
    while True:
        batch = client.get("/api/v1/ledger", params={"after": after, "limit": 40}).json()["entries"]
        entries += batch
        if len(batch) < 40:
            return entries
        after = batch[-1]["seq"]


def test_ledger_api_pages_and_head(client):
    body = client.get("/api/v1/ledger").json()
    assert body["head"]["seq"] == 98 and body["head"]["alg"] == "sha256"
    assert [e["seq"] for e in body["entries"]] == list(range(1, 99))
    tail = client.get("/api/v1/ledger", params={"after": 95, "limit": 2}).json()["entries"]
    assert [e["seq"] for e in tail] == [96, 97]
    assert set(tail[0]) == {"seq", "recorded_at", "kind", "payload", "prev_hash", "hash"}
    assert client.get("/api/v1/ledger", params={"limit": 1000}).status_code == 200


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "1001"}, {"limit": "x"}, {"after": "-1"},
                                    {"after": "1.5"}])
def test_bad_ledger_parameters(client, params):
    response = client.get("/api/v1/ledger", params=params)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_standalone_verifier_accepts_the_live_ledger(live_server):
    done = subprocess.run([sys.executable, str(VERIFIER), live_server, "--catalog"], capture_output=True, text=True,
                          timeout=120, env={"PATH": os.environ.get("PATH", "")})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok seq=98 hash=")


FIELDS = ("seq", "recorded_at", "kind", "payload", "prev_hash", "hash")


def tamper(value, data):  # type: ignore[no-untyped-def]
    """Change one character (or digit) of a field's value, somewhere inside it."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + data.draw(st.sampled_from([-1, 1, 10]))
    if isinstance(value, float):
        return value + 0.5
    if value is None:
        return "x"
    if isinstance(value, str):
        if not value:
            return "x"
        i = data.draw(st.integers(0, len(value) - 1))
        replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != value[i]))
        return value[:i] + replacement + value[i + 1:]
    if isinstance(value, list):
        if not value:
            return ["x"]
        i = data.draw(st.integers(0, len(value) - 1))
        return value[:i] + [tamper(value[i], data)] + value[i + 1:]
    key = data.draw(st.sampled_from(sorted(value)))
    return {**value, key: tamper(value[key], data)}


@pytest.fixture
def entries(client) -> list[dict]:  # type: ignore[no-untyped-def]
    found = download(client)
    assert verifier.first_problem(found) is None
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_one_change_is_named_by_seq(entries, data):
    changed = copy.deepcopy(entries)
    index = data.draw(st.integers(0, len(changed) - 1))
    field = data.draw(st.sampled_from(FIELDS))
    changed[index][field] = tamper(changed[index][field], data)
    problem = verifier.first_problem(changed)
    assert problem is not None and problem[0] == entries[index]["seq"]


def run_verify(database_url: str, tmp_path) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "REGISTRY_VAR_DIR": str(tmp_path / "var"),
           "REGISTRY_SECRET_KEY": "z" * 48, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "registry", "ledger", "verify"], env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_verify_ok_then_catches_an_edit_behind_the_ledger(db, database_url, tmp_path):
    ok = run_verify(database_url, tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("ok seq=98 hash="), ok.stdout + ok.stderr
    with db.write() as session:
        session.execute(text("UPDATE duty_versions SET title = '篡改的标题' WHERE id = 7"))
    bad = run_verify(database_url, tmp_path)
    assert bad.returncode == 1 and bad.stdout.startswith("bad catalog: "), bad.stdout + bad.stderr


@pytest.mark.parametrize("statement", ["UPDATE ledger_entries SET kind = 'x' WHERE seq = 1",
                                       "DELETE FROM ledger_entries WHERE seq = 98",
                                       "TRUNCATE ledger_entries"])
def test_the_database_refuses_to_change_the_ledger(db, statement):
    if statement.startswith("TRUNCATE") and db.engine.dialect.name == "sqlite":
        statement = "DELETE FROM ledger_entries"  # SQLite has no TRUNCATE; its equivalent must be refused too
    with pytest.raises(Exception), db.write() as session:  # noqa: B017 (the driver's error type differs per backend)
        session.execute(text(statement))
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM ledger_entries")).scalar() == 98
        assert session.execute(text("SELECT kind FROM ledger_entries WHERE seq = 1")).scalar() == "duty.added"


def test_ledger_page_is_newest_first_and_readable(client):
    page = client.get("/ledger")
    assert page.status_code == 200
    assert page.text.index("预算上限调整") < page.text.index("新增事项 D00097")
    second = client.get("/ledger?page=2")
    assert "新增事项 D00001" in second.text
    assert client.get("/ledger?page=9").status_code == 400
    assert client.get("/ledger/1").status_code == 200 and client.get("/ledger/999").status_code == 404


def test_atom_feed(client):
    feed = client.get("/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    import xml.etree.ElementTree as ET

    root = ET.fromstring(feed.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 50
    assert "D00097" in entries[0].find("{http://www.w3.org/2005/Atom}title").text
