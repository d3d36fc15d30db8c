"""The year's figures (contract §7), from the ledger and the request records only, so that anyone holding
`GET /api/v1/ledger` and the request list can recompute them. Definitions (README "Lifecycle"):

- catalog `start`/`end`: the replay of the duty.* entries up to the newest edition before 1 January of the year
  and of the next year (Asia/Shanghai); `active` counts items in force, `by_category` them per category.
- changes: duty.* entries recorded in the year; `retired` those a request caused, `lapsed`/`ended` the job's.
- requests: those filed (last submitted) in the year, by their state now; `returned` those returned at least
  once; `exemptions` those approved with an exemption reason; the median counts working days from filing to the
  final decision (approval at the last stage or rejection); `decided_late` those decided after `due_at`.
- burden: TOTALS of the median village (field by field) at the start and at the end.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from sqlmodel import Session, col, select

from registry.admission.calendar import WorkCalendar
from registry.admission.models import AdmissionRequest, Decision
from registry.burden import totals as t
from registry.burden.aggregates import all_village_totals
from registry.burden.schemas import SpreadTotalsPublic
from registry.burden.shapes import DutyShape
from registry.catalog.schemas import hours_to_tenths
from registry.choices import (
    CATALOG_KINDS,
    Category,
    ChangeKind,
    DecisionKind,
    DutyStatus,
    LedgerKind,
    RequestState,
    RetiredBecause,
)
from registry.ledger import chain
from registry.lifecycle.years import year_begins
from registry.ratings import services as ratings
from registry.regions.services import RegionIndex, department_lookup, region_index
from registry.reports.schemas import ReportStats
from registry.reports.services import stats as report_figures
from registry.statistics.schemas import (
    BurdenYear,
    CatalogAt,
    CatalogYear,
    Changes,
    DepartmentFigures,
    MonthPoint,
    RequestFigures,
    YearStatistics,
)
from registry.timeutil import SHANGHAI, ledger_timestamp, local_date, utcnow

FINAL = frozenset({RequestState.APPROVED, RequestState.REJECTED})


@dataclass(frozen=True)
class CatalogEntry:
    seq: int
    recorded_at: str
    kind: str
    duty: dict
    request_number: str | None
    retired_because: str | None


def catalog_entries(session: Session) -> list[CatalogEntry]:
    """Every duty.* entry of the ledger, in order."""
    found = []
    for entry in chain.iter_entries(session):
        if entry.kind in CATALOG_KINDS:
            payload = json.loads(entry.payload)
            found.append(CatalogEntry(entry.seq, entry.recorded_at, entry.kind, payload["duty"],
                                      payload.get("request_number"), payload.get("retired_because")))
    return found


def catalog_at(entries: list[CatalogEntry], edition: int) -> dict[str, dict]:
    """The replay up to *edition*: code → DUTY of the items in force."""
    catalog: dict[str, dict] = {}
    for entry in entries:
        if entry.seq > edition:
            break
        catalog[entry.duty["code"]] = entry.duty
    return {code: duty for code, duty in catalog.items() if duty["status"] == DutyStatus.ACTIVE}


def edition_before(entries: list[CatalogEntry], moment: str) -> int:
    return max((e.seq for e in entries if e.recorded_at < moment), default=0)


def catalog_summary(catalog: dict[str, dict], edition: int) -> CatalogAt:
    by_category = {str(c): 0 for c in Category}
    for duty in catalog.values():
        by_category[duty["category"]] += 1
    return CatalogAt(edition=edition, active=len(catalog), by_category=by_category)


class _Item:
    __slots__ = ("shape",)

    def __init__(self, shape: DutyShape):
        self.shape = shape


def median_village(catalog: dict[str, dict], index: RegionIndex) -> SpreadTotalsPublic:
    """TOTALS of the median village over the replayed catalog (the reach rule, as the lists have it)."""
    by_scope: dict[int, list] = {}
    for duty in catalog.values():
        scope = index.get(duty["scope_code"])
        if scope is None or scope.id is None:
            continue
        shape = DutyShape(category=duty["category"], applies_to=duty["applies_to"], scope_region_id=scope.id,
                          frequency=duty["frequency"], hours_tenths=hours_to_tenths(duty["hours_per_month"]),
                          burdens=duty["burdens"])
        by_scope.setdefault(scope.id, []).append(_Item(shape))
    village_totals = list(all_village_totals(by_scope, index).values())
    return t.spread_totals(village_totals)["median"]


def change_counts(entries: list[CatalogEntry], year: int) -> Changes:
    start, end = year_begins(year), year_begins(year + 1)
    counts = {"added": 0, "amended": 0, "retired": 0, RetiredBecause.LAPSED.value: 0, RetiredBecause.ENDED.value: 0}
    for entry in entries:
        if not start <= entry.recorded_at < end:
            continue
        if entry.kind == LedgerKind.DUTY_ADDED:
            counts["added"] += 1
        elif entry.kind == LedgerKind.DUTY_AMENDED:
            counts["amended"] += 1
        else:
            counts[entry.retired_because or ChangeKind.RETIRED.value] += 1
    return Changes(**counts)


def _in_year(moment: datetime | None, year: int) -> bool:
    return moment is not None and local_date(moment).year == year


def request_figures(session: Session, year: int) -> tuple[RequestFigures, dict[int, dict[str, int]]]:
    """The figures of the requests filed in *year*, and filed/approved/rejected per filing department id."""
    filed = [r for r in session.exec(select(AdmissionRequest).where(col(AdmissionRequest.submitted_at).is_not(None)))
             if _in_year(r.submitted_at, year) and r.state != RequestState.DRAFT]
    decisions: dict[int, list[Decision]] = {}
    ids = [r.id for r in filed]
    if ids:
        for found in session.exec(select(Decision).where(col(Decision.request_id).in_(ids)).order_by(col(Decision.id))):
            decisions.setdefault(found.request_id, []).append(found)
    days, late = [], 0
    calendar = _calendar(session, year)
    per_department: dict[int, dict[str, int]] = {}
    for req in filed:
        own = decisions.get(req.id, [])  # type: ignore[arg-type]
        counts = per_department.setdefault(req.department_id, {"filed": 0, "approved": 0, "rejected": 0})
        counts["filed"] += 1
        if req.state in (RequestState.APPROVED, RequestState.REJECTED):
            counts[str(req.state)] += 1
        if req.state in FINAL and own:
            final = own[-1]
            assert req.submitted_at is not None
            days.append(calendar.working_days_between(local_date(req.submitted_at), local_date(final.at)))
            late += bool(req.due_at is not None and final.at > req.due_at)
    states = [r.state for r in filed]
    return RequestFigures(
        filed=len(filed),
        approved=states.count(RequestState.APPROVED),
        rejected=states.count(RequestState.REJECTED),
        returned=sum(any(d.decision == DecisionKind.RETURN for d in decisions.get(r.id, [])) for r in filed),  # type: ignore[arg-type]
        withdrawn=states.count(RequestState.WITHDRAWN),
        exemptions=sum(r.state == RequestState.APPROVED and any(d.exemption_reason for d in decisions.get(r.id, []))  # type: ignore[arg-type]
                       for r in filed),
        median_working_days_to_decision=_tidy(median(days)) if days else None,
        decided_late=late,
    ), per_department


def _calendar(session: Session, year: int) -> WorkCalendar:
    return WorkCalendar.load(session, date(year - 1, 12, 1), date(year + 1, 12, 31))


def _tidy(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 2)


def reports_statistics(session: Session, year: int) -> ReportStats:
    """The §6 figures of the year: the very function behind `GET /api/v1/reports/stats`."""
    return report_figures(session, year)

def year_statistics(session: Session, year: int) -> YearStatistics:
    """The whole §7 statistics object of *year*."""
    entries = catalog_entries(session)
    index = region_index(session)
    departments = department_lookup(session)
    start_edition = edition_before(entries, year_begins(year))
    end_edition = edition_before(entries, year_begins(year + 1))
    start, end = catalog_at(entries, start_edition), catalog_at(entries, end_edition)
    figures, per_department = request_figures(session, year)
    active_by_department: dict[str, int] = {}
    for duty in end.values():
        active_by_department[duty["department"]["code"]] = active_by_department.get(duty["department"]["code"], 0) + 1
    rows = []
    for department in sorted(departments.by_id.values(), key=lambda d: d.code):
        counts = per_department.get(department.id, {"filed": 0, "approved": 0, "rejected": 0})  # type: ignore[arg-type]
        active = active_by_department.get(department.code, 0)
        if counts["filed"] or active:
            rows.append(DepartmentFigures(code=department.code, name=department.name, **counts, active_duties=active))
    return YearStatistics(
        year=year,
        catalog=CatalogYear(start=catalog_summary(start, start_edition), end=catalog_summary(end, end_edition)),
        changes=change_counts(entries, year),
        requests=figures,
        by_department=rows,
        burden=BurdenYear(start=median_village(start, index), end=median_village(end, index)),
        reports=reports_statistics(session, year),
        ratings=ratings.summary(session, year),
        by_month=_by_month(entries, index, year),
    )


def _by_month(entries: list[CatalogEntry], index: RegionIndex, year: int) -> list[MonthPoint]:
    today = local_date(utcnow())
    points = []
    for month in range(1, 13):
        if (year, month) > (today.year, today.month):
            break
        following = date(year + (month == 12), month % 12 + 1, 1)
        edition = edition_before(entries, year_begins_on(following))
        catalog = catalog_at(entries, edition)
        points.append(MonthPoint(month=f"{year}-{month:02d}", edition=edition, active=len(catalog),
                                 median_hours_per_month=median_village(catalog, index).hours_per_month))
    return points


def year_begins_on(day: date) -> str:
    """`day` at 00:00 Shanghai as a ledger timestamp."""
    return ledger_timestamp(datetime(day.year, day.month, day.day, tzinfo=SHANGHAI))
