"""Pages of the form register: the register, a form, the dictionary, the figures with their chart (public), and
the village's entry page for a period (its cadres; CSRF protected), and the department's pages that build the
forms a draft request proposes."""

import msgspec
from litestar import Request, get, post
from litestar.response import Template

from registry.admission import services as admission
from registry.admission import workflow
from registry.admission.schemas import RequestPublic, RequestUpdate
from registry.choices import FormPeriod, IndicatorType, Role
from registry.db import Database
from registry.errors import Invalid, NotFound
from registry.forms import charts, data, services
from registry.forms.schemas import DataIn
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.regions.services import region_index
from registry.web.auth import current_principal
from registry.web.guards import public_page, roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Home"), "/"), (_("Forms"), "/forms"), *items]


@get("/forms", opt=public_page(), sync_to_thread=True, name="forms_index")
def forms_index(request: Request, db: Database) -> Template:
    with db.read() as session:
        found = services.list_forms(session, per_page=10_000)
        figures = services.stats(session)
    return render(request, "forms/index.html", forms=found.items, stats=figures,
                  breadcrumb_items=[(_("Home"), "/"), (_("Forms"), None)])


@get("/forms/stats", opt=public_page(), sync_to_thread=True, name="forms_stats")
def forms_stats(request: Request, db: Database) -> Template:
    with db.read() as session:
        figures = services.stats(session)
        chart_list = charts.charts(session, figures)
    return render(request, "forms/stats.html", stats=figures, charts=chart_list,
                  breadcrumb_items=_crumbs((_("Figures of the form register"), None)))


@get("/forms/{code:str}", opt=public_page(), sync_to_thread=True, name="forms_detail")
def form_page(request: Request, db: Database, code: str) -> Template:
    with db.read() as session:
        form = services.form_detail(session, code)
    return render(request, "forms/detail.html", form=form, breadcrumb_items=_crumbs((form.title, None)))


@get("/indicators", opt=public_page(), sync_to_thread=True, name="indicators_index")
def indicators_page(request: Request, db: Database, q: str | None = None) -> Template:
    with db.read() as session:
        found = services.list_indicators(session, (q or "")[:200], per_page=10_000)
    return render(request, "forms/indicators.html", indicators=found.items, q=(q or "")[:200],
                  breadcrumb_items=_crumbs((_("Indicator dictionary"), None)))


@get("/data", opt=roles(Role.CADRE), sync_to_thread=True, name="forms_data_start")
def data_start(request: Request, db: Database) -> Template:
    """Where a cadre starts entering data: their village (or their town's villages) and this period of each kind."""
    principal = current_principal(request)
    assert principal is not None
    with db.read() as session:
        index = region_index(session)
        region = index.by_id.get(principal.region_id) if principal.region_id else None
        villages = index.villages_below(region) if region else []
    periods = [(kind, data.current_period(kind)) for kind in (FormPeriod.MONTHLY, FormPeriod.QUARTERLY,
                                                               FormPeriod.YEARLY)]
    return render(request, "forms/start.html", villages=villages, periods=periods,
                  breadcrumb_items=[(_("Home"), "/"), (_("Enter data"), None)])


def _sheet_page(request: Request, sheet: data.Sheet, entered: dict[str, str], errors: dict[str, str],
                status_code: int = 200) -> Template:
    crumbs = [(_("Home"), "/"), (_("Enter data"), "/data"), (f"{sheet.village.name} · {sheet.period.text}", None)]
    return render(request, "forms/sheet.html", status_code=status_code, sheet=sheet, entered=entered,
                  errors=errors, breadcrumb_items=crumbs)


@get("/regions/{village:str}/data/{period:str}", opt=roles(Role.CADRE), sync_to_thread=True, name="forms_sheet")
def sheet_page(request: Request, db: Database, village: str, period: str) -> Template:
    principal = current_principal(request)
    assert principal is not None
    return _sheet_page(request, data.entry_sheet(db, principal, village, period), {}, {})


def _typed(kind: IndicatorType, text: str) -> object:
    """A form field as the API would receive it; text that is not of the type stays text (and is refused)."""
    try:
        if kind == IndicatorType.INTEGER:
            return int(text)
        if kind == IndicatorType.DECIMAL:
            return float(text)
    except ValueError:
        return text
    if kind == IndicatorType.BOOLEAN:
        return {"true": True, "false": False}.get(text, text)
    return text


@post("/regions/{village:str}/data/{period:str}", opt=roles(Role.CADRE), sync_to_thread=True,
      name="forms_sheet_save")
def sheet_save(request: Request, db: Database, village: str, period: str, form: FormValues) -> object:
    principal = current_principal(request)
    assert principal is not None
    sheet = data.entry_sheet(db, principal, village, period)
    entered = {line.indicator.code: form.text(f"v_{line.indicator.code}") for line in sheet.lines}
    values = {code: _typed(IndicatorType(line.indicator.type), entered[code])
              for line in sheet.lines if (code := line.indicator.code) and entered[code]}
    try:
        data.enter_data(db, principal, village, period, DataIn.model_validate({"values": values}))
    except Invalid as exc:
        errors = {p["field"].removeprefix("values."): p["message"] for p in translated_problems(exc.problems)}
        return _sheet_page(request, sheet, entered, errors, status_code=422)
    notify(request, _("Saved. Every form that asks these figures now shows them."), "success")
    return redirect(f"/regions/{village}/data/{period}")


# ---------------------------------------------------------------- the forms a draft request proposes
# They edit the request through admission's own update, so its flags and impact are recomputed as for any edit.

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



routes = [forms_index, forms_stats, form_page, indicators_page, data_start, sheet_page, sheet_save,
          propose_page, propose_save, propose_delete]

