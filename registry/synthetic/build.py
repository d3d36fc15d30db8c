"""`registry seed --synthetic SCALE [--seed N]`: write the plan of registry.synthetic.plan into an empty database.

Guarantees:
- refuses (SyntheticRefused, nothing written) unless the database holds no region, department, duty or
  ledger entry: a synthetic set never mixes with a real catalog or another set, and is not idempotent —
  run it once, on a freshly migrated database;
- the catalog is recorded as `record_change` records it: each item's version, search columns and
  `duty.added` entry are made by the same functions (registry.synthetic.bulk), only inserted in bulk, so
  `registry ledger verify` passes (tests/synthetic compares the two paths entry by entry);
- bulk inserts in batches, committed batch by batch: an interrupted build leaves a partial set that the
  guard then refuses to extend (start again from an empty database).
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, insert, text
from sqlmodel import Session, select

from registry.admission.models import ReviewStage, ReviewStageDepartment
from registry.catalog.models import Duty
from registry.catalog.search_index import search_key
from registry.choices import N_, RegionLevel
from registry.db import Database
from registry.errors import Conflict
from registry.ledger.models import LedgerEntry
from registry.regions.models import Department, Holiday, Region
from registry.regions.services import DepartmentLookup, IndexedRegion, RegionIndex, forget_regions
from registry.synthetic import plan
from registry.synthetic.bulk import CatalogWriter

BATCH = 10_000
Progress = Callable[[int], None]
STAGES: tuple[tuple[str, str, list[str]], ...] = tuple(tuple(stage) for stage in plan.WORDS["stages"])  # type: ignore


class SyntheticRefused(Conflict):
    message = N_("The synthetic data set needs an empty database; this one already holds regions, departments, "
                 "a catalog or ledger entries.")


@dataclass
class BuildReport:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return "synthetic: " + ", ".join(f"{name} {n:,}" for name, n in self.counts.items())


def work_units(scale: str, seed: int) -> tuple[list[plan.PlanRegion], list[plan.PlanItem]]:
    regions = plan.regions(scale, seed)
    return regions, list(plan.items(scale, seed, regions))


def build(db: Database, scale: str, seed: int, progress: Progress | None = None,
          via_record_change: bool = False) -> BuildReport:
    """Write the set. *progress* is told how many regions or items were written since its last call.
    *via_record_change* records every item through `record_change` and the caps through `replace_caps` (slow; for
    the equivalence test)."""
    tick = progress or (lambda _n: None)
    with db.read() as session:
        _refuse_unless_empty(session)
    regions, items = work_units(scale, seed)
    report = BuildReport()
    with db.write() as session:
        _refuse_unless_empty(session)  # again inside the writer's transaction
        _holidays(session, report)
    ids = {r.code: n for n, r in enumerate(regions, 1)}
    # Plain rows (IndexedRegion, dicts for the insert): 640,000 ORM Region objects cost minutes nationally.
    rows = [IndexedRegion(id=ids[r.code], code=r.code, name=r.name, level=str(r.level), kind=str(r.kind),
                          parent_id=ids[r.parent] if r.parent else None) for r in regions]
    for start in range(0, len(rows), BATCH * 5):
        with db.write() as session:
            chunk = rows[start:start + BATCH * 5]
            session.execute(insert(Region.__table__), [  # type: ignore[arg-type]
                {name: getattr(r, name) for name in IndexedRegion.__slots__} for r in chunk])
        tick(len(chunk))
    report.counts.update({str(level): sum(1 for r in regions if r.level == level) for level in (
        RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE)})
    index = RegionIndex.build(rows)
    with db.write() as session:
        departments = _departments(session, regions, ids)
        report.counts["departments"] = len(departments)
        report.counts["review_stages"] = _stages(session, regions, ids, departments)
    lookup = DepartmentLookup({d.id: d for d in departments}, {d.code: d for d in departments})  # type: ignore[misc]
    names = {r.code: r.name for r in regions if r.level in (RegionLevel.PROVINCE, RegionLevel.CITY,
                                                              RegionLevel.COUNTY)}
    forget_regions()
    if via_record_change:
        _record_each(db, items, names, tick)
    else:
        writer = CatalogWriter(index, lookup)
        for start in range(0, len(items), BATCH):
            chunk = items[start:start + BATCH]
            with db.write() as session:
                writer.write(session, [(i.code, plan.content(i, names)) for i in chunk])
            tick(len(chunk))
    report.counts["items"] = len(items)
    with db.write() as session:
        _align_sequences(session)
        report.counts["budget_caps"] = _caps(session, regions, ids, index, exact=via_record_change)
    _analyze(db)
    return report


def _analyze(db: Database) -> None:
    """PostgreSQL: gather the planner's statistics now. Without them, right after a bulk load, the planner took an
    IN over a county's 230 scopes for 287,000 rows and scanned all 631,552 versions (650 ms instead of 19 ms)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


