"""Reading reports: who may see what (contract §6), the REPORT shape, lists with filters, the year's figures.

Visibility is one rule (`visible`), asked by the API, the pages and the lists alike; a report the reader may not
see is NotFound, never a hint that it exists. No shape carries the reporter: `reporter_id` stays in the table
for the office's audit view.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, false, func, or_
from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.admission.calendar import calendar_around
from registry.choices import (
    CLOSED_REPORT_STATES,
    DEPARTMENT_VISIBLE_REPORT_STATES,
    N_,
    OPEN_REPORT_STATES,
    RegionLevel,
    ReportActor,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    ReportSource,
    ReportState,
    Role,
)
from registry.db import Database
from registry.errors import BadRequest, NotFound
from registry.regions.models import Department, Region
from registry.regions.services import DepartmentLookup, RegionIndex, department_lookup, region_index, region_public
from registry.reports.models import Report, ReportEvent, ReportFile
from registry.reports.schemas import (
    MAX_ID,
    DepartmentFigures,
    EventPublic,
    FilePublic,
    MatchItem,
    MatchPublic,
    ReportPage,
    ReportPublic,
    ReportStats,
)
from registry.timeutil import SHANGHAI, as_utc, iso_utc, local_date, parse_ledger_timestamp, utcnow

NO_SUCH_REPORT = N_("No report with this number.")
SEES_ALL = frozenset({Role.OFFICE, Role.ADMIN})


def cadre_region_ids(index: RegionIndex, principal: Principal) -> set[int]:
    """The regions whose reports a cadre sees: their own, and for a town cadre every village below it."""
    region = index.by_id.get(principal.region_id) if principal.region_id is not None else None
    if region is None:
        return set()
    ids = {region.id}
    if region.level != RegionLevel.VILLAGE:
        ids |= {r.id for r in index.children_of(region)}
    return {i for i in ids if i is not None}


def visible(index: RegionIndex, principal: Principal | None, report: Report) -> bool:
    """The office and admins see every report; cadres of its region and of the town above; the department
    named once the case is in progress; nobody else."""
    if principal is None:
        return False
    if principal.role in SEES_ALL:
        return True
    if principal.role == Role.CADRE:
        return report.region_id is not None and report.region_id in cadre_region_ids(index, principal)
    if principal.role == Role.DEPARTMENT:
        return (principal.department_id is not None and report.department_id == principal.department_id
                and report.state in DEPARTMENT_VISIBLE_REPORT_STATES)
    return False


def sees_as_department(principal: Principal | None) -> bool:
    """The reader sees a case as the department named (the village hidden behind its town)."""
    return principal is not None and principal.role == Role.DEPARTMENT


def load(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id) if 1 <= report_id <= MAX_ID else None
    if report is None:
        raise NotFound(NO_SUCH_REPORT)
    return report


def find(session: Session, principal: Principal | None, report_id: int) -> Report:
    """The report if the principal may see it; NotFound otherwise."""
    report = load(session, report_id)
    if not visible(region_index(session), principal, report):
        raise NotFound(NO_SUCH_REPORT)
    return report


@dataclass
class Lookups:
    """What shaping many reports needs, read once."""

    index: RegionIndex
    departments: DepartmentLookup
    events: dict[int, list[ReportEvent]]
    files: dict[int, list[ReportFile]]

    @classmethod
    def load(cls, session: Session, reports: list[Report]) -> "Lookups":
        ids = sorted({r.id for r in reports if r.id is not None})
        events: dict[int, list[ReportEvent]] = {}
        if ids:
            statement = select(ReportEvent).where(col(ReportEvent.report_id).in_(ids)).order_by(col(ReportEvent.id))
            for event in session.exec(statement):
                events.setdefault(event.report_id, []).append(event)
        files: dict[int, list[ReportFile]] = {}
        if ids:
            statement = select(ReportFile).where(col(ReportFile.report_id).in_(ids)).order_by(col(ReportFile.id))
            for row in session.exec(statement):
                files.setdefault(row.report_id, []).append(row)
        return cls(index=region_index(session), departments=department_lookup(session), events=events, files=files)


def shown_region(index: RegionIndex, report: Report, principal: Principal | None) -> Region | None:
    """The report's region as the reader may see it: the department named sees the town above a village
    unless the reporter allowed the village to be shown."""
    region = index.by_id.get(report.region_id) if report.region_id is not None else None
    if region is None or not sees_as_department(principal) or report.share_region:
        return region
    if region.level == RegionLevel.VILLAGE:
        return index.parent(region)
    return region


def _match(stored: dict) -> MatchPublic:
    def items(found: list[dict]) -> list[MatchItem]:
        return [MatchItem(code=m["code"], title=m["title"], similarity=m["similarity"]) for m in found]
    return MatchPublic(edition=int(stored.get("edition", 0)), on_list=items(stored.get("on_list", [])),
                       negative_list=items(stored.get("negative_list", [])))


def report_public(session: Session, report: Report, principal: Principal | None,
                  lookups: Lookups | None = None) -> ReportPublic:
    """REPORT as this reader may see it (contract §6); it never names the person who filed."""
    lookups = lookups or Lookups.load(session, [report])
    region = shown_region(lookups.index, report, principal)
    events = lookups.events.get(report.id, []) if report.id is not None else []
    return ReportPublic(
        id=report.id,  # type: ignore[arg-type]
        number=report.number,
        kind=ReportKind(report.kind),
        source=ReportSource(report.source),
        state=ReportState(report.state),
        row_version=report.row_version,
        region=region_public(region, lookups.index) if region is not None else None,
        department=lookups.departments.public(report.department_id),
        unit_text=report.unit_text,
        title=report.title,
        description=report.description,
        asked_on=report.asked_on.isoformat(),
        channel=ReportChannel(report.channel),
        match=_match(report.match or {}),
        due_at=iso_utc(report.due_at) or "",
        outcome=ReportOutcome(report.outcome) if report.outcome else None,
        request_number=report.request_number,
        events=[EventPublic(at=iso_utc(e.at) or "", state=ReportState(e.state), by=ReportActor(e.by), note=e.note)
                for e in events],
        created_at=iso_utc(report.created_at) or "",
        files=[FilePublic(id=f.id, media_type=f.media_type, size=f.size, sha256=f.sha256,  # type: ignore[arg-type]
                          url=f"/api/v1/reports/{report.id}/files/{f.id}", created_at=iso_utc(f.created_at) or "")
               for f in lookups.files.get(report.id, [])] if report.id is not None else [],
        illustrative=report.illustrative,
    )


def report_for(db: Database, principal: Principal | None, report_id: int) -> ReportPublic:
    with db.read() as session:
        return report_public(session, find(session, principal, report_id), principal)


# ---------------------------------------------------------------- lists

@dataclass(frozen=True)
class Filters:
    state: ReportState | None = None
    kind: ReportKind | None = None
    department: str | None = None
    source: ReportSource | None = None
    overdue: bool = False


def parse_filters(state: str | None = None, kind: str | None = None, department: str | None = None,
                  source: str | None = None, overdue: bool = False) -> Filters:
    """Query parameters as filters; a blank one does not filter, an unknown value is a BadRequest."""
    def member(enumeration, raw: str | None, name: str):  # type: ignore[no-untyped-def]
        value = (raw or "").strip()
        if not value:
            return None
        if value not in enumeration.values():
            raise BadRequest(N_("Unknown value of %(name)s: %(value)s."), name=name, value=value[:40])
        return enumeration(value)
    code = (department or "").strip()[:32] or None
    return Filters(state=member(ReportState, state, "state"), kind=member(ReportKind, kind, "kind"),
                   department=code, source=member(ReportSource, source, "source"), overdue=overdue)


def listing(session: Session, principal: Principal, filters: Filters):  # type: ignore[no-untyped-def]
    """What the principal may list (the visibility rule as SQL), filtered."""
    statement = select(Report)
    if principal.role == Role.CADRE:
        ids = sorted(cadre_region_ids(region_index(session), principal))
        statement = statement.where(col(Report.region_id).in_(ids) if ids else false())
    elif principal.role == Role.DEPARTMENT:
        statement = statement.where(Report.department_id == principal.department_id,
                                    col(Report.state).in_([str(s) for s in DEPARTMENT_VISIBLE_REPORT_STATES]))
    elif principal.role not in SEES_ALL:
        statement = statement.where(false())
    if filters.state:
        statement = statement.where(Report.state == filters.state)
    if filters.kind:
        statement = statement.where(Report.kind == filters.kind)
    if filters.source:
        statement = statement.where(Report.source == filters.source)
    if filters.department:
        named = select(Department.id).where(Department.code == filters.department)
        statement = statement.where(col(Report.department_id).in_(named))
    if filters.overdue:
        statement = statement.where(col(Report.state).in_([str(s) for s in OPEN_REPORT_STATES]),
                                    col(Report.due_at) < utcnow())
    return statement


def list_page(session: Session, principal: Principal, filters: Filters, page: int, per_page: int) -> ReportPage:
    """A page of the reports the principal may see, newest first."""
    statement = listing(session, principal, filters)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    ordered = statement.order_by(col(Report.created_at).desc(), col(Report.id).desc())
    rows = list(session.exec(ordered.offset((page - 1) * per_page).limit(per_page)))
    lookups = Lookups.load(session, rows)
    return ReportPage(items=[report_public(session, r, principal, lookups) for r in rows], total=int(total),
                      page=page, per_page=per_page)


def badge_count(session: Session, principal: Principal) -> int:
    """The nav badge: for the office the cases received and not yet taken up or overdue; for a department the
    open cases naming it."""
    if principal.role == Role.OFFICE:
        statement = select(func.count()).select_from(Report).where(or_(
            Report.state == ReportState.RECEIVED,
            and_(col(Report.state).in_([str(s) for s in OPEN_REPORT_STATES]), col(Report.due_at) < utcnow())))
        return int(session.exec(statement).one())
    if principal.role == Role.DEPARTMENT and principal.department_id is not None:
        statement = select(func.count()).select_from(Report).where(
            Report.department_id == principal.department_id,
            col(Report.state).in_([ReportState.IN_PROGRESS.value, ReportState.ADVANCED.value]))
        return int(session.exec(statement).one())
    return 0


def is_overdue(report: Report | ReportPublic, now: datetime | None = None) -> bool:
    """Open and past its due time."""
    due = parse_ledger_timestamp(report.due_at) if isinstance(report.due_at, str) else report.due_at
    return report.state in OPEN_REPORT_STATES and due is not None and as_utc(due) < (now or utcnow())


# ---------------------------------------------------------------- the year's figures

def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Asia/Shanghai, as aware UTC datetimes [start, end) (UTC: SQLite compares the stored text)."""
    return (as_utc(datetime(year, 1, 1, tzinfo=SHANGHAI)), as_utc(datetime(year + 1, 1, 1, tzinfo=SHANGHAI)))


