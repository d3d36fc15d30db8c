"""Meetings: call one, its flags (unrelated audience, rank, mergeable), lists and a region's calendar (§9).

Flags are computed when a meeting is called (and can be checked before, `check_flags`); a later meeting that
overlaps an earlier one in the same ISO week flags both as `mergeable`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from registry.accounts.services import Principal
from registry.burden.services import current_caps
from registry.catalog.lists import region_list
from registry.choices import N_, RANKS_NEEDING_REASON, Attendee, MeetingFlagKind, RegionLevel, TotalsField
from registry.db import Database
from registry.errors import FieldProblem, Invalid, NotFound
from registry.i18n import gettext
from registry.meetings.models import Meeting, MeetingAudience
from registry.meetings.schemas import (
    AudiencePublic,
    MeetingCalendar,
    MeetingCreate,
    MeetingFlagPublic,
    MeetingPage,
    MeetingPublic,
    VillageCount,
)
from registry.regions.models import Region
from registry.regions.services import (
    DepartmentLookup,
    RegionIndex,
    department_lookup,
    find_region,
    region_index,
    region_public,
)
from registry.timeutil import iso_utc

MAX_ID = 2**31 - 1
FLAG_MESSAGES = {
    MeetingFlagKind.UNRELATED_AUDIENCE: N_(
        "The department owns no item on the list of %(count)s of the invited units: invite only units directly "
        "concerned."),
    MeetingFlagKind.RANK: N_(
        "Main leaders or deputies are asked of %(count)s units without a reason: a deputy or the business lead "
        "would do."),
    MeetingFlagKind.MERGEABLE: N_(
        "%(count)s other meetings in the same week invite some of the same units: merge them."),
}
NOT_FOUND = N_("No meeting with this number.")


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week of *day*."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def owns_item_on_list(session: Session, department_code: str, region: Region) -> bool:
    """The department leads or co-operates on an item of the region's official list (catalog/lists)."""
    found = region_list(session, region.code)
    return any(d.department.code == department_code or any(c.code == department_code for c in d.co_departments)
               for d in found.duties)


def overlapping(session: Session, held_on: date, region_ids: set[int], exclude: int | None = None) -> list[int]:
    """Ids of other meetings in the same ISO week that invite at least one of these regions."""
    monday, sunday = week_of(held_on)
    statement = (select(MeetingAudience.meeting_id).join(Meeting, col(Meeting.id) == col(MeetingAudience.meeting_id))
                 .where(Meeting.held_on >= monday, Meeting.held_on <= sunday,
                        col(MeetingAudience.region_id).in_(sorted(region_ids))).distinct())
    return sorted(i for i in session.exec(statement) if i != exclude)


def _flag(kind: MeetingFlagKind, count: int, **lists: list) -> dict:
    return {"kind": kind.value, "params": {"count": count}, **lists}


def compute_flags(session: Session, department_code: str, held_on: date, audience: list[tuple[Region, str]],
                  reason_for_rank: str | None, exclude: int | None = None) -> list[dict]:
    """The three flags of §9 for a meeting of this department, day, audience and reason."""
    flags = []
    unrelated = [r.code for r, _ in audience if not owns_item_on_list(session, department_code, r)]
    if unrelated:
        flags.append(_flag(MeetingFlagKind.UNRELATED_AUDIENCE, len(unrelated), region_codes=unrelated))
    ranked = [r.code for r, attendee in audience if attendee in RANKS_NEEDING_REASON]
    if ranked and not (reason_for_rank or "").strip():
        flags.append(_flag(MeetingFlagKind.RANK, len(ranked), region_codes=ranked))
    others = overlapping(session, held_on, {r.id for r, _ in audience}, exclude)  # type: ignore[misc]
    if others:
        flags.append(_flag(MeetingFlagKind.MERGEABLE, len(others), meeting_ids=others))
    return flags


