"""Admission pages: the department's requests and form, the reviewer's queue, the request page (公示)."""

from functools import partial

import anyio
from litestar import MediaType, Request, get, post
from litestar.response import Template

from registry.accounts.services import Principal
from registry.admission import decision, services, workflow
from registry.admission.api import localized
from registry.admission.forms import CONTENT_KEYS, body_from_form, errors_by_field, form_values, read_form
from registry.admission.schemas import DecisionIn, RequestCreate, RequestUpdate
from registry.choices import (
    BURDEN_LISTS,
    EDITABLE_STATES,
    N_,
    UNDECIDED_STATES,
    AppliesTo,
    Category,
    DecisionKind,
    Frequency,
    RequestKind,
    Role,
)
from registry.db import Database
from registry.errors import Conflict, Forbidden, Invalid
from registry.timeutil import as_utc, parse_ledger_timestamp, utcnow
from registry.web.auth import current_principal
from registry.web.errors import translated_problems
from registry.web.guards import public, roles
from registry.web.i18n import gettext as _
from registry.web.pages import notify, redirect, register_nav_badge, render
from registry.web.validation import parse_data


def for_page(item: dict) -> dict:
    """A REQUEST dict with its flags worded and its timestamps as datetimes (the `day`/`moment` filters take those)."""
    shown = localized(item)
    for key in ("created_at", "submitted_at", "due_at"):
        shown[key] = parse_ledger_timestamp(item.get(key))
    shown["decisions"] = [{**d, "at": parse_ledger_timestamp(d.get("at"))} for d in item.get("decisions", [])]
    return shown


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None
    return principal


def _form_page(
    request: Request, db: Database, *, item: dict | None, values: dict, errors: dict, status_code: int = 200
) -> Template:
    principal = _principal(request)
    with db.read() as session:
        candidates = services.offset_candidates(session, principal, exclude=item["id"] if item else None)
        duties = services.own_duties(session, principal.department_id)
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
    )


