"""The report transactions: file (cadre or office), move a case (office), respond (the department named).

Every change is a conditional UPDATE on `row_version` that must touch exactly one row: of two racing writers
one wins and the other gets Conflict (409). Closing a case appends one `report.closed` ledger entry in the same
transaction (no region, no person).
"""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.admission.calendar import calendar_around
from registry.admission.models import AdmissionRequest
from registry.choices import (
    CLOSED_REPORT_STATES,
    N_,
    REPORT_MOVES,
    LedgerKind,
    RegionLevel,
    ReportActor,
    ReportKind,
    ReportOutcome,
    ReportSource,
    ReportState,
    Role,
)
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Forbidden, Invalid
from registry.i18n import LabelInMessage
from registry.ledger import chain
from registry.regions.models import Department, Region
from registry.regions.services import RegionIndex, region_index
from registry.reports import matching, notices
from registry.reports.models import Report, ReportEvent
from registry.reports.schemas import ReportCreate, ResponseIn, TransitionIn
from registry.reports.services import cadre_region_ids, find, load
from registry.timeutil import SHANGHAI, as_utc, local_date, utcnow

REPORTS = Report.__table__  # type: ignore[attr-defined]
DUE_WORKING_DAYS = 10
EARLIEST_ASKED_ON = date(2000, 1, 1)
STALE = N_("Someone else has already changed this case; reload it and try again.")
REQUIRED = N_("This field is required.")
NOTE_NEEDED = N_("A note is required for this step.")
RESPONDING_STATES = frozenset({ReportState.IN_PROGRESS, ReportState.ADVANCED})


def report_due_at(session: Session, filed_at: datetime) -> datetime:
    """The end (23:59:59.999999 Shanghai) of the 10th working day after the filing date."""
    day = local_date(filed_at)
    last = calendar_around(session, day).add_working_days(day, DUE_WORKING_DAYS)
    return as_utc(datetime.combine(last, time.max, tzinfo=SHANGHAI))  # stored as UTC: SQLite compares text


def next_number(session: Session, now: datetime) -> str:
    """WT-<year in Shanghai>-<4-digit sequence of that year>, inside the write transaction."""
    prefix = f"WT-{now.astimezone(SHANGHAI).year}-"
    numbers = session.exec(select(Report.number).where(col(Report.number).startswith(prefix)))
    taken = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return f"{prefix}{(max(taken) + 1) if taken else 1:04d}"


def _region(index: RegionIndex, principal: Principal, data: ReportCreate,
            problems: list[FieldProblem]) -> Region | None:
    """The report's region: the cadre's own by default, else one they act for; the office may name any."""
    code = data.region_code
    if principal.role == Role.CADRE and not code:
        code = principal.region_code
    if not code:
        return None
    region = index.get(code)
    if region is None:
        problems.append(FieldProblem("region_code", N_("No region with the code %(code)s in the county."), code=code))
        return None
    if principal.role == Role.CADRE and region.id not in cadre_region_ids(index, principal):
        problems.append(FieldProblem("region_code", N_(
            "You may report only for your own village or community, or for a village of your town.")))
        return None
    return region


def _source(principal: Principal, region: Region | None, data: ReportCreate,
            problems: list[FieldProblem]) -> ReportSource | None:
    """A cadre's report comes from their village or town; the office states where it collected the problem."""
    if principal.role != Role.CADRE:
        if data.source is None:
            problems.append(FieldProblem("source", REQUIRED))
        return data.source
    own = ReportSource.VILLAGE if region is not None and region.level == RegionLevel.VILLAGE else ReportSource.TOWN
    if data.source is not None and data.source != own:
        problems.append(FieldProblem("source", N_("A cadre's report comes from their village or town (%(source)s)."),
                                     source=own.value))
    return own


def _department(session: Session, code: str | None, problems: list[FieldProblem]) -> Department | None:
    if not code:
        return None
    department = session.exec(select(Department).where(Department.code == code)).first()
    if department is None or not department.active:
        problems.append(FieldProblem("department", N_("No department with the code %(code)s."), code=code))
        return None
    return department


def file_report(db: Database, principal: Principal, data: ReportCreate) -> int:
    """A new case in `received`, with its match and due date; its id."""
    if principal.role not in (Role.CADRE, Role.OFFICE):
        raise Forbidden()
    now = utcnow()
    problems: list[FieldProblem] = []
    if data.asked_on > local_date(now):
        problems.append(FieldProblem("asked_on", N_("The date may not be in the future.")))
    elif data.asked_on < EARLIEST_ASKED_ON:
        problems.append(FieldProblem("asked_on", N_("The date is too far in the past.")))
    if data.kind == ReportKind.UNLISTED_TASK and not data.department and not data.unit_text:
        problems.append(FieldProblem("department", N_(
            "Name the department, or describe the unit that asked, for a task pushed without admission.")))
    with db.write(exclusive=True) as session:
        index = region_index(session)
        region = _region(index, principal, data, problems)
        source = _source(principal, region, data, problems)
        department = _department(session, data.department, problems)
        if problems:
            raise Invalid(problems)
        report = Report(
            number=next_number(session, now), kind=data.kind.value, source=source.value,  # type: ignore[union-attr]
            state=ReportState.RECEIVED.value, region_id=region.id if region else None,
            department_id=department.id if department else None, unit_text=data.unit_text, title=data.title,
            description=data.description, asked_on=data.asked_on, channel=data.channel.value,
            share_region=data.share_region_with_department,
            match=matching.compute_match(session, index, region, data.title, data.description, data.asked_on),
            due_at=report_due_at(session, now), reporter_id=principal.user_id, created_at=now, updated_at=now,
        )
        session.add(report)
        session.flush()
        by = ReportActor.REPORTER if principal.role == Role.CADRE else ReportActor.OFFICE
        session.add(ReportEvent(report_id=report.id, at=now, state=ReportState.RECEIVED.value,  # type: ignore[arg-type]
                                by=by.value, note=""))
        notices.on_filed(session, report)
        return report.id  # type: ignore[return-value]


