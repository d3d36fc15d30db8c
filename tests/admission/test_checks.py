"""Flags and working days, against independently computed expectations."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.admission.calendar import WorkCalendar, due_at, is_late
from registry.catalog.similarity import dice, similarity
from tests.admission.helpers import add_body
from tests.conftest import bearer

HOLIDAYS = {
    date(2026, 10, 1): "holiday",
    date(2026, 10, 2): "holiday",
    date(2026, 10, 5): "holiday",
    date(2026, 10, 6): "holiday",
    date(2026, 10, 7): "holiday",
    date(2026, 10, 10): "workday",
}


def naive_working_day(day: date) -> bool:
    kind = HOLIDAYS.get(day)
    return kind == "workday" if kind else day.isoweekday() <= 5


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 11, 30)), st.integers(min_value=1, max_value=40))
def test_add_working_days_counts_exactly_n_working_days(start, n):
    result = WorkCalendar(HOLIDAYS).add_working_days(start, n)
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(naive_working_day(d) for d in days) == n and naive_working_day(result)


def test_similarity_measure():
    assert similarity("行政执法", "", "行政执法", "") == 1.0
    # A rewording of the negative-list item: every word of its title is in the request (bigram Dice was only 0.5).
    assert similarity("协助开展行政执法工作", "", "行政执法", "") == 1.0
    assert similarity("要求村（社区）自建政务App", "", "要求村（社区）自建政务App或群组打卡", "") > 0.6
    assert similarity("不予出具：亲属关系证明", "", "不予出具：婚姻状况证明", "") == 0
    assert dice(frozenset({"ab"}), frozenset()) == 0


def test_due_date_and_late_filing_on_the_seeded_calendar(db):
    with db.read() as session:
        # Submitted Wednesday 2026-09-30 (Shanghai); National Day 10-01..10-08 with make-up days 09-27? use table
        submitted = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
        due = due_at(session, submitted)
        local = due.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        assert (local.hour, local.minute, local.second, local.microsecond) == (23, 59, 59, 999999)
        assert local.date() > date(2026, 10, 20)  # the holiday week does not count
        assert is_late(session, date(2026, 6, 1), date(2026, 6, 10))
        assert not is_late(session, date(2026, 6, 1), date(2026, 9, 1))


def test_flags_are_raised_and_named(client, db):
    clerk = bearer(db, "yjj_clerk")
    body = add_body(
        title="行政执法",
        category="assisting",
        legal_basis="",
        start_date="2020-01-01",
        funding={"provided": False, "amount_yuan_per_year": 0, "source": ""},
    )
    item = client.post("/api/v1/requests", json=body, headers=clerk).json()
    kinds = {f["kind"]: f for f in item["flags"]}
    assert set(kinds) >= {"negative_list", "no_funding", "no_legal_basis", "late_filing"}
    assert kinds["negative_list"]["duty_code"] == "D00094"
    assert "D00094" in kinds["negative_list"]["message"] and "相似" in kinds["negative_list"]["message"]
    duplicate = client.post("/api/v1/requests", json=add_body(title="人民调解"), headers=clerk).json()
    assert [(f["kind"], f.get("duty_code")) for f in duplicate["flags"]] == [("duplicate", "D00006")]
    clean = client.post("/api/v1/requests", json=add_body(), headers=clerk).json()
    assert clean["flags"] == []
    # flags are recomputed when the request is saved
    fixed = client.patch(
        f"/api/v1/requests/{item['id']}",
        json={"title": "协助开展地震应急避险演练", "legal_basis": "《防震减灾法》"},
        headers=clerk,
    ).json()
    assert {f["kind"] for f in fixed["flags"]} == {"no_funding", "late_filing"}