def resolve_audience(session: Session, data: MeetingCreate) -> list[tuple[Region, str]]:
    """The invited regions (towns or villages of the county), each once; Invalid names the bad entries."""
    index = region_index(session)
    problems, seen, audience = [], set(), []
    for position, item in enumerate(data.audience):
        region = index.get(item.region_code)
        if region is None or region.level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            problems.append(FieldProblem(f"audience.{position}.region_code",
                                         N_("No town or village has the code %(code)s."), code=item.region_code))
        elif region.code in seen:
            problems.append(FieldProblem(f"audience.{position}.region_code",
                                         N_("%(code)s is invited twice."), code=region.code))
        else:
            seen.add(region.code)
            audience.append((region, item.attendee.value))
    if problems:
        raise Invalid(problems)
    return audience


def check_flags(session: Session, principal: Principal, data: MeetingCreate) -> list[MeetingFlagPublic]:
    """The flags the meeting would get, before it is called (nothing is saved)."""
    audience = resolve_audience(session, data)
    return [flag_public(f) for f in compute_flags(session, principal.department_code or "", data.held_on, audience,
                                                   data.reason_for_rank)]


def call_meeting(db: Database, principal: Principal, data: MeetingCreate) -> int:
    """Record a department's meeting with its flags; earlier meetings it overlaps are flagged `mergeable` too."""
    with db.write() as session:
        audience = resolve_audience(session, data)
        flags = compute_flags(session, principal.department_code or "", data.held_on, audience, data.reason_for_rank)
        meeting = Meeting(title=data.title, department_id=principal.department_id, held_on=data.held_on,  # type: ignore[arg-type]
                          duty_code=data.duty_code or None, reason_for_rank=data.reason_for_rank or None, flags=flags)
        session.add(meeting)
        session.flush()
        for region, attendee in audience:
            session.add(MeetingAudience(meeting_id=meeting.id, region_id=region.id, attendee=attendee))  # type: ignore[arg-type]
        for other_id in next((f.get("meeting_ids", []) for f in flags if f["kind"] == MeetingFlagKind.MERGEABLE), []):
            _add_mergeable(session, other_id, meeting.id)  # type: ignore[arg-type]
        return meeting.id  # type: ignore[return-value]


def _add_mergeable(session: Session, meeting_id: int, other_id: int) -> None:
    other = session.get(Meeting, meeting_id)
    if other is None:
        return
    flags = [dict(f) for f in other.flags or []]
    found = next((f for f in flags if f["kind"] == MeetingFlagKind.MERGEABLE), None)
    if found is None:
        flags.append(_flag(MeetingFlagKind.MERGEABLE, 1, meeting_ids=[other_id]))
    elif other_id not in found["meeting_ids"]:
        found["meeting_ids"] = sorted([*found["meeting_ids"], other_id])
        found["params"] = {"count": len(found["meeting_ids"])}
    other.flags = flags
    session.add(other)


# ---------------------------------------------------------------- shapes and reads

def flag_public(flag: dict) -> MeetingFlagPublic:
    kind = MeetingFlagKind(flag.get("kind", ""))
    return MeetingFlagPublic(kind=kind, message=gettext(FLAG_MESSAGES[kind], **dict(flag.get("params") or {})),
                             region_codes=list(flag.get("region_codes") or []),
                             meeting_ids=list(flag.get("meeting_ids") or []))


@dataclass
class Lookups:
    index: RegionIndex
    departments: DepartmentLookup
    audience: dict[int, list[MeetingAudience]]

    @classmethod
    def load(cls, session: Session, meetings: list[Meeting]) -> "Lookups":
        audience: dict[int, list[MeetingAudience]] = {}
        ids = [m.id for m in meetings]
        if ids:
            for row in session.exec(select(MeetingAudience).where(col(MeetingAudience.meeting_id).in_(ids))):
                audience.setdefault(row.meeting_id, []).append(row)
        return cls(region_index(session), department_lookup(session), audience)


def meeting_public(meeting: Meeting, lookups: Lookups) -> MeetingPublic:
    regions = [(lookups.index.by_id[a.region_id], a.attendee) for a in lookups.audience.get(meeting.id, [])]  # type: ignore[arg-type]
    return MeetingPublic(
        id=meeting.id,  # type: ignore[arg-type]
        title=meeting.title,
        department=lookups.departments.public(meeting.department_id),  # type: ignore[arg-type]
        held_on=meeting.held_on.isoformat(),
        audience=[AudiencePublic(region_code=r.code, region_name=r.name, attendee=Attendee(a))
                  for r, a in sorted(regions, key=lambda pair: pair[0].code)],
        duty_code=meeting.duty_code,
        reason_for_rank=meeting.reason_for_rank,
        flags=[flag_public(f) for f in meeting.flags or []],
        created_at=iso_utc(meeting.created_at) or "",
    )


