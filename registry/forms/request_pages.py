"""The department's pages for the forms a draft request proposes: build a form from the dictionary's indicators
(found on /indicators) and new ones, or drop one. They edit the request through admission's own update, so the
flags and impact are recomputed as for any edit."""

import msgspec
from litestar import Request, get, post
from litestar.response import Template

from registry.admission import services as admission
from registry.admission import workflow
from registry.admission.schemas import RequestPublic, RequestUpdate
from registry.choices import FormPeriod, IndicatorType, Role
from registry.db import Database
from registry.errors import Invalid, NotFound
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.web.auth import current_principal
from registry.web.guards import roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data

NEW_ROWS = 3


def _editable(db: Database, request: Request, request_id: int) -> RequestPublic:
    principal = current_principal(request)
    assert principal is not None
    with db.read() as session:
        req = admission.find(session, principal, request_id)
        refusal = workflow.edit_refusal(principal, req)
        if refusal is not None:
            raise refusal
        return admission.request_public(session, req)


def _page(request: Request, item: RequestPublic, values: dict, errors: dict, status_code: int = 200) -> Template:
    crumbs = [(_("Home"), "/"), (_("My requests"), "/requests/mine"), (item.number, f"/requests/{item.id}"),
              (_("Add a form"), None)]
    return render(request, "forms/propose.html", status_code=status_code, item=item, values=values, errors=errors,
                  periods=list(FormPeriod), types=list(IndicatorType), rows=range(NEW_ROWS), breadcrumb_items=crumbs)


def _save(db: Database, request: Request, item: RequestPublic, forms: list) -> None:
    principal = current_principal(request)
    assert principal is not None
    data = parse_data(RequestUpdate, {"forms": forms, "row_version": item.row_version})
    workflow.update(db, principal, item.id, data)  # type: ignore[arg-type]


@get("/requests/{request_id:int}/forms/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True, name="forms_propose")
def propose_page(request: Request, db: Database, request_id: int) -> Template:
    return _page(request, _editable(db, request, request_id), {}, {})


@post("/requests/{request_id:int}/forms/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True,
      name="forms_propose_save")
def propose_save(request: Request, db: Database, request_id: int, form: FormValues) -> object:
    item = _editable(db, request, request_id)
    questions: list[dict] = [{"code": code} for code in form.text("codes").replace(",", " ").split()]
    for n in range(NEW_ROWS):
        name = form.text(f"name_{n}")
        if not name:
            continue
        question = {"name": name, "unit": form.text(f"unit_{n}"), "type": form.text(f"type_{n}"),
                    "definition": form.text(f"definition_{n}")}
        if form.text(f"choices_{n}"):
            question["choices"] = [c.strip() for c in form.text(f"choices_{n}").split("|") if c.strip()]
        questions.append(question)
    proposed = {"title": form.text("title"), "period": form.text("period"), "indicators": questions}
    existing = msgspec.to_builtins(item.forms)
    try:
        _save(db, request, item, [*existing, proposed])
    except Invalid as exc:
        errors = {p["field"]: p["message"] for p in translated_problems(exc.problems)}
        return _page(request, item, dict(form), errors, status_code=422)
    notify(request, _("The form was added to the request; its checks were run again."), "success")
    return redirect(f"/requests/{request_id}")


@post("/requests/{request_id:int}/forms/{position:int}/delete", opt=roles(Role.DEPARTMENT), sync_to_thread=True,
      name="forms_propose_delete")
def propose_delete(request: Request, db: Database, request_id: int, position: int) -> object:
    item = _editable(db, request, request_id)
    existing = msgspec.to_builtins(item.forms)
    if not 0 <= position < len(existing):
        raise NotFound()
    _save(db, request, item, existing[:position] + existing[position + 1:])
    notify(request, _("The form was removed from the request."), "success")
    return redirect(f"/requests/{request_id}")


routes = [propose_page, propose_save, propose_delete]
