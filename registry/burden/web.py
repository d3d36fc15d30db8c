"""Burden pages: the dashboard, a region's burden profile, chart data as CSV, the budget (admin)."""

from litestar import Request, Response, get, post
from litestar.response import Template

from registry.burden import dashboard, profile, services
from registry.burden.schemas import Caps
from registry.choices import TOTALS_FIELDS, Role
from registry.db import Database
from registry.errors import Invalid, NotFound
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.web.auth import current_principal
from registry.web.guards import public_page, roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data


@get("/burden", opt=public_page(), sync_to_thread=True, name="burden_dashboard")
def burden_dashboard(request: Request, db: Database) -> Template:
    with db.read() as session:
        burden, charts = dashboard.charts(session)
    return render(request, "burden/dashboard.html", burden=burden, charts=charts,
                  breadcrumb_items=[(_("Home"), "/"), (_("Burden dashboard"), None)])


@get("/burden/regions/{code:str}", opt=public_page(), sync_to_thread=True, name="burden_region")
def burden_region(request: Request, code: str, db: Database) -> Template:
    with db.read() as session:
        burden = services.region_burden(session, code)
        index = profile.region_index(session)
        region = index.get(code)
        children = index.children_of(region) if region else []
        chain = list(reversed(index.ancestors(region)))[:-1] if region else []
    crumbs = [(_("Home"), "/"), (_("Burden dashboard"), "/burden")]
    crumbs += [(r.name, f"/burden/regions/{r.code}") for r in chain] + [(burden.region.name, None)]
    return render(request, "burden/region.html", burden=burden, children=children, breadcrumb_items=crumbs)


@get("/burden/charts/{filename:str}", opt=public_page(), sync_to_thread=True, name="burden_chart_csv")
def burden_chart_csv(filename: str, db: Database) -> Response:
    name = filename.removesuffix(".csv")
    if not filename.endswith(".csv") or name not in dashboard.CHART_NAMES:
        raise NotFound()
    with db.read() as session:
        chart = dashboard.chart_named(session, name)
    if chart is None:
        raise NotFound()
    from registry.burden.charts import to_csv

    return Response(
        content=to_csv(chart.columns, chart.rows),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="burden-{name}.csv"'},
    )


def _budget_page(request: Request, values: dict, errors: dict, status_code: int = 200) -> Template:
    crumbs = [(_("Home"), "/"), (_("Burden dashboard"), "/burden"), (_("The burden budget"), None)]
    return render(request, "burden/budget.html", status_code=status_code, fields=TOTALS_FIELDS,
                  values=values, errors=errors, breadcrumb_items=crumbs)


def _caps(db: Database) -> dict:
    with db.read() as session:
        return services.current_caps(session)


@get("/burden/budget", opt=roles(Role.ADMIN), sync_to_thread=True, name="burden_budget")
def budget_page(request: Request, db: Database) -> Template:
    return _budget_page(request, {k: str(v) for k, v in _caps(db).items()}, {})


@post("/burden/budget", opt=roles(Role.ADMIN), sync_to_thread=True, name="burden_budget_save")
def budget_save(request: Request, db: Database, form: FormValues) -> object:
    values = {name: form.text(name) for name in TOTALS_FIELDS}
    try:
        caps = parse_data(Caps, {k: v for k, v in values.items() if v}).values()  # type: ignore[attr-defined]
    except Invalid as exc:
        errors = {p["field"]: p["message"] for p in translated_problems(exc.problems)}
        return _budget_page(request, values, errors, status_code=422)
    principal = current_principal(request)
    services.set_budget(db, caps, actor=principal.name if principal else "")
    notify(request, _("The caps are saved."), "success")
    return redirect("/burden/budget")


routes = [burden_dashboard, burden_region, burden_chart_csv, budget_page, budget_save]
