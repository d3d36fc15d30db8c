"""JSON routes of ratings (contract §7): a village cadre rates; the summary is public; comments go to the office
and, without the village, to the department rated."""

from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from registry.choices import Role
from registry.db import Database
from registry.ratings import services
from registry.ratings.schemas import MAX_YEAR, MIN_YEAR, RatingIn, RatingPublic, RatingSummary
from registry.timeutil import local_date, utcnow
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY

TAGS = ["ratings"]
YearQuery = Annotated[int | None, Parameter(ge=MIN_YEAR, le=MAX_YEAR, description="Defaults to this year.")]


def this_year() -> int:
    return local_date(utcnow()).year


@post("/api/v1/ratings", opt=roles(Role.CADRE), status_code=201, operation_id="rateDepartment", tags=TAGS,
      security=BEARER_SECURITY, sync_to_thread=True)
def rate_department(request: Request, db: Database, data: RatingIn) -> RatingPublic:
    """Rate a department that owns an item on the village's list that year (1–5); a second rating replaces the
    first."""
    principal = current_principal(request)
    assert principal is not None
    return services.rate(db, principal, data)


@get("/api/v1/ratings/summary", opt=public(), sync_to_thread=True, operation_id="ratingSummary", tags=TAGS)
def rating_summary(db: Database, year: YearQuery = None) -> list[RatingSummary]:
    """`[{code, name, n, mean}]` per department rated that year; `mean` is null while `n` < 5."""
    with db.read() as session:
        return services.summary(session, year or this_year())


@get("/api/v1/ratings", opt=roles(Role.CADRE, Role.DEPARTMENT, Role.REVIEWER, Role.OFFICE, Role.ADMIN),
     sync_to_thread=True, security=BEARER_SECURITY, operation_id="listRatings", tags=TAGS)
def list_ratings(request: Request, db: Database, year: YearQuery = None) -> list[RatingPublic]:
    """The year's ratings with their comments: a cadre's villages'; all for the office and admins; a department's
    own, without the villages that gave them."""
    principal = current_principal(request)
    assert principal is not None
    with db.read() as session:
        return services.visible_ratings(session, principal, year or this_year())


routes = [rate_department, rating_summary, list_ratings]