def meeting_for(session: Session, meeting_id: int) -> MeetingPublic:
    meeting = session.get(Meeting, meeting_id) if 1 <= meeting_id <= MAX_ID else None
    if meeting is None:
        raise NotFound(NOT_FOUND)
    return meeting_public(meeting, Lookups.load(session, [meeting]))


def _invited_region_ids(index: RegionIndex, region: Region) -> set[int]:
    """The region and every region below it (a town's calendar shows its villages' meetings too)."""
    ids, stack = set(), [region]
    while stack:
        current = stack.pop()
        ids.add(current.id)
        stack.extend(index.children_of(current))
    return ids  # type: ignore[return-value]


def _selection(index: RegionIndex, department_id: int | None, region: Region | None, start: date | None,
               end: date | None):  # type: ignore[no-untyped-def]
    statement = select(Meeting)
    if department_id is not None:
        statement = statement.where(Meeting.department_id == department_id)
    if region is not None:
        invited = select(MeetingAudience.meeting_id).where(
            col(MeetingAudience.region_id).in_(sorted(_invited_region_ids(index, region))))
        statement = statement.where(col(Meeting.id).in_(invited))
    if start is not None:
        statement = statement.where(Meeting.held_on >= start)
    if end is not None:
        statement = statement.where(Meeting.held_on <= end)
    return statement


def list_page(session: Session, page: int, per_page: int, department: str | None = None, region: str | None = None,
              start: date | None = None, end: date | None = None) -> MeetingPage:
    """Meetings, latest first; by department code, by region (it or a region below invited), by dates."""
    index = region_index(session)
    department_id = None
    if department:
        found = department_lookup(session).by_code.get(department)
        if found is None:
            return MeetingPage(items=[], total=0, page=page, per_page=per_page)
        department_id = found.id
    statement = _selection(index, department_id, find_region(index, region) if region else None, start, end)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = list(session.exec(statement.order_by(col(Meeting.held_on).desc(), col(Meeting.id).desc())
                             .offset((page - 1) * per_page).limit(per_page)))
    lookups = Lookups.load(session, rows)
    return MeetingPage(items=[meeting_public(m, lookups) for m in rows], total=int(total), page=page,
                       per_page=per_page)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of `YYYY-MM`; Invalid otherwise."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise Invalid([FieldProblem("month", N_("Must be a month (YYYY-MM)."))]) from None
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following - timedelta(days=1)


def calendar(session: Session, code: str, month: str) -> MeetingCalendar:
    """A region's meetings in the month, and each village's count against the meetings cap / 12."""
    index = region_index(session)
    region = find_region(index, code)
    first, last = month_bounds(month)
    rows = list(session.exec(_selection(index, None, region, first, last)
                             .order_by(col(Meeting.held_on), col(Meeting.id))))
    lookups = Lookups.load(session, rows)
    cap = current_caps(session, index.owner_id_of(region.id)).get(TotalsField.MEETINGS_PER_YEAR.value)
    per_month = round(cap / 12, 2) if cap is not None else None
    counts: dict[int, int] = {}
    for meeting in rows:
        for row in lookups.audience.get(meeting.id, []):  # type: ignore[arg-type]
            counts[row.region_id] = counts.get(row.region_id, 0) + 1
    villages = [VillageCount(region_code=v.code, region_name=v.name, meetings=counts.get(v.id, 0),  # type: ignore[arg-type]
                             over_cap=per_month is not None and counts.get(v.id, 0) > per_month)  # type: ignore[arg-type]
                for v in index.villages_below(region)]
    own = sum(1 for m in rows if any(a.region_id == region.id for a in lookups.audience.get(m.id, [])))  # type: ignore[arg-type]
    count = own if region.level != RegionLevel.VILLAGE else len(rows)
    return MeetingCalendar(region=region_public(region, index), month=first.strftime("%Y-%m"),
                           meetings=[meeting_public(m, lookups) for m in rows], count=count,
                           cap_per_month=per_month, over_cap=per_month is not None and count > per_month,
                           villages=villages)
