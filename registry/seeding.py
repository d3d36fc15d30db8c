"""Load seed/ idempotently: regions, departments, review stages, holidays, budget caps, the first catalog."""

import csv
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, func, select

from registry.accounts.models import User
from registry.accounts.services import create_user
from registry.admission.models import ReviewStage, ReviewStageDepartment
from registry.burden.models import BudgetCap
from registry.burden.services import replace_caps
from registry.catalog.models import Duty
from registry.catalog.schemas import SeedDuty
from registry.catalog.services import record_change
from registry.choices import KINDS_BY_LEVEL, LEVEL_ORDER, ChangeKind, HolidayKind, RegionLevel
from registry.db import Database
from registry.forms.register import apply_payload
from registry.forms.seed import seed_register_payloads
from registry.regions.models import Department, Holiday, Region
from registry.regions.services import RegionIndex, forget_regions
from registry.secondments import seed as people_seed

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
log = logging.getLogger("registry.seed")


@dataclass
class SeedReport:
    """What one run changed, per table (all zeros on a repeated run)."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int = 1) -> None:
        if count:
            self.created[table] = self.created.get(table, 0) + count

    def __str__(self) -> str:
        if not self.created:
            return "seed: nothing to change"
        return "seed: " + ", ".join(f"{table}+{n}" for table, n in sorted(self.created.items()))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def load_seed(db: Database, demo: bool = False, seed_dir: Path = SEED_DIR, demo_reports: bool = False) -> SeedReport:
    """Load the seed. Safe to repeat: rows are matched by natural key, and the catalog and caps are loaded
    only when empty (later runs never change a catalog that has entries). *demo_reports* (with *demo*; what
    `registry seed --demo` does) also loads the illustrative cases of demo_reports.json in the run that creates
    the demo accounts."""
    report = SeedReport()
    with db.write() as session:
        _load_regions(session, _rows(seed_dir / "regions.csv"), report)
        _load_departments(session, _rows(seed_dir / "departments.csv"), report)
        _load_stages(session, _rows(seed_dir / "review_stages.csv"), report)
        _load_holidays(session, _rows(seed_dir / "holidays.csv"), report)
    forget_regions()
    with db.write() as session:
        people_seed.load_staff(session, _rows(seed_dir / "staff.csv"), report)
    with db.write() as session:
        if session.exec(select(func.count()).select_from(Duty)).one() == 0:
            raw = json.loads((seed_dir / "catalog.json").read_text("utf-8"))
            items = [SeedDuty.model_validate(item) for item in raw]
            # The forms and indicators travel in their duty's entry (contract §8), so the replay rebuilds them.
            registers = seed_register_payloads(seed_dir, [item.code for item in items])
            for item in items:
                register = registers.get(item.code)
                _duty, _version, entry = record_change(session, ChangeKind.ADDED, item, duty_code=item.code,
                                                       extra_payload=register)
                if register:
                    apply_payload(session, register, entry.seq)
                    report.add("forms", len(register["forms"]))
                    report.add("indicators", len(register["indicators"]))
            report.add("duties", len(items))
        owner = _owners(session)[""]
        if owner is not None and session.exec(select(func.count()).select_from(BudgetCap)
                                              .where(BudgetCap.region_id == owner)).one() == 0:
            caps = {row["field"]: float(row["maximum"]) for row in _rows(seed_dir / "budget.csv")}
            replace_caps(session, caps, owner)
            report.add("budget_caps", len(caps))
    if demo:
        _load_demo_accounts(db, _rows(seed_dir / "demo_accounts.csv"), report)
        with db.write() as session:
            people_seed.load_demo(session, seed_dir / "demo_secondments.json", report)
    # The illustrative cases come with the demo accounts, the first time (a database seeded before stays as it is).
    if demo and demo_reports and report.created.get("users") and (seed_dir / "demo_reports.json").exists():
        from registry.reports.demo import load_demo_reports

        report.add("reports", load_demo_reports(db, seed_dir / "demo_reports.json"))
    return report


def _load_regions(session: Session, rows: list[dict[str, str]], report: SeedReport) -> None:
    existing = {r.code: r for r in session.exec(select(Region))}
    order = {level: rank for rank, level in enumerate(LEVEL_ORDER)}
    for row in sorted(rows, key=lambda r: order[RegionLevel(r["level"])]):
        if row["kind"] not in KINDS_BY_LEVEL[RegionLevel(row["level"])]:
            raise ValueError(f"region {row['code']}: kind {row['kind']} does not fit level {row['level']}")
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        if row["parent_code"] and parent is None:
            raise ValueError(f"region {row['code']}: unknown parent {row['parent_code']}")
        region = existing.get(row["code"])
        values = {"name": row["name"], "level": row["level"], "kind": row["kind"],
                  "parent_id": parent.id if parent else None}
        if region is None:
            region = Region(code=row["code"], **values)
            report.add("regions")
        elif all(getattr(region, k) == v for k, v in values.items()):
            continue
        else:
            region.sqlmodel_update(values)
            report.add("regions_updated")
        session.add(region)
        session.flush()
        existing[region.code] = region


def _owners(session: Session) -> dict[str, int | None]:
    """Region ids by code, and under "" the deployment's default county (what a row naming no region gets)."""
    index = RegionIndex.build(list(session.exec(select(Region))))
    default = index.default_owner()
    return {"": default.id if default else None, **{code: r.id for code, r in index.by_code.items()}}


