"""Admission pages: the department's requests and form, the reviewer's queue, the request page (公示)."""

from dataclasses import dataclass
from typing import Annotated

from litestar import MediaType, Request, get, post
from litestar.params import Parameter
from litestar.response import Template

from registry.accounts.services import Principal
from registry.admission import decision, services, workflow
from registry.admission.forms import body_from_form, errors_by_field, form_values
from registry.admission.schemas import DecisionIn, RequestCreate, RequestPublic, RequestUpdate
from registry.catalog.schemas import CONTENT_FIELDS
from registry.choices import (
    BURDEN_LISTS,
    DECIDED_PUBLIC_STATES,
    TOTALS_FIELDS,
    AppliesTo,
    Category,
    DecisionKind,
    Frequency,
    RequestKind,
    Role,
)
from registry.db import Database
from registry.errors import Conflict, Forbidden, Invalid, RegistryError
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.regions.picker import picker_choices
from registry.timeutil import as_utc, utcnow
from registry.web.auth import current_principal
from registry.web.guards import public, public_page, roles
from registry.web.pages import FormValues, notify, redirect, register_nav_badge, render
from registry.web.params import whole_number
from registry.web.validation import parse_data


@dataclass(frozen=True)
class Permissions:
    """What the reader may do with a request now, as the write services decide it."""

    owner: bool
    can_edit: bool
    can_withdraw: bool
    can_decide: bool
    why_not: str | None  # why a reviewer or admin may not decide, in the reader's language


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None
    return principal


def _form_page(request: Request, db: Database, *, item: RequestPublic | None, values: dict, errors: dict,
               status_code: int = 200) -> Template:
    principal = _principal(request)
    with db.read() as session:
        candidates = services.offset_candidates(session, principal, exclude=item.id if item else None)
        duties = services.own_duties(session, principal.department_id)
        index = services.region_index(session)
        # A clerk picks among their department's own region (contract §10: it files only within it).
        home = index.by_id.get(principal.department_region_id) if principal.department_region_id else None
        regions = picker_choices(index, home)
    return render(
        request,
        "admission/form.html",
        status_code=status_code,
        item=item,
        values=values,
        errors=errors,
        kinds=list(RequestKind),
        categories=list(Category),
        applies=list(AppliesTo),
        frequencies=list(Frequency),
        burden_lists=BURDEN_LISTS,
        candidates=candidates,
        duties=duties,
        regions=regions,
    )


