"""The printable page of the year's figures, and its workbook."""

from typing import Annotated

from litestar import MediaType, Request, Response, get
from litestar.params import Parameter
from litestar.response import Redirect, Template

from registry.burden.charts import line_chart
from registry.db import Database
from registry.i18n import gettext as _
from registry.ratings.api import this_year
from registry.ratings.schemas import MAX_YEAR, MIN_YEAR
from registry.statistics import export
from registry.statistics.api import statistics_of
from registry.timeutil import local_date, utcnow
from registry.web.downloads import attachment
from registry.web.guards import public_page
from registry.web.pages import render

YearPath = Annotated[int, Parameter(ge=MIN_YEAR, le=MAX_YEAR)]


@get("/statistics/{year:int}", opt=public_page(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def statistics_page(request: Request, db: Database, year: YearPath) -> Template:
    stats = statistics_of(db, year)
    points = [(float(i + 1), float(p.active)) for i, p in enumerate(stats.by_month)]
    chart = line_chart("catalog-by-month", _("Items in force at the end of each month"),
                       _("Items in force at the end of each month of %(year)s", year=year), points,
                       _("Month"), _("Active items")) if points else None
    return render(request, "statistics/year.html", stats=stats, rows=export.figures_rows(stats), chart=chart,
                  change_labels=export.CHANGE_LABELS, request_labels=export.REQUEST_LABELS,
                  ratings={r.code: r for r in stats.ratings},
                  breadcrumb_items=[(_("Home"), "/"), (_("Figures of %(year)s", year=year), None)])


@get("/statistics", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def statistics_now() -> Redirect:
    """This year's figures."""
    return Redirect(f"/statistics/{this_year()}", status_code=302)


@get("/statistics/{year:int}/export.xlsx", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def statistics_xlsx(db: Database, year: YearPath) -> Response:
    """The year's figures as a workbook stamped with the year-end edition and its hash."""
    stats = statistics_of(db, year)
    with db.read() as session:
        stamp = export.county_stamp(session, stats.catalog.end.edition, local_date(utcnow()))
        names = export.filename(session, year)
    return Response(content=export.workbook(stats, stamp), media_type=export.MEDIA_TYPE,
                    headers={"Content-Disposition": attachment(*names)})


routes = [statistics_now, statistics_page, statistics_xlsx]