def stats(session: Session, year: int, now: datetime | None = None) -> ReportStats:
    """The figures over reports filed in *year* (Asia/Shanghai), as §6 defines them."""
    now = now or utcnow()
    start, end = year_bounds(year)
    rows = list(session.exec(select(Report).where(col(Report.created_at) >= start, col(Report.created_at) < end)))
    departments = department_lookup(session)
    by_outcome = dict.fromkeys(ReportOutcome.values(), 0)
    by_source = dict.fromkeys(ReportSource.values(), 0)
    per_department: dict[int, list[Report]] = {}
    counts = dict.fromkeys(ReportState.values(), 0)
    overdue = 0
    for report in rows:
        counts[report.state] = counts.get(report.state, 0) + 1
        by_source[report.source] = by_source.get(report.source, 0) + 1
        if report.state == ReportState.RESOLVED and report.outcome:
            by_outcome[report.outcome] = by_outcome.get(report.outcome, 0) + 1
        if report.state in OPEN_REPORT_STATES and as_utc(report.due_at) < now:
            overdue += 1
        if report.department_id is not None:
            per_department.setdefault(report.department_id, []).append(report)
    figures = []
    calendar = None
    for department_id, reports in per_department.items():
        department = departments.by_id.get(department_id)
        if department is None:
            continue
        resolved = [r for r in reports if r.state == ReportState.RESOLVED and r.closed_at is not None]
        days: list[int] = []
        for report in resolved:
            filed = local_date(report.created_at)
            calendar = calendar or calendar_around(session, date(year, 1, 1), date(year + 1, 12, 31))
            days.append(calendar.working_days_between(filed, local_date(report.closed_at)))  # type: ignore[arg-type]
        figures.append(DepartmentFigures(
            code=department.code, name=department.name, collected=len(reports),
            resolved=len(resolved),
            withdrawn=sum(1 for r in resolved if r.outcome == ReportOutcome.WITHDRAWN),
            median_working_days=float(statistics.median(days)) if days else None,
        ))
    figures.sort(key=lambda f: (-f.collected, f.code))
    return ReportStats(
        year=year, collected=len(rows), resolved=counts[ReportState.RESOLVED], advanced=counts[ReportState.ADVANCED],
        open=sum(counts[s] for s in OPEN_REPORT_STATES), dismissed=counts[ReportState.DISMISSED], overdue=overdue,
        by_outcome=by_outcome, by_source=by_source, by_department=figures,
    )


def closed(report: Report) -> bool:
    return report.state in CLOSED_REPORT_STATES
