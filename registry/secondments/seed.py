"""Seed loading for people: towns' staff numbers (`registry seed`) and the 组织部's illustrative clean-up
(`registry seed --demo`). Idempotent: rows are matched by natural key and never changed once loaded."""

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Protocol

from sqlmodel import Session, select

from registry.choices import SecondmentOutcome, SecondmentState
from registry.regions.models import Department, Region
from registry.regions.services import region_index
from registry.secondments.models import Secondment, SecondmentCheck, TemporaryBody, TownStaff
from registry.secondments.services import compute_flags
from registry.secondments.workflow import _next_number
from registry.timeutil import SHANGHAI


class Report(Protocol):
    def add(self, table: str, count: int = 1) -> None: ...


def load_staff(session: Session, rows: list[dict[str, str]], report: Report) -> None:
    """seed/staff.csv: one town per row; a town's number, once loaded, is left as the county later set it."""
    towns = {r.code: r for r in session.exec(select(Region))}
    for row in rows:
        town = towns.get(row["town_code"])
        if town is None:
            raise ValueError(f"staff.csv: unknown town {row['town_code']}")
        if session.get(TownStaff, town.id) is None:
            session.add(TownStaff(region_id=town.id, staff=int(row["staff"]), source=row.get("source", "")[:200]))  # type: ignore[arg-type]
            report.add("town_staff")


def load_demo(session: Session, path: Path, report: Report) -> None:
    """seed/demo_secondments.json: the temporary bodies, the check (units gone through) and the cleared
    secondments with their outcomes (ended on the check day; they predate the consent rule: no consents)."""
    data = json.loads(path.read_text("utf-8"))
    departments = {d.code: d for d in session.exec(select(Department))}
    bodies = {b.code: b for b in session.exec(select(TemporaryBody))}
    for item in data["temporary_bodies"]:
        if item["code"] not in bodies:
            body = TemporaryBody(code=item["code"], name=item["name"], ends_on=date.fromisoformat(item["ends_on"]),
                                 lead_department_id=departments[item["lead_department"]].id)  # type: ignore[arg-type]
            session.add(body)
            session.flush()
            bodies[body.code] = body
            report.add("temporary_bodies")
    campaign = data["campaign"]
    checked_on = date.fromisoformat(campaign["checked_on"])
    lead = departments[campaign["lead_department"]]
    if session.exec(select(SecondmentCheck).where(SecondmentCheck.department_id == lead.id,
                                                  SecondmentCheck.checked_on == checked_on)).first() is None:
        session.add(SecondmentCheck(department_id=lead.id, checked_on=checked_on, units=list(campaign["checked_units"]),  # type: ignore[arg-type]
                                    note=data.get("source", "")))
        report.add("secondment_checks")
    index = region_index(session)
    existing = {(s.person_ref, s.start_on) for s in session.exec(select(Secondment))}
    for item in sorted(data["secondments"], key=lambda i: (i["start_on"], i["person_ref"])):
        start_on = date.fromisoformat(item["start_on"])
        if (item["person_ref"], start_on) in existing:
            continue
        home_region = index.get(item["home"])
        host_body = bodies.get(item["host"])
        filed = datetime.combine(start_on, time(9), SHANGHAI)
        s = Secondment(
            number=_next_number(session, start_on.year), person_ref=item["person_ref"], reason=item["reason"],
            start_on=start_on, end_on=date.fromisoformat(item["end_on"]),
            home_region_id=home_region.id if home_region else None,
            home_department_id=None if home_region else departments[item["home"]].id,
            host_body_id=host_body.id if host_body else None,
            host_department_id=None if host_body else departments[item["host"]].id,
            state=SecondmentState.ENDED, outcome=SecondmentOutcome(item["outcome"]),
            outcome_reason=data.get("source", ""), ended_on=checked_on, created_at=filed, updated_at=filed,
        )
        s.flags = compute_flags(session, s, index)
        session.add(s)
        session.flush()
        report.add("secondments")
