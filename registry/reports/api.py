"""JSON routes of reports and cases (contract §6): file, move, respond, read, list, the year's figures."""

from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from registry.accounts.services import Principal
from registry.choices import Role
from registry.db import Database
from registry.reports import services, workflow
from registry.reports.schemas import ReportCreate, ReportPage, ReportPublic, ReportStats, ResponseIn, TransitionIn
from registry.timeutil import local_date, utcnow
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY

TAGS = ["reports"]
LISTERS = (Role.OFFICE, Role.ADMIN, Role.CADRE, Role.DEPARTMENT)


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None  # the access guard let only signed-in roles through
    return principal


@post("/api/v1/reports", opt=roles(Role.CADRE, Role.OFFICE), status_code=201, operation_id="createReport", tags=TAGS,
      security=BEARER_SECURITY, sync_to_thread=True)
def create_report(request: Request, db: Database, data: ReportCreate) -> ReportPublic:
    """File a report (a cadre for their village or town; the office with `source`)."""
    principal = _principal(request)
    return services.report_for(db, principal, workflow.file_report(db, principal, data))


@get("/api/v1/reports", opt=roles(*LISTERS), sync_to_thread=True, security=BEARER_SECURITY,
     operation_id="listReports", tags=TAGS)
def list_reports(
    request: Request,
    db: Database,
    report_state: Annotated[str | None, Parameter(query="state", max_length=40)] = None,
    kind: Annotated[str | None, Parameter(max_length=40)] = None,
    department: Annotated[str | None, Parameter(max_length=40)] = None,
    source: Annotated[str | None, Parameter(max_length=40)] = None,
    overdue: bool = False,
    page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
) -> ReportPage:
    """The reports the caller may see, newest first: the office and admins all, cadres their regions',
    departments those naming them (once in progress)."""
    filters = services.parse_filters(report_state, kind, department, source, overdue)
    with db.read() as session:
        return services.list_page(session, _principal(request), filters, page, per_page)


@get("/api/v1/reports/stats", opt=public(), sync_to_thread=True, operation_id="reportStats", tags=TAGS)
def report_stats(db: Database, year: Annotated[int | None, Parameter(ge=2000, le=2100)] = None) -> ReportStats:
    """The year's figures over reports filed in it (Asia/Shanghai); the current year by default."""
    with db.read() as session:
        return services.stats(session, year or local_date(utcnow()).year)


@get("/api/v1/reports/{report_id:int}", opt=public(), sync_to_thread=True, operation_id="getReport", tags=TAGS)
def get_report(request: Request, report_id: int, db: Database) -> ReportPublic:
    """The report, for those who may see it; 404 for everyone else."""
    return services.report_for(db, current_principal(request), report_id)


@post("/api/v1/reports/{report_id:int}/transition", opt=roles(Role.OFFICE), status_code=200, tags=TAGS,
      operation_id="transitionReport", security=BEARER_SECURITY, sync_to_thread=True)
def transition_report(request: Request, report_id: int, db: Database, data: TransitionIn) -> ReportPublic:
    """Move a case forward with a note; a bad move or a stale `row_version` gets 409."""
    principal = _principal(request)
    return services.report_for(db, principal, workflow.transition(db, principal, report_id, data))


@post("/api/v1/reports/{report_id:int}/responses", opt=roles(Role.DEPARTMENT), status_code=200, tags=TAGS,
      operation_id="respondToReport", security=BEARER_SECURITY, sync_to_thread=True)
def respond_to_report(request: Request, report_id: int, db: Database, data: ResponseIn) -> ReportPublic:
    """The department named answers a case in progress."""
    principal = _principal(request)
    return services.report_for(db, principal, workflow.respond(db, principal, report_id, data))


routes = [create_report, list_reports, report_stats, get_report, transition_report, respond_to_report]