def _owner_id(owners: dict[str, int | None], row: dict[str, str], what: str) -> int | None:
    """The region a seed row belongs to: its optional `region` column (a region code), else the default county."""
    code = row.get("region", "")
    if code not in owners:
        raise ValueError(f"{what}: unknown region {code}")
    return owners[code]


def _load_departments(session: Session, rows: list[dict[str, str]], report: SeedReport) -> None:
    existing = {d.code: d for d in session.exec(select(Department))}
    owners = _owners(session)
    for row in rows:
        department = existing.get(row["code"])
        region_id = _owner_id(owners, row, f"department {row['code']}")
        if department is None:
            session.add(Department(code=row["code"], name=row["name"], kind=row["kind"], region_id=region_id))
            report.add("departments")
        elif (department.name, department.kind, department.region_id) != (row["name"], row["kind"], region_id):
            department.name, department.kind, department.region_id = row["name"], row["kind"], region_id
            session.add(department)
            report.add("departments_updated")
    session.flush()


def _load_stages(session: Session, rows: list[dict[str, str]], report: SeedReport) -> None:
    departments = {d.code: d for d in session.exec(select(Department))}
    owners = _owners(session)
    for row in rows:
        region_id = _owner_id(owners, row, f"review stage {row['code']}")
        stage = session.exec(select(ReviewStage).where(ReviewStage.code == row["code"])).first()
        if stage is None:
            stage = ReviewStage(code=row["code"], name=row["name"], position=int(row["order"]), region_id=region_id)
            session.add(stage)
            session.flush()
            report.add("review_stages")
        elif stage.region_id is None:
            stage.region_id = region_id
            session.add(stage)
            session.flush()
            report.add("review_stages_updated")
        members = set(session.exec(select(ReviewStageDepartment.department_id).where(
            ReviewStageDepartment.stage_id == stage.id)))
        for code in row["departments"].split():
            if code not in departments:
                raise ValueError(f"review stage {row['code']}: unknown department {code}")
            if departments[code].id not in members:
                session.add(ReviewStageDepartment(stage_id=stage.id, department_id=departments[code].id))  # type: ignore
                report.add("review_stage_departments")
    session.flush()


def _load_holidays(session: Session, rows: list[dict[str, str]], report: SeedReport) -> None:
    existing = {h.day: h for h in session.exec(select(Holiday))}
    for row in rows:
        day = date.fromisoformat(row["date"])
        if row["kind"] not in HolidayKind.values():
            raise ValueError(f"holiday {day}: kind must be holiday or workday")
        holiday = existing.get(day)
        if holiday is None:
            session.add(Holiday(day=day, kind=row["kind"], name=row["name"]))
            report.add("holidays")
        elif (holiday.kind, holiday.name) != (row["kind"], row["name"]):
            holiday.kind, holiday.name = row["kind"], row["name"]
            session.add(holiday)
            report.add("holidays_updated")


def _load_demo_accounts(db: Database, rows: list[dict[str, str]], report: SeedReport) -> None:
    with db.read() as session:
        names = set(session.exec(select(User.name).where(col(User.name).in_([r["name"] for r in rows]))))
    for row in rows:
        if row["name"] in names:
            continue
        create_user(db, row["name"], row["role"], row["password"], row["department"] or None,
                    row["region"] or None, demo=True)
        report.add("users")
