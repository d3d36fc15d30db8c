"""The year's figures against an oracle: random reports stored directly, the figures recomputed here from the
rows with a naive calendar read from seed/holidays.csv."""

import csv
import random
import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from registry.regions.models import Department
from registry.reports.models import Report
from registry.reports.services import stats
from registry.timeutil import SHANGHAI
from tests.conftest import ROOT

STATES = ["received", "in_progress", "advanced", "resolved", "dismissed"]
OUTCOMES = ["withdrawn", "admitted", "coordinated", "not_violation"]
SOURCES = ["village", "town", "enterprise", "public"]
YEAR = 2026
NOW = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)


def special_days() -> dict[date, str]:
    with open(ROOT / "seed" / "holidays.csv", encoding="utf-8") as handle:
        return {date.fromisoformat(row["date"]): row["kind"] for row in csv.DictReader(handle)}


def working_days(start: date, end: date, special: dict[date, str]) -> int:
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        kind = special.get(day)
        if kind == "workday" or (kind is None and day.weekday() < 5):
            count += 1
        day += timedelta(days=1)
    return count


def random_reports(rng: random.Random, departments: list[Department]) -> list[Report]:
    rows = []
    for i in range(rng.randint(20, 70)):
        # Some around the year's edges in Shanghai time (UTC 16:00 on 31 Dec is already 1 Jan there).
        created = datetime(rng.choice([YEAR - 1, YEAR, YEAR, YEAR + 1]), rng.randint(1, 12), rng.randint(1, 28),
                           rng.choice([0, 8, 15, 16, 23]), tzinfo=UTC)
        if rng.random() < 0.1:
            created = datetime(YEAR - 1, 12, 31, rng.choice([15, 16, 17]), 30, tzinfo=UTC)
        state = rng.choice(STATES)
        closed = created + timedelta(days=rng.randint(0, 60)) if state in ("resolved", "dismissed") else None
        department = rng.choice([*departments, None])
        rows.append(Report(
            number=f"WT-T-{i:04d}", kind=rng.choice(["unlisted_task", "problem"]), source=rng.choice(SOURCES),
            state=state, department_id=department.id if department else None, title=f"t{i}", description="d",
            asked_on=created.date(), channel="phone", match={}, due_at=created + timedelta(days=rng.randint(1, 30)),
            outcome=rng.choice(OUTCOMES) if state == "resolved" else None, created_at=created, updated_at=created,
            closed_at=closed,
        ))
    return rows


def oracle(rows: list[Report], departments: dict[int, Department], special: dict[date, str]) -> dict:
    def local(value: datetime) -> datetime:
        return value.astimezone(SHANGHAI)
    mine = [r for r in rows if local(r.created_at).year == YEAR]
    count = {s: sum(1 for r in mine if r.state == s) for s in STATES}
    figures = []
    for department_id in {r.department_id for r in mine if r.department_id is not None}:
        theirs = [r for r in mine if r.department_id == department_id]
        resolved = [r for r in theirs if r.state == "resolved"]
        days = [working_days(local(r.created_at).date(), local(r.closed_at).date(), special)  # type: ignore[arg-type]
                for r in resolved]
        figures.append({"code": departments[department_id].code, "name": departments[department_id].name,
                        "collected": len(theirs), "resolved": len(resolved),
                        "withdrawn": sum(1 for r in resolved if r.outcome == "withdrawn"),
                        "median_working_days": float(statistics.median(days)) if days else None})
    figures.sort(key=lambda f: (-f["collected"], f["code"]))
    return {
        "year": YEAR, "collected": len(mine), "resolved": count["resolved"], "advanced": count["advanced"],
        "open": count["received"] + count["in_progress"] + count["advanced"], "dismissed": count["dismissed"],
        "overdue": sum(1 for r in mine if r.state in ("received", "in_progress", "advanced") and r.due_at < NOW),
        "by_outcome": {o: sum(1 for r in mine if r.state == "resolved" and r.outcome == o) for o in OUTCOMES},
        "by_source": {s: sum(1 for r in mine if r.source == s) for s in SOURCES},
        "by_department": figures,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stats_equal_the_oracle(db, seed):
    import msgspec

    rng = random.Random(seed)
    with db.read() as session:
        departments = list(session.exec(select(Department).order_by(Department.code)))[:6]
    with db.write() as session:
        rows = random_reports(rng, departments)
        for row in rows:
            session.add(row)
    with db.read() as session:
        answered = msgspec.to_builtins(stats(session, YEAR, now=NOW))
        stored = list(session.exec(select(Report)))
    for row in stored:  # SQLite hands back naive UTC
        for name in ("created_at", "closed_at", "due_at"):
            value = getattr(row, name)
            if value is not None and value.tzinfo is None:
                setattr(row, name, value.replace(tzinfo=UTC))
    expected = oracle(stored, {d.id: d for d in departments}, special_days())  # type: ignore[misc]
    assert answered == expected


def test_stats_route_is_public_and_checks_the_year(client):
    response = client.get("/api/v1/reports/stats?year=2026")
    assert response.status_code == 200
    assert set(response.json()) == {"year", "collected", "resolved", "advanced", "open", "dismissed", "overdue",
                                    "by_outcome", "by_source", "by_department"}
    assert client.get("/api/v1/reports/stats?year=abc").status_code == 400
    assert client.get("/api/v1/reports/stats?year=99999").status_code == 400
