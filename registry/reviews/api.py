"""JSON route of the review queue (contract §7), public."""

from datetime import date
from typing import Annotated

from litestar import get
from litestar.params import Parameter

from registry.db import Database
from registry.ratings.schemas import MAX_YEAR, MIN_YEAR
from registry.reviews import services
from registry.reviews.schemas import ReviewPublic
from registry.timeutil import local_date, utcnow
from registry.web.guards import public

TAGS = ["reviews"]


def queue_for(db: Database, before: date | None, year: int | None) -> tuple[date, list[ReviewPublic]]:
    """The day asked (default: 90 days from today) and the queue up to it, rated with *year* (default: this year)."""
    today = local_date(utcnow())
    before = before or today + services.DUE_WINDOW
    with db.read() as session:
        return before, services.reviews(session, before, today, year or today.year)


@get("/api/v1/reviews", opt=public(), sync_to_thread=True, operation_id="listReviews", tags=TAGS)
def list_reviews(
    db: Database,
    before: Annotated[date | None, Parameter(description="YYYY-MM-DD; defaults to 90 days from today.")] = None,
    year: Annotated[int | None, Parameter(ge=MIN_YEAR, le=MAX_YEAR, description="Year of the ratings shown.")] = None,
) -> list[ReviewPublic]:
    """Active duties with `review_by` on or before `before`, soonest first: DUTY plus `review_state` (due, overdue,
    lapsing), `lapses_on` and the department's rating summary `{code, name, n, mean}`."""
    return queue_for(db, before, year)[1]


routes = [list_reviews]
