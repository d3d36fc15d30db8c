"""JSON routes of reports and cases (contract §6): file, move, respond, read, list, the year's figures."""

from pathlib import Path
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.di import Provide
from litestar.params import Parameter

from registry.accounts.services import Principal
from registry.choices import ReportKind, ReportSource, ReportState, Role
from registry.db import Database
from registry.reports import evidence, services, workflow
from registry.reports.schemas import ReportCreate, ReportPage, ReportPublic, ReportStats, ResponseIn, TransitionIn
from registry.settings import Settings
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
    report_state: Annotated[str | None, Parameter(query="state", max_length=40,
                                                  schema_extra={"enum": [*ReportState.values(), ""]})] = None,
    kind: Annotated[str | None, Parameter(max_length=40, schema_extra={"enum": [*ReportKind.values(), ""]})] = None,
    department: Annotated[str | None, Parameter(max_length=40)] = None,
    source: Annotated[str | None, Parameter(max_length=40, schema_extra={"enum": [*ReportSource.values(), ""]})] = None,
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


async def raw_body(request: Request) -> bytes:
    """The request's body as sent (an upload is a file, not JSON); the route's size limit applies."""
    return await request.body()


def evidence_dir(settings: Settings) -> Path:
    """Where evidence files live (evidence.directory)."""
    return evidence.directory(settings)


@post("/api/v1/reports/{report_id:int}/files", opt={**roles(Role.CADRE, Role.OFFICE),
                                                     "max_body_bytes": evidence.MAX_BYTES + 64 * 1024},
      request_max_body_size=evidence.MAX_BYTES + 64 * 1024, status_code=201, tags=TAGS, operation_id="attachFile",
      security=BEARER_SECURITY, sync_to_thread=True, dependencies={"upload": Provide(raw_body)})
def attach_file(request: Request, report_id: int, db: Database, settings: Settings, upload: bytes) -> ReportPublic:
    """Attach one photo (JPEG, PNG, WebP) or PDF as the raw body, at most 5 MB, at most 5 files a report; the
    type is read from the content."""
    principal = _principal(request)
    evidence.attach(db, evidence_dir(settings), principal, report_id, upload)
    return services.report_for(db, principal, report_id)


@get("/api/v1/reports/{report_id:int}/files/{file_id:int}", opt=public(), sync_to_thread=True, tags=TAGS,
     operation_id="getFile")
def get_file(request: Request, report_id: int, file_id: int, db: Database, settings: Settings) -> Response:
    """The file, for those who may see the report; 404 for everyone else."""
    return file_response(db, settings, current_principal(request), report_id, file_id)


def file_response(db: Database, settings: Settings, principal: Principal | None, report_id: int,
                  file_id: int) -> Response:
    """A stored evidence file as a download (this route and the case page's link share it)."""
    row, number, content = evidence.read(db, evidence_dir(settings), principal, report_id, file_id)
    name = f"{number}-{row.id}.{evidence.EXTENSIONS[row.media_type]}"
    return Response(content=content, media_type=row.media_type, headers={
        "content-disposition": f'attachment; filename="{name}"', "x-content-type-options": "nosniff",
        "cache-control": "private, no-store", "x-checksum-sha256": row.sha256})


routes = [create_report, list_reports, report_stats, get_report, transition_report, respond_to_report, attach_file,
          get_file]
