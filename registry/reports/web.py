"""Report pages: the cadre's form (the match shown after filing), the office's queue, the case page with the
office's transition form and the department's response form, the public figures with CSV. Thin: they ask
registry.reports.services who sees what and registry.reports.workflow what may be done."""

from typing import Annotated

from litestar import MediaType, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.params import Parameter
from litestar.response import Response, Template

from registry.accounts.services import Principal
from registry.choices import (
    REPORT_MOVES,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    ReportSource,
    ReportState,
    Role,
)
from registry.db import Database
from registry.errors import Conflict, Forbidden, Invalid
from registry.i18n import first_problem_of_each_input
from registry.i18n import gettext as _
from registry.regions.services import active_departments, region_index
from registry.reports import api, audit, evidence, feed, services, workflow
from registry.reports.schemas import ReportCreate, ResponseIn, TransitionIn
from registry.settings import Settings
from registry.tabular import csv_bytes
from registry.timeutil import local_date, utcnow
from registry.web.auth import current_principal
from registry.web.guards import public, public_page, roles
from registry.web.pages import FormValues, notify, redirect, register_nav_badge, render
from registry.web.validation import parse_data

LISTERS = (Role.OFFICE, Role.ADMIN, Role.CADRE, Role.DEPARTMENT)
FILERS = (Role.CADRE, Role.OFFICE)
PER_PAGE = 50


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None
    return principal


def _errors(exc: Invalid) -> dict[str, str]:
    return first_problem_of_each_input(exc.problems)


def _form_page(request: Request, db: Database, values: dict, errors: dict, status_code: int = 200) -> Template:
    principal = _principal(request)
    with db.read() as session:
        departments = [(d.code, d.name) for d in active_departments(session)]
        index = region_index(session)
        own = index.by_id.get(principal.region_id) if principal.region_id is not None else None
        regions = [own, *index.children_of(own)] if own is not None and principal.role == Role.CADRE else []
    return render(request, "reports/new.html", status_code=status_code, values=values, errors=errors,
                  kinds=list(ReportKind), sources=list(ReportSource), channels=list(ReportChannel),
                  departments=departments, regions=[(r.code, r.name) for r in regions if r is not None],
                  today=local_date(utcnow()).isoformat())