def claim(session: Session, report: Report, expected: int | None, **values: object) -> None:
    """The conditional UPDATE: bump row_version (and set *values*) only if nobody changed the case meanwhile."""
    if expected is not None and expected != report.row_version:
        raise Conflict(STALE)
    statement = (
        sa.update(REPORTS)
        .where(REPORTS.c.id == report.id, REPORTS.c.row_version == report.row_version,
               REPORTS.c.state == report.state)
        .values(row_version=REPORTS.c.row_version + 1, updated_at=utcnow(), **values)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(STALE)
    session.refresh(report)


def _transition_problems(session: Session, data: TransitionIn) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if data.state in (ReportState.ADVANCED, *CLOSED_REPORT_STATES) and not data.note:
        problems.append(FieldProblem("note", NOTE_NEEDED))
    if data.state == ReportState.RESOLVED and data.outcome is None:
        problems.append(FieldProblem("outcome", N_("State how the case was resolved.")))
    if data.state != ReportState.RESOLVED and data.outcome is not None:
        problems.append(FieldProblem("outcome", N_("An outcome is given only when the case is resolved.")))
    if data.outcome == ReportOutcome.ADMITTED:
        if not data.request_number:
            problems.append(FieldProblem("request_number", N_("Name the admission request the department filed.")))
        elif session.exec(select(AdmissionRequest.id).where(
                AdmissionRequest.number == data.request_number)).first() is None:
            problems.append(FieldProblem("request_number", N_("No admission request with the number %(number)s."),
                                         number=data.request_number))
    elif data.request_number:
        problems.append(FieldProblem("request_number", N_(
            "An admission request is named only when the outcome is “admission request filed”.")))
    return problems


def transition_refusal(report: Report, state: str) -> Conflict | None:
    """Why the case cannot move to *state* now (None when it can): only forward moves as §6 lists them."""
    if state not in REPORT_MOVES.get(ReportState(report.state), frozenset()):
        return Conflict(N_("A case in the state “%(current)s” cannot move to “%(target)s”."),
                        current=LabelInMessage(ReportState(report.state)), target=LabelInMessage(ReportState(state)))
    return None


def transition(db: Database, principal: Principal, report_id: int, data: TransitionIn) -> int:
    """The office moves a case forward with a note; closing it appends `report.closed` to the ledger."""
    if principal.role != Role.OFFICE:
        raise Forbidden()
    with db.write() as session:
        report = load(session, report_id)
        problems = _transition_problems(session, data)
        if problems:
            raise Invalid(problems)
        refusal = transition_refusal(report, data.state)
        if refusal is not None:
            raise refusal
        now = utcnow()
        values: dict[str, object] = {"state": data.state.value}
        if data.state in CLOSED_REPORT_STATES:
            values.update(closed_at=now, outcome=data.outcome.value if data.outcome else None,
                          request_number=data.request_number or None)
        claim(session, report, data.row_version, **values)
        session.add(ReportEvent(report_id=report.id, at=now, state=data.state.value,  # type: ignore[arg-type]
                                by=ReportActor.OFFICE.value, note=data.note))
        if data.state in CLOSED_REPORT_STATES:
            append_closed(session, report, data.note, now)
        notices.on_moved(session, report)
        session.flush()
        return report.id  # type: ignore[return-value]


def append_closed(session: Session, report: Report, note: str, at: datetime) -> None:
    """The `report.closed` entry: `{number, kind, source, department, outcome, state, note}`."""
    department = session.get(Department, report.department_id) if report.department_id else None
    chain.append(session, LedgerKind.REPORT_CLOSED, {
        "number": report.number, "kind": report.kind, "source": report.source,
        "department": department.code if department else None, "outcome": report.outcome, "state": report.state,
        "note": note,
    }, at=at)


def respond_refusal(principal: Principal | None, report: Report) -> Conflict | Forbidden | None:
    """Why the principal may not respond to this case now (None when they may)."""
    if principal is None or principal.role != Role.DEPARTMENT or principal.department_id != report.department_id:
        return Forbidden()
    if report.state not in RESPONDING_STATES:
        return Conflict(N_("Only a case in progress can be answered."))
    return None


def respond(db: Database, principal: Principal, report_id: int, data: ResponseIn) -> int:
    """The department named answers a case in progress (an event by the department)."""
    with db.write() as session:
        report = find(session, principal, report_id)
        refusal = respond_refusal(principal, report)
        if refusal is not None:
            raise refusal
        claim(session, report, data.row_version)
        session.add(ReportEvent(report_id=report.id, at=utcnow(), state=report.state,  # type: ignore[arg-type]
                                by=ReportActor.DEPARTMENT.value, note=data.note))
        session.flush()
        return report.id  # type: ignore[return-value]
