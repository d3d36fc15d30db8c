"""Ratings (contract §7): a village rates, once a year, each department that owns an item on its list that year;
the public summary hides the mean below five ratings; a department reads its comments without the villages."""

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from registry.accounts.services import Principal
from registry.catalog.models import DutyVersion
from registry.choices import N_, DutyStatus, RegionLevel, Role
from registry.db import Database
from registry.errors import FieldProblem, Forbidden, Invalid
from registry.lifecycle.years import year_editions
from registry.ratings.models import Rating
from registry.ratings.schemas import MIN_PUBLIC_COUNT, RateableDepartment, RatingIn, RatingPublic, RatingSummary
from registry.regions import reach
from registry.regions.models import Department, Region
from registry.regions.services import RegionIndex, department_lookup, department_public, region_index, region_public
from registry.timeutil import iso_utc, local_date, utcnow

NOT_YOUR_VILLAGE = N_("You may rate only for your own village (or, for a town, a village below it).")
CHOOSE_VILLAGE = N_("Choose the village you rate for.")
NOT_ON_LIST = N_("No item of this department was on the village's list in %(year)s.")
FUTURE_YEAR = N_("A year that has not begun cannot be rated.")


def acting_village(index: RegionIndex, principal: Principal, region_code: str | None) -> Region:
    """The village a cadre rates for: theirs, or one below their town (contract §5); Forbidden/Invalid otherwise."""
    own = index.by_id.get(principal.region_id) if principal.region_id is not None else None
    if principal.role != Role.CADRE or own is None:
        raise Forbidden()
    chosen = index.get(region_code) if region_code else own
    if chosen is None or own not in index.ancestors(chosen):
        raise Forbidden(NOT_YOUR_VILLAGE)
    if chosen.level != RegionLevel.VILLAGE:
        raise Invalid([FieldProblem("region_code", CHOOSE_VILLAGE)])
    return chosen


def rateable_department_ids(session: Session, index: RegionIndex, village: Region, year: int) -> set[int]:
    """Departments owning an active item on the village's list at some edition of *year* (one statement)."""
    editions = year_editions(session, year)
    statement = select(DutyVersion.department_id).distinct().where(
        col(DutyVersion.scope_region_id).in_(reach.scope_ids(index, village)),
        col(DutyVersion.applies_to).in_(sorted(reach.fitting(village))),
        DutyVersion.status == DutyStatus.ACTIVE,
        col(DutyVersion.from_edition) <= editions.end,
        or_(col(DutyVersion.to_edition).is_(None), col(DutyVersion.to_edition) > editions.start),
    )
    return set(session.exec(statement))


def rate(db: Database, principal: Principal, data: RatingIn) -> RatingPublic:
    """Record the village's rating of the department for the year, replacing an earlier one (serialised, so two
    at once leave one row)."""
    if data.year > local_date(utcnow()).year:
        raise Invalid([FieldProblem("year", FUTURE_YEAR)])
    with db.write(exclusive=True) as session:
        index = region_index(session)
        village = acting_village(index, principal, data.region_code)
        department = session.exec(select(Department).where(Department.code == data.department)).first()
        if department is None:
            raise Invalid([FieldProblem("department", N_("There is no department %(code)s."), code=data.department)])
        if department.id not in rateable_department_ids(session, index, village, data.year):
            raise Invalid([FieldProblem("department", NOT_ON_LIST, year=data.year)])
        row = session.exec(select(Rating).where(Rating.year == data.year, Rating.region_id == village.id,
                                                Rating.department_id == department.id)).first()
        row = row or Rating(year=data.year, region_id=village.id, department_id=department.id, score=data.score)  # type: ignore[arg-type]
        row.score, row.comment, row.rated_at = data.score, data.comment, utcnow()
        session.add(row)
        session.flush()
        return RatingPublic(year=row.year, department=department_public(department), score=row.score,
                            comment=row.comment, rated_at=iso_utc(row.rated_at) or "",
                            region=region_public(village, index))


def summary(session: Session, year: int) -> list[RatingSummary]:
    """`[{code, name, n, mean}]` for every department rated in *year*, by code; `mean` (two decimals) is null
    while fewer than five villages rated it."""
    rows = session.exec(
        select(Department.code, Department.name, func.count(), func.sum(Rating.score))
        .join(Rating, and_(col(Rating.department_id) == col(Department.id), Rating.year == year))
        .group_by(col(Department.code), col(Department.name))
        .order_by(col(Department.code))
    )
    return [RatingSummary(code=code, name=name, n=int(n),
                          mean=round(int(total) / int(n), 2) if n >= MIN_PUBLIC_COUNT else None)
            for code, name, n, total in rows]


def summary_by_code(session: Session, year: int) -> dict[str, RatingSummary]:
    return {item.code: item for item in summary(session, year)}


def visible_ratings(session: Session, principal: Principal, year: int) -> list[RatingPublic]:
    """The ratings of *year* the principal may read: a cadre those of their villages; the office and admins all,
    with the village; a department's clerks and reviewers their department's, never with the village."""
    index = region_index(session)
    departments = department_lookup(session)
    statement = select(Rating).where(Rating.year == year)
    with_region = True
    if principal.role == Role.CADRE:
        own = index.by_id.get(principal.region_id) if principal.region_id is not None else None
        ids = [v.id for v in index.villages_below(own)] if own is not None else []
        statement = statement.where(col(Rating.region_id).in_(ids))
    elif principal.role in (Role.DEPARTMENT, Role.REVIEWER):
        statement = statement.where(Rating.department_id == principal.department_id)
        with_region = False
    elif principal.role not in (Role.OFFICE, Role.ADMIN):
        raise Forbidden()
    rows = session.exec(statement.order_by(col(Rating.department_id), col(Rating.score), col(Rating.id)))
    found = []
    for row in rows:
        department = departments.public(row.department_id)
        region = index.by_id.get(row.region_id)
        assert department is not None
        found.append(RatingPublic(year=row.year, department=department, score=row.score, comment=row.comment,
                                  rated_at=iso_utc(row.rated_at) or "",
                                  region=region_public(region, index) if with_region and region else None))
    return found


def rateable(session: Session, principal: Principal, region_code: str | None,
             year: int) -> tuple[Region, list[RateableDepartment]]:
    """The cadre's village and the departments it may rate in *year*, each with the village's current rating."""
    index = region_index(session)
    village = acting_village(index, principal, region_code)
    departments = department_lookup(session)
    ids = rateable_department_ids(session, index, village, year)
    given = {r.department_id: r for r in session.exec(select(Rating).where(Rating.year == year,
                                                                           Rating.region_id == village.id))}
    items = []
    for department_id in sorted(ids, key=lambda i: departments.by_id[i].code):
        rating = given.get(department_id)
        items.append(RateableDepartment(department=department_public(departments.by_id[department_id]),
                                        score=rating.score if rating else None,
                                        comment=rating.comment if rating else ""))
    return village, items

