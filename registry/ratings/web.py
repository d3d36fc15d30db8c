"""The cadre's rating page: the departments on the village's list this year, each with a score and a comment."""

from litestar import MediaType, Request, get, post
from litestar.response import Template

from registry.choices import RegionLevel, Role
from registry.db import Database
from registry.errors import Invalid
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.ratings import services
from registry.ratings.api import YearQuery, this_year
from registry.ratings.schemas import MIN_YEAR, RatingIn
from registry.web.auth import current_principal
from registry.web.guards import roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data


def _page(request: Request, db: Database, region: str | None, status_code: int = 200,
          errors: list[str] | None = None) -> Template:
    principal = current_principal(request)
    assert principal is not None
    year = this_year()
    with db.read() as session:
        index = services.region_index(session)
        own = index.by_id.get(principal.region_id) if principal.region_id is not None else None
        if own is not None and own.level != RegionLevel.VILLAGE and not region:
            # A town's cadre acts for any village below it: first the village.
            return render(request, "ratings/rate.html", year=year, village=None, items=[], summary={}, errors=[],
                          villages=index.villages_below(own), scores=range(1, 6))
        village, items = services.rateable(session, principal, region or None, year)
        summary = services.summary_by_code(session, year)
    return render(request, "ratings/rate.html", status_code=status_code, year=year, village=village, items=items,
                  summary=summary, errors=errors or [], scores=range(1, 6), villages=[],
                  breadcrumb_items=[(_("Home"), "/"), (_("Rate the departments"), None)])


@get("/ratings", opt=roles(Role.CADRE), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def rating_page(request: Request, db: Database, region: str | None = None) -> Template:
    """The village's departments for this year; a town's cadre picks the village with `?region=`."""
    return _page(request, db, region)


@post("/ratings", opt=roles(Role.CADRE), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def rating_submit(request: Request, db: Database, form: FormValues) -> object:
    principal = current_principal(request)
    assert principal is not None
    region = form.text("region_code") or None
    body = {"year": form.text("year") or None, "department": (form.get("department") or "").strip() or None,
            "score": form.text("score") or None, "comment": form.get("comment", ""), "region_code": region}
    try:
        services.rate(db, principal, parse_data(RatingIn, body))
    except Invalid as exc:
        messages = [p["message"] for p in translated_problems(exc.problems)]
        return _page(request, db, region, status_code=422, errors=messages)
    notify(request, _("Your rating was recorded."), "success")
    return redirect("/ratings" + (f"?region={region}" if region else ""))


@get("/ratings/comments", opt=roles(Role.OFFICE, Role.ADMIN, Role.DEPARTMENT, Role.REVIEWER), sync_to_thread=True,
     include_in_schema=False, media_type=MediaType.HTML)
def comments_page(request: Request, db: Database, year: YearQuery = None) -> Template:
    """The year's ratings with their comments: the office and admins see every village; a department's clerks and
    reviewers their own department's, never with the village (the same rule as `GET /api/v1/ratings`)."""
    principal = current_principal(request)
    assert principal is not None
    chosen = year or this_year()
    with db.read() as session:
        ratings = services.visible_ratings(session, principal, chosen)
        summary = services.summary_by_code(session, chosen)
    return render(request, "ratings/comments.html", year=chosen, ratings=ratings, summary=summary,
                  with_village=principal.role in (Role.OFFICE, Role.ADMIN),
                  years=range(this_year(), max(MIN_YEAR, this_year() - 5) - 1, -1),
                  breadcrumb_items=[(_("Home"), "/"), (_("Rating comments"), None)])


routes = [rating_page, rating_submit, comments_page]
