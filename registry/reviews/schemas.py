"""Shapes of the review queue (contract §7 `GET /api/v1/reviews`)."""

import msgspec

from registry.catalog.schemas import DutyPublic
from registry.choices import ReviewState
from registry.ratings.schemas import RatingSummary


class ReviewPublic(DutyPublic, frozen=True, kw_only=True):
    """An active duty due for review: DUTY plus where it stands, the day it would lapse (the job retires it that
    day unless renewed), and its department's rating summary for the year."""

    review_state: ReviewState
    lapses_on: str
    rating: RatingSummary


class DepartmentReviews(msgspec.Struct, frozen=True, kw_only=True):
    """The queue of one department (the page groups by department)."""

    code: str
    name: str
    rating: RatingSummary
    items: list[ReviewPublic]