@get("/requests/mine", opt=roles("department"), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def my_requests(request: Request, db: Database) -> Template:
    principal = _principal(request)
    with db.read() as session:
        page = services.list_page(session, principal, None, 1, 100)
    return render(request, "admission/mine.html", items=[for_page(i) for i in page["items"]], total=page["total"])


@get("/requests/new", opt=roles("department"), include_in_schema=False, media_type=MediaType.HTML)
async def new_request(request: Request, db: Database, kind: str = "add", duty: str = "") -> Template:
    values = form_values(None)
    values.update(kind=kind if kind in set(RequestKind) else "add", duty_code=duty[:32])
    return await anyio.to_thread.run_sync(partial(_form_page, request, db, item=None, values=values, errors={}))


@post("/requests/new", opt=roles("department"), include_in_schema=False, media_type=MediaType.HTML)
async def new_request_submit(request: Request, db: Database) -> object:
    principal = _principal(request)
    values, offsets = await read_form(request)
    kind = values.get("kind", "")
    body = {**body_from_form(values, offsets, kind), "kind": kind or None, "submit": values.get("action") == "submit"}
    try:
        data = parse_data(RequestCreate, body)
        request_id = await anyio.to_thread.run_sync(partial(workflow.create, db, principal, data))
    except Invalid as exc:
        shown = {**values, "offsets": offsets, "funding_provided": values.get("funding_provided") == "1"}
        return await anyio.to_thread.run_sync(
            partial(_form_page, request, db, item=None, values=shown, errors=errors_by_field(exc), status_code=422)
        )
    notify(request, _("The request was submitted.") if body["submit"] else _("The draft was saved."), "success")
    return redirect(f"/requests/{request_id}")


def _item_for(db: Database, principal: Principal | None, request_id: int) -> dict:
    with db.read() as session:
        return services.request_public(session, services.find(session, principal, request_id))


@get("/requests/{request_id:int}/edit", opt=roles("department"), include_in_schema=False, media_type=MediaType.HTML)
async def edit_request(request: Request, request_id: int, db: Database) -> Template:
    principal = _principal(request)
    item = await anyio.to_thread.run_sync(partial(_item_for, db, principal, request_id))
    if item["department"]["code"] != principal.department_code:
        raise Forbidden(workflow.NOT_YOURS)
    if item["state"] not in EDITABLE_STATES:
        raise Conflict(N_("Only drafts and returned requests can be edited."))
    return await anyio.to_thread.run_sync(
        partial(_form_page, request, db, item=item, values=form_values(item), errors={})
    )


@post("/requests/{request_id:int}/edit", opt=roles("department"), include_in_schema=False, media_type=MediaType.HTML)
async def edit_request_submit(request: Request, request_id: int, db: Database) -> object:
    principal = _principal(request)
    values, offsets = await read_form(request)
    item = await anyio.to_thread.run_sync(partial(_item_for, db, principal, request_id))
    body = body_from_form(values, offsets, item["kind"])
    if item["kind"] == RequestKind.ADD:
        body.pop("duty_code", None)
    body["row_version"] = values.get("row_version") or None
    try:
        data = parse_data(RequestUpdate, body)
        await anyio.to_thread.run_sync(partial(
            workflow.update, db, principal, request_id, data, submit=values.get("action") == "submit"))
    except Invalid as exc:
        fresh = await anyio.to_thread.run_sync(partial(_item_for, db, principal, request_id))
        shown = {
            **values,
            "kind": item["kind"],
            "offsets": offsets,
            "row_version": fresh["row_version"],
            "funding_provided": values.get("funding_provided") == "1",
        }
        return await anyio.to_thread.run_sync(
            partial(_form_page, request, db, item=fresh, values=shown, errors=errors_by_field(exc), status_code=422)
        )
    notify(request, _("The request was submitted.") if values.get("action") == "submit" else _("Saved."), "success")
    return redirect(f"/requests/{request_id}")


def detail_context(db: Database, principal: Principal | None, request_id: int) -> dict:
    with db.read() as session:
        req = services.find(session, principal, request_id)
        item = services.request_public(session, req)
        index = services.region_index(session)
        villages, towns = services.affected_regions(index, req.scope_region_id, req.applies_to)
        stages = services.stage_names(session)
        current = services.current_content(session, req, index) if req.kind != RequestKind.ADD else None
        can_decide, why_not = False, None
        if principal is not None and principal.role in (Role.REVIEWER, Role.ADMIN):
            try:
                decision.authority(session, principal, req)
                can_decide = True
            except (Forbidden, Conflict) as exc:
                why_not = _(exc.message, **exc.params)
    owner = principal is not None and principal.role == Role.DEPARTMENT and principal.department_id == req.department_id
    scope = index.by_code.get(item["scope_code"] or "")
    return {
        "item": for_page(item),
        "scope_name": scope.name if scope else "",
        "villages": villages,
        "towns": towns,
        "stages": stages,
        "current": current,
        "can_decide": can_decide,
        "why_not": why_not,
        "owner": owner,
        "editable": owner and item["state"] in EDITABLE_STATES,
        "withdrawable": owner and item["state"] in UNDECIDED_STATES,
        "decisions": list(DecisionKind),
        "content_keys": CONTENT_KEYS,
        "burden_lists": BURDEN_LISTS,
    }


@get(
    "/requests/{request_id:int}", opt=public(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML
)
def request_page(request: Request, request_id: int, db: Database) -> Template:
    context = detail_context(db, current_principal(request), request_id)
    return render(request, "admission/detail.html", **context, form={}, errors={})


async def _department_action(request: Request, db: Database, request_id: int, action, message: str) -> object:  # type: ignore[no-untyped-def]
    principal = _principal(request)
    try:
        await anyio.to_thread.run_sync(partial(action, db, principal, request_id))
    except Invalid as exc:
        notify(
            request,
            _("The request is not complete enough to submit.")
            + " "
            + _("; ").join(f"{p['field']}: {p['message']}" for p in translated_problems(exc.problems)),
            "error",
        )
        return redirect(f"/requests/{request_id}/edit")
    notify(request, message, "success")
    return redirect(f"/requests/{request_id}")


@post("/requests/{request_id:int}/submit", opt=roles("department"), include_in_schema=False, media_type=MediaType.HTML)
async def submit_page(request: Request, request_id: int, db: Database) -> object:
    await request.form()
    return await _department_action(request, db, request_id, workflow.submit, _("The request was submitted."))


@post(
    "/requests/{request_id:int}/withdraw", opt=roles("department"), include_in_schema=False, media_type=MediaType.HTML
)
async def withdraw_page(request: Request, request_id: int, db: Database) -> object:
    await request.form()
    return await _department_action(request, db, request_id, workflow.withdraw, _("The request was withdrawn."))


@post(
    "/requests/{request_id:int}/decision",
    opt=roles("reviewer", "admin"),
    include_in_schema=False,
    media_type=MediaType.HTML,
)
async def decision_page(request: Request, request_id: int, db: Database) -> object:
    principal = _principal(request)
    values, _offsets = await read_form(request)
    form = {
        "decision": values.get("decision") or None,
        "reason": values.get("reason", ""),
        "exemption_reason": (values.get("exemption_reason") or "").strip() or None,
    }
    try:
        data = parse_data(DecisionIn, form)
        await anyio.to_thread.run_sync(partial(decision.decide, db, principal, request_id, data))
    except Invalid as exc:
        context = await anyio.to_thread.run_sync(partial(detail_context, db, principal, request_id))
        return render(
            request, "admission/detail.html", status_code=422, **context, form=values, errors=errors_by_field(exc)
        )
    except (Conflict, Forbidden) as exc:
        # The page again, saying why: 403 (own department) or 409 (someone decided first, or nothing waits).
        notify(request, _(exc.message, **exc.params), "error")
        context = await anyio.to_thread.run_sync(partial(detail_context, db, principal, request_id))
        return render(request, "admission/detail.html", status_code=403 if isinstance(exc, Forbidden) else 409,
                      **context)
    notify(request, _("Your decision was recorded."), "success")
    return redirect(f"/requests/{request_id}")


@get("/review", opt=roles("reviewer", "admin"), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def review_queue(request: Request, db: Database) -> Template:
    principal = _principal(request)
    with db.read() as session:
        rows = services.queue(session, principal)
        lookups = services.Lookups.load(session, rows)
        items = [for_page(services.request_public(session, r, lookups)) for r in rows]
        stages = {s.code: s.name for s in lookups.stages.values()}
    now = utcnow()
    overdue = {r.id for r in rows if r.due_at is not None and as_utc(r.due_at) < now}
    return render(request, "admission/review.html", items=items, stages=stages, overdue=overdue)


def _badge(request: Request, principal: Principal) -> int | None:
    db = request.app.state.get("db")
    if db is None:
        return None
    with db.read() as session:
        return services.badge_count(session, principal)


register_nav_badge(_badge)

routes = [
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
