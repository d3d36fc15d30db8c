"""The illustrative demo cases of seed/demo_reports.json (`registry seed --demo`): 30 reports reproducing the
seed's sentence 共收集问题 30 个，已协调解决 19 个，实质性推进 4 个. Each is marked `illustrative`, names no person
(no reporter), and is loaded once: a later run finds them and changes nothing."""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from registry.choices import CLOSED_REPORT_STATES, ReportActor, ReportSource, ReportState
from registry.db import Database
from registry.regions.models import Department
from registry.regions.services import region_index
from registry.reports import matching
from registry.reports.models import Report, ReportEvent
from registry.reports.schemas import ReportCreate, TransitionIn
from registry.reports.workflow import append_closed, next_number, report_due_at
from registry.timeutil import SHANGHAI, as_utc, utcnow

FILED_AT = time(9, 30)
EVENT_AT = time(16, 0)


def _at(day: date, moment: time) -> datetime:
    return as_utc(datetime.combine(day, moment, tzinfo=SHANGHAI))


def load_demo_reports(db: Database, path: Path) -> int:
    """Load the demo cases unless illustrative reports exist already; how many were added."""
    raw = json.loads(path.read_text("utf-8"))
    with db.write(exclusive=True) as session:
        if session.exec(select(Report.id).where(col(Report.illustrative).is_(True)).limit(1)).first() is not None:
            return 0
        items = sorted(raw["reports"], key=lambda item: item["asked_on"])
        for item in items:
            _load_one(session, item)
        return len(items)


def _load_one(session: Session, item: dict) -> None:
    body = ReportCreate.model_validate({k: item[k] for k in ReportCreate.model_fields if k in item})
    index = region_index(session)
    region = index.get(body.region_code) if body.region_code else None
    department = (session.exec(select(Department).where(Department.code == body.department)).first()
                  if body.department else None)
    filed = _at(body.asked_on, FILED_AT)
    report = Report(
        number=next_number(session, filed), kind=body.kind.value, source=item["source"],
        state=ReportState.RECEIVED.value, region_id=region.id if region else None,
        department_id=department.id if department else None, unit_text=body.unit_text, title=body.title,
        description=body.description, asked_on=body.asked_on, channel=body.channel.value,
        share_region=body.share_region_with_department,
        match=matching.compute_match(session, index, region, body.title, body.description, body.asked_on),
        due_at=report_due_at(session, filed), illustrative=True, created_at=filed, updated_at=filed,
    )
    session.add(report)
    session.flush()
    by = ReportActor.REPORTER if item["source"] in (ReportSource.VILLAGE, ReportSource.TOWN) else ReportActor.OFFICE
    session.add(ReportEvent(report_id=report.id, at=filed, state=ReportState.RECEIVED.value,  # type: ignore[arg-type]
                            by=by.value, note=""))
    last = filed
    for event in item["events"]:
        TransitionIn.model_validate({"state": event["state"], "note": event["note"]})  # the same limits
        last = _at(body.asked_on + timedelta(days=int(event["days_after"])), EVENT_AT)
        session.add(ReportEvent(report_id=report.id, at=last, state=event["state"],  # type: ignore[arg-type]
                                by=event["by"], note=event["note"]))
    report.state = item["state"]
    report.outcome = item.get("outcome")
    report.updated_at = last
    if report.state in CLOSED_REPORT_STATES:
        report.closed_at = last
        session.add(report)
        session.flush()
        append_closed(session, report, item["events"][-1]["note"], utcnow())
    session.add(report)
    session.flush()