@get("/reports/new", opt=roles(*FILERS), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def new_report(request: Request, db: Database) -> Template:
    values = {"kind": ReportKind.UNLISTED_TASK.value, "asked_on": local_date(utcnow()).isoformat()}
    return _form_page(request, db, values, {})


@post("/reports/new", opt=roles(*FILERS), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def new_report_submit(request: Request, db: Database, form: FormValues) -> object:
    principal = _principal(request)
    body = {
        "kind": form.text("kind") or None, "source": form.text("source") or None,
        "region_code": form.text("region_code") or None, "department": (form.get("department") or "").strip() or None,
        "unit_text": form.text("unit_text"), "title": form.get("title", ""),
        "description": form.get("description", ""), "asked_on": form.text("asked_on") or None,
        "channel": form.text("channel") or None,
        "share_region_with_department": form.get("share_region_with_department") == "1",
    }
    try:
        report_id = workflow.file_report(db, principal, parse_data(ReportCreate, body))
    except Invalid as exc:
        return _form_page(request, db, dict(form), _errors(exc), status_code=422)
    notify(request, _("Your report was filed. The county office will take it up."), "success")
    return redirect(f"/reports/{report_id}")


@get("/reports", opt=roles(*LISTERS), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def report_queue(request: Request, db: Database,
                 case_state: Annotated[str, Parameter(query="state", max_length=40)] = "",
                 department: Annotated[str, Parameter(max_length=40)] = "",
                 source: Annotated[str, Parameter(max_length=40)] = "",
                 kind: Annotated[str, Parameter(max_length=40)] = "", overdue: bool = False,
                 page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1) -> Template:
    principal = _principal(request)
    filters = services.parse_filters(case_state, kind, department, source, overdue)
    with db.read() as session:
        found = services.list_page(session, principal, filters, page, PER_PAGE)
        departments = [(d.code, d.name) for d in active_departments(session)]
    now = utcnow()
    return render(request, "reports/list.html", page=found, filters=filters, states=list(ReportState),
                  sources=list(ReportSource), departments=departments,
                  overdue_ids={it.id for it in found.items if services.is_overdue(it, now)})


def _case_context(db: Database, principal: Principal | None, report_id: int) -> dict:
    with db.read() as session:
        report = services.find(session, principal, report_id)
        item = services.report_public(session, report, principal)
        moves = sorted(REPORT_MOVES[ReportState(report.state)]) if principal and principal.role == Role.OFFICE else []
        can_respond = workflow.respond_refusal(principal, report) is None
        can_attach = evidence.upload_refusal(principal, report) is None
        can_audit = principal is not None and principal.role in services.SEES_ALL
    return {"item": item, "moves": [ReportState(m) for m in moves], "outcomes": list(ReportOutcome),
            "can_respond": can_respond, "can_attach": can_attach, "can_audit": can_audit,
            "max_files": evidence.MAX_FILES, "overdue": services.is_overdue(item)}


@get("/reports/{report_id:int}", opt=public(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def report_page(request: Request, report_id: int, db: Database) -> Template:
    return render(request, "reports/detail.html", **_case_context(db, current_principal(request), report_id),
                  form={}, errors={})


def _case_again(request: Request, db: Database, report_id: int, form: FormValues, errors: dict,
                status_code: int) -> Template:
    context = _case_context(db, _principal(request), report_id)
    return render(request, "reports/detail.html", status_code=status_code, **context, form=dict(form), errors=errors)


@post("/reports/{report_id:int}/transition", opt=roles(Role.OFFICE), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def transition_page(request: Request, report_id: int, db: Database, form: FormValues) -> object:
    body = {"state": form.text("state") or None, "note": form.get("note", ""),
            "outcome": form.text("outcome") or None, "request_number": form.text("request_number") or None,
            "row_version": form.text("row_version") or None}
    try:
        workflow.transition(db, _principal(request), report_id, parse_data(TransitionIn, body))
    except Invalid as exc:
        return _case_again(request, db, report_id, form, _errors(exc), 422)
    except Conflict as exc:
        notify(request, _(exc.message, **exc.params), "error")
        return _case_again(request, db, report_id, form, {}, 409)
    notify(request, _("The case was updated."), "success")
    return redirect(f"/reports/{report_id}")


@post("/reports/{report_id:int}/responses", opt=roles(Role.DEPARTMENT), sync_to_thread=True,
      include_in_schema=False, media_type=MediaType.HTML)
def response_page(request: Request, report_id: int, db: Database, form: FormValues) -> object:
    body = {"note": form.get("note", ""), "row_version": form.text("row_version") or None}
    try:
        workflow.respond(db, _principal(request), report_id, parse_data(ResponseIn, body))
    except Invalid as exc:
        return _case_again(request, db, report_id, form, _errors(exc), 422)
    except (Conflict, Forbidden) as exc:
        notify(request, _(exc.message, **exc.params), "error")
        return _case_again(request, db, report_id, form, {}, 409 if isinstance(exc, Conflict) else 403)
    notify(request, _("Your response was recorded."), "success")
    return redirect(f"/reports/{report_id}")


UPLOAD_LIMIT = evidence.MAX_BYTES + 64 * 1024  # the file and the form around it


async def uploaded_file(request: Request) -> bytes:
    """The bytes of the multipart form's `file` field; b"" when no file was chosen (evidence.attach says why)."""
    form = await request.form()
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        return await upload.read()
    return b""


@post("/reports/{report_id:int}/files", opt={**roles(*FILERS), "max_body_bytes": UPLOAD_LIMIT},
      request_max_body_size=UPLOAD_LIMIT, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML,
      dependencies={"upload": Provide(uploaded_file)})
def attach_page(request: Request, report_id: int, db: Database, settings: Settings, upload: bytes) -> object:
    """The case page's upload form: evidence.attach decides, its refusal is shown in the page's error summary."""
    try:
        evidence.attach(db, evidence.directory(settings), _principal(request), report_id, upload)
    except Invalid as exc:
        return _case_again(request, db, report_id, FormValues({}, {}), _errors(exc), 422)
    except (Conflict, Forbidden) as exc:
        errors = {"file": _(exc.message, **exc.params)}
        return _case_again(request, db, report_id, FormValues({}, {}), errors,
                           409 if isinstance(exc, Conflict) else 403)
    notify(request, _("The file was attached."), "success")
    return redirect(f"/reports/{report_id}#evidence")


@get("/reports/{report_id:int}/audit", opt=roles(Role.OFFICE, Role.ADMIN), sync_to_thread=True,
     include_in_schema=False, media_type=MediaType.HTML)
def audit_page(request: Request, report_id: int, db: Database) -> Template:
    """The only page that names who filed the report (office and admins; each look is recorded)."""
    return render(request, "reports/audit.html", audit=audit.reporter_audit(db, _principal(request), report_id))


@get("/reports/{report_id:int}/files/{file_id:int}", opt=public(), sync_to_thread=True, include_in_schema=False)
def file_page(request: Request, report_id: int, file_id: int, db: Database, settings: Settings) -> Response:
    """The case page's link to a file (the signed-in session; the API route takes bearer tokens)."""
    return api.file_response(db, settings, current_principal(request), report_id, file_id)


def _year(year: int | None) -> int:
    current = local_date(utcnow()).year
    return year if year is not None and 2000 <= year <= 2100 else current


@get("/reports/stats", opt=public_page(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def stats_page(request: Request, db: Database, year: int | None = None) -> Template:
    chosen = _year(year)
    with db.read() as session:
        figures = services.stats(session, chosen)
    current = local_date(utcnow()).year
    return render(request, "reports/stats.html", stats=figures, years=list(range(current, current - 5, -1)),
                  outcomes=list(ReportOutcome), sources=list(ReportSource))


@get("/reports/stats.csv", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def stats_csv(db: Database, year: int | None = None) -> Response:
    chosen = _year(year)
    with db.read() as session:
        figures = services.stats(session, chosen)
    header = [_("Department code"), _("Department"), _("Collected"), _("Resolved"), _("Task withdrawn"),
              _("Median working days to resolve")]
    rows = [[d.code, d.name, d.collected, d.resolved, d.withdrawn, d.median_working_days]
            for d in figures.by_department]
    rows.append(["", _("All departments"), figures.collected, figures.resolved,
                 figures.by_outcome.get(ReportOutcome.WITHDRAWN.value, 0), None])
    return Response(content=csv_bytes(header, rows), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="reports-{chosen}.csv"'})


@get("/reports/departments/{code:str}/feed.atom", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def department_feed(code: str, db: Database, settings: Settings) -> Response:
    """A department's closed cases as Atom; links start with REGISTRY_PUBLIC_URL, never the request's Host."""
    with db.read() as session:
        content = feed.department_feed(session, code, settings.public_url)
    return Response(content=content, media_type="application/atom+xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=60"})


def _badge(request: Request, principal: Principal) -> dict[str, int]:
    """The office: new and overdue cases; a department: the open cases naming it."""
    if principal.role not in (Role.OFFICE, Role.DEPARTMENT):
        return {}
    with request.app.state.db.read() as session:
        return {"/reports": services.badge_count(session, principal)}


register_nav_badge(_badge)

routes = [new_report, new_report_submit, report_queue, report_page, transition_page, response_page, attach_page,
          file_page, audit_page, stats_page, stats_csv, department_feed]