@get("/requests/mine", opt=roles(Role.DEPARTMENT),
     sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def my_requests(request: Request, db: Database) -> Template:
    with db.read() as session:
        page = services.list_page(session, _principal(request), None, 1, 100)
    return render(request, "admission/mine.html", items=page.items, total=page.total)


@get("/requests/new", opt=roles(Role.DEPARTMENT),
     sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def new_request(request: Request, db: Database, kind: str = RequestKind.ADD.value, duty: str = "") -> Template:
    values = form_values(None)
    values.update(kind=kind if kind in RequestKind.values() else RequestKind.ADD.value, duty_code=duty[:32])
    return _form_page(request, db, item=None, values=values, errors={})


def _shown_values(form: FormValues, **overrides: object) -> dict:
    """The form's values as the form template shows them again after a refusal."""
    return {**form, "offsets": form.getall("offsets"), **overrides}


@post("/requests/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def new_request_submit(request: Request, db: Database, form: FormValues) -> object:
    principal = _principal(request)
    kind = form.get("kind", "")
    submit = form.get("action") == "submit"
    body = {**body_from_form(form, form.getall("offsets"), kind), "kind": kind or None, "submit": submit}
    try:
        request_id = workflow.create(db, principal, parse_data(RequestCreate, body))
    except Invalid as exc:
        return _form_page(request, db, item=None, values=_shown_values(form), errors=errors_by_field(exc),
                          status_code=422)
    notify(request, _("The request was submitted.") if submit else _("The draft was saved."), "success")
    return redirect(f"/requests/{request_id}")


def _editable_item(db: Database, principal: Principal, request_id: int) -> tuple[RequestPublic, bool | None]:
    """The request (and its funding as stated, None = not yet), if this principal may edit it now (the services'
    rule); its refusal otherwise."""
    with db.read() as session:
        req = services.find(session, principal, request_id)
        refusal = workflow.edit_refusal(principal, req)
        if refusal is not None:
            raise refusal
        return services.request_public(session, req), req.funding_provided


@get("/requests/{request_id:int}/edit", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def edit_request(request: Request, request_id: int, db: Database) -> Template:
    item, funding_provided = _editable_item(db, _principal(request), request_id)
    return _form_page(request, db, item=item, values=form_values(item, funding_provided), errors={})


@post("/requests/{request_id:int}/edit", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def edit_request_submit(request: Request, request_id: int, db: Database, form: FormValues) -> object:
    principal = _principal(request)
    item = services.request_for(db, principal, request_id)
    body = body_from_form(form, form.getall("offsets"), item.kind)
    if item.kind == RequestKind.ADD:
        body.pop("duty_code", None)
    body["row_version"] = form.get("row_version") or None
    submit = form.get("action") == "submit"
    try:
        workflow.update(db, principal, request_id, parse_data(RequestUpdate, body), submit=submit)
    except Invalid as exc:
        fresh = services.request_for(db, principal, request_id)
        shown = _shown_values(form, kind=item.kind, row_version=fresh.row_version)
        return _form_page(request, db, item=fresh, values=shown, errors=errors_by_field(exc), status_code=422)
    notify(request, _("The request was submitted.") if submit else _("Saved."), "success")
    return redirect(f"/requests/{request_id}")


def _why(refusal: RegistryError | None) -> str | None:
    return _(refusal.message, **refusal.params) if refusal is not None else None


def detail_context(db: Database, principal: Principal | None, request_id: int) -> dict:
    """Everything the request page shows, and what the reader may do (asked of the services, not decided here)."""
    with db.read() as session:
        req = services.find(session, principal, request_id)
        item = services.request_public(session, req)
        index = services.region_index(session)
        villages, towns = services.affected_regions(index, req.scope_region_id, req.applies_to)
        stages = services.stage_names(session)
        current = services.current_content(session, req, index) if req.kind != RequestKind.ADD else None
        decides = principal is not None and principal.role in (Role.REVIEWER, Role.ADMIN)
        decide_refusal = decision.decide_refusal(session, principal, req) if decides else Forbidden()
        permissions = Permissions(
            owner=workflow.is_owner(principal, req),
            can_edit=workflow.edit_refusal(principal, req) is None,
            can_withdraw=workflow.withdraw_refusal(principal, req) is None,
            can_decide=decides and decide_refusal is None,
            why_not=_why(decide_refusal) if decides else None,
        )
    scopes = {code: index.by_code[code].name for code in (item.scope_code, getattr(current, "scope_code", None))
              if code and code in index.by_code}
    return {
        "item": item,
        "scope_names": scopes,
        "villages": villages,
        "towns": towns,
        "stages": stages,
        "current": current,
        "permissions": permissions,
        "decisions": list(DecisionKind),
        "content_keys": CONTENT_FIELDS,
        "burden_lists": BURDEN_LISTS,
        "totals_fields": TOTALS_FIELDS,
    }


@get("/requests/{request_id:int}", opt=public(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def request_page(request: Request, request_id: int, db: Database) -> Template:
    context = detail_context(db, current_principal(request), request_id)
    return render(request, "admission/detail.html", **context, form={}, errors={})


def _department_action(request: Request, db: Database, request_id: int, action, message: str) -> object:  # type: ignore[no-untyped-def]
    try:
        action(db, _principal(request), request_id)
    except Invalid as exc:
        problems = _("; ").join(f"{p['field']}: {p['message']}" for p in translated_problems(exc.problems))
        notify(request, _("The request is not complete enough to submit.") + " " + problems, "error")
        return redirect(f"/requests/{request_id}/edit")
    notify(request, message, "success")
    return redirect(f"/requests/{request_id}")


@post("/requests/{request_id:int}/submit", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def submit_page(request: Request, request_id: int, db: Database, form: FormValues) -> object:
    return _department_action(request, db, request_id, workflow.submit, _("The request was submitted."))


@post("/requests/{request_id:int}/withdraw", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def withdraw_page(request: Request, request_id: int, db: Database, form: FormValues) -> object:
    """撤回 asks first: without `confirmed=yes` (the button's dialog adds it) the answer is a confirmation page."""
    if form.get("confirmed") != "yes":
        with db.read() as session:
            req = services.find(session, _principal(request), request_id)
            refusal = workflow.withdraw_refusal(_principal(request), req)
        if refusal is not None:
            raise refusal
        return render(request, "confirm.html", action=f"/requests/{request_id}/withdraw",
                      back=f"/requests/{request_id}",
                      question=_("Withdraw request %(number)s? It cannot be submitted again; a new request would "
                                 "have to be filed.", number=req.number))
    return _department_action(request, db, request_id, workflow.withdraw, _("The request was withdrawn."))


@post("/requests/{request_id:int}/decision", opt=roles(Role.REVIEWER, Role.ADMIN), sync_to_thread=True,
      include_in_schema=False, media_type=MediaType.HTML)
def decision_page(request: Request, request_id: int, db: Database, form: FormValues) -> object:
    principal = _principal(request)
    fields = {
        "decision": form.get("decision") or None,
        "reason": form.get("reason", ""),
        "exemption_reason": form.text("exemption_reason") or None,
    }
    try:
        decision.decide(db, principal, request_id, parse_data(DecisionIn, fields))
    except Invalid as exc:
        context = detail_context(db, principal, request_id)
        return render(request, "admission/detail.html", status_code=422, **context, form=dict(form),
                      errors=errors_by_field(exc))
    except (Conflict, Forbidden) as exc:
        # The page again, saying why: 403 (own department) or 409 (someone decided first, or nothing waits).
        notify(request, _(exc.message, **exc.params), "error")
        context = detail_context(db, principal, request_id)
        return render(request, "admission/detail.html", status_code=403 if isinstance(exc, Forbidden) else 409,
                      **context, form={}, errors={})
    notify(request, _("Your decision was recorded."), "success")
    return redirect(f"/requests/{request_id}")


def _parse_year(year: str | None) -> int | None:
    return int(year) if year and year.isascii() and year.isdigit() and len(year) == 4 and int(year) >= 2000 else None


@get("/requests", opt=public_page(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML,
     name="decided_requests")
def decided_requests(request: Request, db: Database,
                     request_state: Annotated[str | None, Parameter(query="state")] = None,
                     department: str | None = None, year: str | None = None, page: str | None = None) -> Template:
    """公示: every decided request (approved, rejected) with its decisions and reasons, for everyone; the same
    list as `GET /api/v1/requests` gives an anonymous caller."""
    chosen_state = request_state if request_state in DECIDED_PUBLIC_STATES else None
    chosen_year = _parse_year(year)
    number = whole_number(page, "page", 1, 1, 1_000_000, max_digits=7)
    with db.read() as session:
        found = services.list_page(session, None, chosen_state, number, 20, department=(department or "")[:32] or None,
                                   year=chosen_year)
        departments = list(services.department_lookup(session).by_code.values())
        years = services.filing_years(session)
        stages = services.stage_names(session)
    return render(request, "admission/decided.html", items=found.items, total=found.total, page=number, per_page=20,
                  state=chosen_state or "", department=department or "", year=chosen_year, departments=departments,
                  years=years, stages=stages, states=sorted(DECIDED_PUBLIC_STATES))


@get("/review", opt=roles(Role.REVIEWER, Role.ADMIN),
     sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def review_queue(request: Request, db: Database) -> Template:
    principal = _principal(request)
    with db.read() as session:
        rows = services.queue(session, principal)
        lookups = services.Lookups.load(session, rows)
        items = [services.request_public(session, r, lookups) for r in rows]
        stages = {s.code: s.name for s in lookups.stages.values()}
    now = utcnow()
    overdue = {r.id for r in rows if r.due_at is not None and as_utc(r.due_at) < now}
    return render(request, "admission/review.html", items=items, stages=stages, overdue=overdue)


def _badge(request: Request, principal: Principal) -> dict[str, int]:
    """Reviewers and admins: what waits in their queue; departments: their requests returned or just decided."""
    href = {Role.REVIEWER: "/review", Role.ADMIN: "/review", Role.DEPARTMENT: "/requests/mine"}.get(principal.role)
    if href is None:
        return {}
    with request.app.state.db.read() as session:
        return {href: services.badge_count(session, principal)}


register_nav_badge(_badge)

routes = [
    decided_requests,
    my_requests,
    new_request,
    new_request_submit,
    edit_request,
    edit_request_submit,
    request_page,
    submit_page,
    withdraw_page,
    decision_page,
    review_queue,
]