def _refuse_unless_empty(session: Session) -> None:
    for model in (Region, Department, Duty, LedgerEntry):
        if session.exec(select(func.count()).select_from(model)).one():
            raise SyntheticRefused()


def _holidays(session: Session, report: BuildReport) -> None:
    """The public holidays of seed/ (a calendar, not a data set: deadlines need it)."""
    from registry.seeding import SEED_DIR

    existing = set(session.exec(select(Holiday.day)))
    added = 0
    with (SEED_DIR / "holidays.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            from datetime import date

            day = date.fromisoformat(row["date"].strip())
            if day not in existing:
                session.add(Holiday(day=day, kind=row["kind"].strip(), name=row["name"].strip()))
                added += 1
    report.counts["holidays"] = added


def _departments(session: Session, regions: list[plan.PlanRegion], ids: dict[str, int]) -> list[Department]:
    """The departments of every county, city and province (plan.DEPARTMENTS each)."""
    owners = [r for r in regions if r.level in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)]
    made = []
    for owner in owners:
        for short, name, kind in plan.DEPARTMENTS:
            full_name = owner.name.removesuffix(plan.MARK) + name + plan.MARK
            made.append(Department(id=len(made) + 1, code=plan.department_code(owner.code, short), name=full_name,
                                   kind=kind, region_id=ids[owner.code], search_name=search_key(full_name)))
    for start in range(0, len(made), BATCH):
        session.execute(insert(Department), [d.model_dump() for d in made[start:start + BATCH]])
    return made


def _stages(session: Session, regions: list[plan.PlanRegion], ids: dict[str, int],
            departments: list[Department]) -> int:
    """Each county's two review stages (STAGES) and the departments whose reviewers act at them (contract §10)."""
    by_code = {d.code: d.id for d in departments}
    stages, members = [], []
    for county in (r for r in regions if r.level == RegionLevel.COUNTY):
        for position, (code, name, shorts) in enumerate(STAGES, 1):
            stage_id = len(stages) + 1
            stages.append({"id": stage_id, "code": f"{county.code}-{code}", "name": name + plan.MARK,
                           "position": position, "region_id": ids[county.code]})
            members += [{"stage_id": stage_id, "department_id": by_code[plan.department_code(county.code, s)]}
                        for s in shorts]
    for start in range(0, len(stages), BATCH):
        session.execute(insert(ReviewStage), stages[start:start + BATCH])
    for start in range(0, len(members), BATCH):
        session.execute(insert(ReviewStageDepartment), members[start:start + BATCH])
    return len(stages)


def _caps(session: Session, regions: list[plan.PlanRegion], ids: dict[str, int], index: RegionIndex,
          exact: bool) -> int:
    """Each county's budget caps, those of seed/budget.csv, with one budget.changed entry per county.

    *exact* goes through `replace_caps` county by county. Otherwise the same rows and the same entries (the
    payload `replace_caps` makes for a county with no caps yet: `caps`, and `region_code` unless it is the
    default county) are written here, because `replace_caps` looks the default county up among every region
    each time (seconds per county at the national scale). tests/synthetic compares the two."""
    from registry.burden.models import BudgetCap
    from registry.burden.services import _number, replace_caps
    from registry.choices import LedgerKind
    from registry.ledger import chain
    from registry.seeding import SEED_DIR

    with (SEED_DIR / "budget.csv").open(encoding="utf-8-sig", newline="") as handle:
        caps = {row["field"].strip(): float(row["maximum"]) for row in csv.DictReader(handle)}
    counties = [r for r in regions if r.level == RegionLevel.COUNTY]
    if exact:
        for county in counties:
            replace_caps(session, caps, ids[county.code])
        return len(counties) * len(caps)
    default = index.default_owner()
    shaped = {name: _number(value) for name, value in sorted(caps.items())}
    rows = []
    for county in counties:
        payload: dict = {"caps": shaped}
        if default is None or ids[county.code] != default.id:
            payload["region_code"] = county.code
        chain.append(session, LedgerKind.BUDGET_CHANGED, payload)
        rows += [{"region_id": ids[county.code], "field": name, "maximum": value} for name, value in caps.items()]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(BudgetCap), rows[start:start + BATCH])
    return len(rows)


def _record_each(db: Database, items: list[plan.PlanItem], names: dict[str, str], tick: Progress) -> None:
    from registry.catalog.schemas import DutyContent
    from registry.catalog.services import record_change
    from registry.choices import ChangeKind

    for item in items:
        with db.write() as session:
            record_change(session, ChangeKind.ADDED, DutyContent.model_validate(plan.content(item, names)),
                          duty_code=item.code)
        tick(1)


def _align_sequences(session: Session) -> None:
    """PostgreSQL: rows were inserted with explicit ids, so move each id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("regions", "departments", "duties", "duty_versions", "review_stages"):
        statement = ("SELECT setval(pg_get_serial_sequence(:name, 'id'), "
                     "coalesce((SELECT max(id) FROM %s), 0) + 1, false)")
        session.execute(text(statement % table), {"name": table})  # noqa: S608 (names from the tuple above)
