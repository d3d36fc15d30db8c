"""The seed: Tonglu County with its 14 towns and streets (reference/domain.md §4), villages under each,
the two review stages, the holidays of 2026 and 2027, and a first ledger of 97 duties + 1 budget."""

import re
from datetime import date

import msgspec
from sqlmodel import col, func, select

from registry.admission.models import ReviewStage, ReviewStageDepartment
from registry.ledger.chain import entry_public
from registry.ledger.models import LedgerEntry
from registry.ledger.verifier import first_problem
from registry.regions.models import Department, Holiday, Region
from registry.seeding import load_seed

COUNTY = "330122000000"
# reference/domain.md §4, typed here independently of seed/regions.csv.
TOWNS = {
    "330122002000": "旧县街道",
    "330122003000": "桐君街道",
    "330122004000": "城南街道",
    "330122005000": "凤川街道",
    "330122101000": "富春江镇",
    "330122102000": "横村镇",
    "330122109000": "分水镇",
    "330122110000": "瑶琳镇",
    "330122112000": "百江镇",
    "330122113000": "江南镇",
    "330122201000": "莪山畲族乡",
    "330122202000": "钟山乡",
    "330122204000": "新合乡",
    "330122210000": "合村乡",
}


def test_tonglu_county_and_its_fourteen_towns(db):
    with db.read() as session:
        county = session.exec(select(Region).where(Region.code == COUNTY)).one()
        assert (county.name, county.level, county.parent_id) == ("桐庐县", "county", None)
        towns = session.exec(select(Region).where(Region.parent_id == county.id)).all()
    assert {t.code: t.name for t in towns} == TOWNS
    assert all(t.level == "town" for t in towns)
    kinds = {t.code: t.kind for t in towns}
    assert {kinds[c] for c in TOWNS if TOWNS[c].endswith("街道")} == {"subdistrict"}
    assert {kinds[c] for c in TOWNS if TOWNS[c].endswith("镇")} == {"town"}


def test_every_town_has_at_least_three_villages_with_codes_under_it(db):
    with db.read() as session:
        regions = session.exec(select(Region)).all()
    by_id = {r.id: r for r in regions}
    villages: dict[str, list[Region]] = {code: [] for code in TOWNS}
    for region in regions:
        if region.level == "village":
            parent = by_id[region.parent_id]
            villages[parent.code].append(region)
            assert re.fullmatch(r"\d{12}", region.code)
            assert region.code[:9] == parent.code[:9], f"{region.code} is not under {parent.code}"
            # 2xx for villages (村委会), 1xx for communities (居委会)
            expected_digit = {"village": "2", "community": "1"}[region.kind]
            assert region.code[9] == expected_digit, f"{region.code} ({region.kind})"
    short = {code: len(found) for code, found in villages.items() if len(found) < 3}
    assert not short, f"towns with fewer than three villages or communities: {short}"
    names_seen_in_sources = {"梅蓉村": "330122003000", "芦茨村": "330122101000", "环溪村": "330122113000"}
    for name, town in names_seen_in_sources.items():
        assert name in {v.name for v in villages[town]}, f"{name} missing under {TOWNS[town]}"


def test_two_review_stages_with_their_departments(db):
    with db.read() as session:
        stages = session.exec(select(ReviewStage).order_by(col(ReviewStage.position))).all()
        members = {
            stage.code: set(session.exec(
                select(Department.code).join(ReviewStageDepartment, col(ReviewStageDepartment.department_id)
                                             == col(Department.id)).where(ReviewStageDepartment.stage_id == stage.id)))
            for stage in stages
        }
    assert [s.code for s in stages] == ["substantive", "legality"]
    assert members == {"substantive": {"MZJ", "ZZB"}, "legality": {"SFJ"}}


def test_departments_named_by_the_reference_are_there(db):
    with db.read() as session:
        names = dict(session.exec(select(Department.code, Department.name)).all())
    assert names["MZJ"] == "县民政局"
    assert names["ZZB"] == "县委组织部"
    assert names["SFJ"] == "县司法局"
    assert names["YJJ"] == "县应急管理局"
    assert len(names) >= 20


# The State Council's 2026 schedule, and fixed-date facts for 2027.
OFFICIAL_2026_HOLIDAYS = (
    [date(2026, 1, d) for d in (1, 2, 3)] + [date(2026, 2, d) for d in range(15, 24)]
    + [date(2026, 4, d) for d in (4, 5, 6)] + [date(2026, 5, d) for d in range(1, 6)]
    + [date(2026, 6, d) for d in (19, 20, 21)] + [date(2026, 9, d) for d in (25, 26, 27)]
    + [date(2026, 10, d) for d in range(1, 8)]
)
OFFICIAL_2026_WORKDAYS = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                          date(2026, 9, 20), date(2026, 10, 10)]
FIXED_2027_HOLIDAYS = [date(2027, 1, 1), date(2027, 2, 6), date(2027, 5, 1), date(2027, 10, 1), date(2027, 10, 2),
                       date(2027, 10, 3)]


def test_holidays_of_2026_and_2027(db):
    with db.read() as session:
        rows = {h.day: h.kind for h in session.exec(select(Holiday))}
    holidays_2026 = sorted(d for d, k in rows.items() if d.year == 2026 and k == "holiday")
    workdays_2026 = sorted(d for d, k in rows.items() if d.year == 2026 and k == "workday")
    assert holidays_2026 == OFFICIAL_2026_HOLIDAYS
    assert workdays_2026 == OFFICIAL_2026_WORKDAYS
    for day in FIXED_2027_HOLIDAYS:
        assert rows.get(day) == "holiday", day
    assert sum(1 for d, k in rows.items() if d.year == 2027 and k == "holiday") >= 25
    # A make-up working day is always a Saturday or Sunday.
    assert all(d.weekday() >= 5 for d, k in rows.items() if k == "workday")


def test_first_ledger_is_97_duties_and_one_budget_with_a_valid_chain(db):
    with db.read() as session:
        entries = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))).all()
        public = [msgspec.to_builtins(entry_public(e)) for e in entries]
    assert [e["seq"] for e in public] == list(range(1, 99))
    assert [e["kind"] for e in public] == ["duty.added"] * 97 + ["budget.changed"]
    assert [e["payload"]["duty"]["code"] for e in public[:97]] == [f"D{n:05d}" for n in range(1, 98)]
    assert first_problem(public) is None


def test_a_tampered_entry_is_found_by_the_verifier(db):
    """The oracle above can fail: change one payload and the chain breaks at that entry."""
    with db.read() as session:
        public = [msgspec.to_builtins(entry_public(e))
                  for e in session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq)))]
    public[40]["payload"]["duty"]["title"] += "（改）"
    problem = first_problem(public)
    assert problem is not None and problem[0] == 41


def test_seeding_again_changes_nothing(db):
    def counts() -> dict:
        with db.read() as session:
            return {model.__name__: session.exec(select(func.count()).select_from(model)).one()
                    for model in (Region, Department, ReviewStage, ReviewStageDepartment, Holiday, LedgerEntry)}

    before = counts()
    report = load_seed(db, demo=True)
    assert report.created == {}
    assert str(report) == "seed: nothing to change"
    assert counts() == before
