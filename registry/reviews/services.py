"""The review queue: active duties whose review date is on or before a day, soonest first, each with where it
stands (due, overdue, lapsing soon) and its department's rating summary."""

from datetime import date, timedelta

import msgspec
from sqlmodel import Session, col, select

from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import duty_public
from registry.choices import DutyStatus, ReviewState
from registry.lifecycle.expiry import LAPSE_AFTER
from registry.ratings import services as ratings
from registry.ratings.schemas import RatingSummary
from registry.regions.services import department_lookup, region_index
from registry.reviews.schemas import DepartmentReviews, ReviewPublic

DUE_WINDOW = timedelta(days=90)  # the queue's default horizon: due within 90 days
LAPSING_WINDOW = timedelta(days=30)  # an overdue duty that lapses within 30 days is "lapsing"


def review_state(review_by: date, today: date) -> ReviewState:
    if review_by >= today:
        return ReviewState.DUE
    lapses_on = review_by + LAPSE_AFTER + timedelta(days=1)
    return ReviewState.LAPSING if lapses_on - today <= LAPSING_WINDOW else ReviewState.OVERDUE


def reviews(session: Session, before: date, today: date, year: int) -> list[ReviewPublic]:
    """Active duties with `review_by` ≤ *before*, soonest first (then by code)."""
    rows = session.exec(
        select(Duty.code, DutyVersion)
        .join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE,
               col(DutyVersion.review_by).is_not(None), col(DutyVersion.review_by) <= before)
        .order_by(col(DutyVersion.review_by), col(Duty.code))
    ).all()
    index, departments = region_index(session), department_lookup(session)
    summary = ratings.summary_by_code(session, year)
    found = []
    for code, version in rows:
        duty = duty_public(code, version, departments, index)
        assert version.review_by is not None
        rating = summary.get(duty.department.code) or RatingSummary(
            code=duty.department.code, name=duty.department.name, n=0, mean=None)
        found.append(ReviewPublic(**msgspec.structs.asdict(duty), review_state=review_state(version.review_by, today),
                                  lapses_on=(version.review_by + LAPSE_AFTER + timedelta(days=1)).isoformat(),
                                  rating=rating))
    return found


def by_department(items: list[ReviewPublic]) -> list[DepartmentReviews]:
    """The queue grouped by department (by code), each group soonest first."""
    groups: dict[str, list[ReviewPublic]] = {}
    for item in items:
        groups.setdefault(item.department.code, []).append(item)
    return [DepartmentReviews(code=code, name=group[0].department.name, rating=group[0].rating, items=group)
            for code, group in sorted(groups.items())]
