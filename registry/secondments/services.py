"""Secondments: who may see and act on one, its flags, and the public shapes and figures (contract §9).

The one visibility rule lives here (`can_see`, `sees_person`): the API, the pages and every list ask it.
A person appears only as a staff number, and only to the host, the home unit, the 组织部 and admins.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.choices import (
    CLEARING_OUTCOMES,
    N_,
    ConsentDecision,
    ConsentParty,
    HomeKind,
    RegionLevel,
    Role,
    SecondmentFlagKind,
    SecondmentOutcome,
    SecondmentState,
)
from registry.errors import NotFound
from registry.i18n import gettext
from registry.regions.models import Department, Region
from registry.regions.services import (
    DepartmentLookup,
    RegionIndex,
    department_lookup,
    find_region,
    region_index,
    region_public,
)
from registry.secondments.models import Secondment, SecondmentCheck, SecondmentConsent, TemporaryBody, TownStaff
from registry.secondments.schemas import (
    AwayPublic,
    ConsentPublic,
    HomePublic,
    SecondmentFlagPublic,
    SecondmentPage,
    SecondmentPublic,
    SecondmentStats,
    TemporaryBodyPublic,
    TownAway,
    UnitPublic,
)
from registry.timeutil import iso_utc, local_date, utcnow

ORGANISATION_DEPARTMENT = "ZZB"  # 县委组织部: its reviewers give the organisation's consent and record outcomes
MAX_ID = 2**31 - 1
LONG_MONTHS = 6
HEAVY_SHARE_PERCENT = 10
REPEAT_MONTHS = 12
# A secondment that did or does take someone away (counted for `heavy_share`, `repeat` and the figures).
TAKING_PLACE = frozenset({SecondmentState.REQUESTED, SecondmentState.APPROVED, SecondmentState.ENDED})
FLAG_MESSAGES = {
    SecondmentFlagKind.LONG: N_("The secondment lasts %(months)s months, more than 6."),
    SecondmentFlagKind.HEAVY_SHARE: N_(
        "%(town)s would have %(away)s of its %(staff)s staff seconded at once, more than a tenth."),
    SecondmentFlagKind.REPEAT: N_("The same person was seconded within the past 12 months (%(number)s)."),
}
NOT_FOUND = N_("No secondment with this number.")


# ---------------------------------------------------------------- dates

def add_months(day: date, months: int) -> date:
    """The same day *months* later (or earlier), clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from *start* to *end* (inclusive of the last day, rounded up): 8 for 2026-12-01..2027-07-31."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) <= end:
        months += 1
    return max(months, 0)


def is_long(start: date, end: date) -> bool:
    """More than 6 months: the last day (inclusive) is on or after the day 6 months after the first."""
    return end >= add_months(start, LONG_MONTHS)


def effective_end(s: Secondment) -> date:
    """The last day the person was (or will be) away: `end_on`, or earlier when it ended early."""
    return min(s.end_on, s.ended_on) if s.ended_on else s.end_on


# ---------------------------------------------------------------- who may do what

def home_town(index: RegionIndex, region_id: int | None) -> Region | None:
    """The town of a home region (the region itself when it is a town)."""
    region = index.by_id.get(region_id) if region_id is not None else None
    if region is None:
        return None
    if region.level == RegionLevel.VILLAGE:
        return index.parent(region)
    return region if region.level == RegionLevel.TOWN else None


def acts_for_region(principal: Principal, index: RegionIndex, region_id: int | None) -> bool:
    """A cadre of the region, or of the town above it (§5: a town cadre may act for its villages)."""
    if principal.role != Role.CADRE or principal.region_id is None or region_id is None:
        return False
    region = index.by_id.get(region_id)
    return region is not None and principal.region_id in {r.id for r in index.ancestors(region)}


def is_organisation(principal: Principal | None) -> bool:
    return (principal is not None and principal.role == Role.REVIEWER
            and principal.department_code == ORGANISATION_DEPARTMENT)


def can_consent_as(principal: Principal, s: Secondment, party: ConsentParty, index: RegionIndex) -> bool:
    """The home unit's cadre (a town or village) or reviewer (a department); the 组织部's reviewer."""
    if party == ConsentParty.ORGANISATION:
        return is_organisation(principal)
    if s.home_department_id is not None:
        return principal.role == Role.REVIEWER and principal.department_id == s.home_department_id
    return acts_for_region(principal, index, s.home_region_id)


def is_host(principal: Principal, s: Secondment, bodies: dict[int, TemporaryBody]) -> bool:
    """An account of the host department, or of the lead department of the host temporary body."""
    if principal.department_id is None or principal.role not in (Role.DEPARTMENT, Role.REVIEWER):
        return False
    body = bodies.get(s.host_body_id) if s.host_body_id else None
    host_department = body.lead_department_id if body else s.host_department_id
    return principal.department_id == host_department


def sees_person(principal: Principal | None, s: Secondment, index: RegionIndex,
                bodies: dict[int, TemporaryBody]) -> bool:
    """Host, home unit (its cadres, or any account of the home department), the 组织部 and admins."""
    if principal is None:
        return False
    if principal.role == Role.ADMIN or principal.department_code == ORGANISATION_DEPARTMENT:
        return True
    if is_host(principal, s, bodies):
        return True
    if s.home_department_id is not None:
        return principal.department_id == s.home_department_id
    return acts_for_region(principal, index, s.home_region_id)


def can_see(principal: Principal | None, s: Secondment, index: RegionIndex, bodies: dict[int, TemporaryBody]) -> bool:
    """Public once consented or refused (without the person); while consent is asked only its parties."""
    return s.state != SecondmentState.REQUESTED or sees_person(principal, s, index, bodies)


# ---------------------------------------------------------------- shapes

@dataclass
class Lookups:
    """What shaping secondments needs, read once."""

    index: RegionIndex
    departments: DepartmentLookup
    bodies: dict[int, TemporaryBody]
    consents: dict[int, list[SecondmentConsent]]

    @classmethod
    def load(cls, session: Session, rows: list[Secondment] | None = None) -> "Lookups":
        consents: dict[int, list[SecondmentConsent]] = {}
        ids = sorted({s.id for s in rows or [] if s.id is not None})
        if ids:
            statement = select(SecondmentConsent).where(col(SecondmentConsent.secondment_id).in_(ids))
            for consent in session.exec(statement.order_by(col(SecondmentConsent.id))):
                consents.setdefault(consent.secondment_id, []).append(consent)
        bodies = {b.id: b for b in session.exec(select(TemporaryBody))}
        return cls(region_index(session), department_lookup(session), bodies, consents)  # type: ignore[arg-type]

    def host(self, s: Secondment) -> UnitPublic:
        body = self.bodies.get(s.host_body_id) if s.host_body_id else None
        if body is not None:
            return UnitPublic(code=body.code, name=body.name)
        department = self.departments.by_id[s.host_department_id]  # type: ignore[index]
        return UnitPublic(code=department.code, name=department.name)

    def home(self, s: Secondment) -> HomePublic:
        if s.home_department_id is not None:
            department = self.departments.by_id[s.home_department_id]
            return HomePublic(code=department.code, name=department.name, kind=HomeKind.DEPARTMENT)
        region = self.index.by_id[s.home_region_id]  # type: ignore[index]
        return HomePublic(code=region.code, name=region.name, kind=HomeKind.REGION)


def flag_public(flag: dict) -> SecondmentFlagPublic:
    kind = SecondmentFlagKind(flag.get("kind", ""))
    return SecondmentFlagPublic(kind=kind, message=gettext(FLAG_MESSAGES[kind], **dict(flag.get("params") or {})))


def pending_parties(s: Secondment, consents: list[SecondmentConsent]) -> list[ConsentParty]:
    """The parties whose consent the current round still needs (none unless consent is being asked)."""
    if s.state != SecondmentState.REQUESTED:
        return []
    given = {c.given_by for c in consents if c.consent_round == s.consent_round}
    return [party for party in ConsentParty if party not in given]


def secondment_public(s: Secondment, lookups: Lookups, person_for: Principal | None = None) -> SecondmentPublic:
    """SECONDMENT; `person_ref` only when *person_for* is a party (see `sees_person`). Public routes pass no
    one, so no public route ever shows a person: the parties read it on their own restricted routes."""
    consents = lookups.consents.get(s.id, []) if s.id is not None else []
    shows_person = sees_person(person_for, s, lookups.index, lookups.bodies)
    return SecondmentPublic(
        id=s.id,  # type: ignore[arg-type]
        number=s.number,
        host=lookups.host(s),
        home=lookups.home(s),
        reason=s.reason,
        start_on=s.start_on.isoformat(),
        end_on=s.end_on.isoformat(),
        state=SecondmentState(s.state),
        consents=[ConsentPublic(by=ConsentParty(c.given_by), decision=ConsentDecision(c.decision), reason=c.reason,
                                at=iso_utc(c.at) or "", round=c.consent_round) for c in consents],
        outcome=SecondmentOutcome(s.outcome) if s.outcome else None,
        outcome_reason=s.outcome_reason,
        flags=[flag_public(f) for f in s.flags or []],
        row_version=s.row_version,
        waiting_for=pending_parties(s, consents),
        ended_on=s.ended_on.isoformat() if s.ended_on else None,
        person_ref=s.person_ref if shows_person else None,
    )


# ---------------------------------------------------------------- reads

def load(session: Session, secondment_id: int) -> Secondment:
    s = session.get(Secondment, secondment_id) if 1 <= secondment_id <= MAX_ID else None
    if s is None:
        raise NotFound(NOT_FOUND)
    return s


def secondment_for(session: Session, principal: Principal | None, secondment_id: int,
                   with_person: bool = False) -> SecondmentPublic:
    """One SECONDMENT if the principal may see it, NotFound otherwise (no hint that it exists); with its
    `person_ref` only when `with_person` (a restricted route) and the principal is a party."""
    s = load(session, secondment_id)
    lookups = Lookups.load(session, [s])
    if not can_see(principal, s, lookups.index, lookups.bodies):
        raise NotFound(NOT_FOUND)
    return secondment_public(s, lookups, principal if with_person else None)


def visible_rows(session: Session, principal: Principal | None, state: str | None = None,
                 home: str | None = None, host: str | None = None) -> tuple[list[Secondment], Lookups]:
    """Every secondment the principal may see (optionally of one state, home or host code), newest first."""
    statement = select(Secondment)
    if state:
        statement = statement.where(Secondment.state == state)
    rows = list(session.exec(statement.order_by(col(Secondment.created_at).desc(), col(Secondment.id).desc())))
    lookups = Lookups.load(session, [])
    rows = [s for s in rows if can_see(principal, s, lookups.index, lookups.bodies)
            and (not home or lookups.home(s).code == home) and (not host or lookups.host(s).code == host)]
    return rows, lookups


def list_page(session: Session, principal: Principal | None, state: str | None, page: int, per_page: int,
              home: str | None = None, host: str | None = None, with_person: bool = False) -> SecondmentPage:
    """A page of what the principal may see, newest first (persons only when `with_person`, see above)."""
    rows, lookups = visible_rows(session, principal, state, home, host)
    if with_person:
        rows = [s for s in rows if sees_person(principal, s, lookups.index, lookups.bodies)]
    chosen = rows[(page - 1) * per_page: page * per_page]
    lookups.consents = Lookups.load(session, chosen).consents
    return SecondmentPage(items=[secondment_public(s, lookups, principal if with_person else None) for s in chosen],
                          total=len(rows), page=page, per_page=per_page)


def waiting_for_me(session: Session, principal: Principal) -> list[SecondmentPublic]:
    """Secondments whose current round waits for a consent this principal may give, oldest first."""
    rows = list(session.exec(select(Secondment).where(Secondment.state == SecondmentState.REQUESTED)
                             .order_by(col(Secondment.id))))
    lookups = Lookups.load(session, rows)
    return [secondment_public(s, lookups, principal) for s in rows
            if any(can_consent_as(principal, s, party, lookups.index)
                   for party in pending_parties(s, lookups.consents.get(s.id, [])))]  # type: ignore[arg-type]


def statistics(session: Session) -> SecondmentStats:
    """The clean-up figures. `units`: every unit a check went through, and every host given an outcome."""
    rows = list(session.exec(select(Secondment)))
    lookups = Lookups.load(session, [])
    units: set[str] = set()
    for check in session.exec(select(SecondmentCheck)):
        units.update(check.units or [])
    units.update(lookups.host(s).code for s in rows if s.outcome)
    by_outcome = {outcome: sum(1 for s in rows if s.outcome == outcome) for outcome in SecondmentOutcome}
    in_force = [s for s in rows if s.state in (SecondmentState.APPROVED, SecondmentState.ENDED)]
    return SecondmentStats(
        units=len(units),
        active=sum(1 for s in rows if s.state == SecondmentState.APPROVED),
        cleared=sum(by_outcome[o] for o in CLEARING_OUTCOMES),
        returned=by_outcome[SecondmentOutcome.RETURNED],
        transferred=by_outcome[SecondmentOutcome.TRANSFERRED],
        extended=by_outcome[SecondmentOutcome.EXTENDED],
        longer_than_6_months=sum(1 for s in in_force if is_long(s.start_on, effective_end(s))),
    )


def town_staff(session: Session, town: Region) -> int | None:
    row = session.get(TownStaff, town.id)
    return row.staff if row else None


def town_region_ids(index: RegionIndex, town: Region) -> set[int]:
    """The town and every village below it: a secondment from any of them takes the town's people."""
    return {town.id, *(v.id for v in index.villages_below(town))}  # type: ignore[misc]


def town_away(session: Session, code: str, today: date) -> TownAway:
    """How many of a town's staff are away on `today` (consented secondments under way), and for how long."""
    index = region_index(session)
    town = find_region(index, code)
    if town.level != RegionLevel.TOWN:
        raise NotFound(N_("%(code)s is not a town."), code=code[:20])
    ids = town_region_ids(index, town)
    rows = [s for s in session.exec(select(Secondment).where(Secondment.state == SecondmentState.APPROVED,
                                                             col(Secondment.home_region_id).in_(ids)))
            if s.start_on <= today <= s.end_on]
    rows.sort(key=lambda s: (s.start_on, s.id))
    lookups = Lookups.load(session, [])
    staff = town_staff(session, town)
    items = [AwayPublic(number=s.number, host=lookups.host(s), home=lookups.home(s), start_on=s.start_on.isoformat(),
                        end_on=s.end_on.isoformat(), months=months_between(s.start_on, s.end_on),
                        state=SecondmentState(s.state)) for s in rows]
    return TownAway(
        town=region_public(town, index), staff=staff, away=len(rows),
        share_percent=round(len(rows) * 100 / staff, 1) if staff else None,
        longer_than_6_months=sum(1 for s in rows if is_long(s.start_on, s.end_on)), items=items,
    )


def temporary_bodies_public(session: Session) -> list[TemporaryBodyPublic]:
    """Every temporary body by code, with its lead department and how many of its secondments are in force."""
    departments = department_lookup(session)
    active: dict[int, int] = {}
    for body_id in session.exec(select(Secondment.host_body_id).where(
            Secondment.state == SecondmentState.APPROVED, col(Secondment.host_body_id).is_not(None))):
        active[body_id] = active.get(body_id, 0) + 1  # type: ignore[index]
    return [body_public(b, departments.by_id[b.lead_department_id], active.get(b.id, 0))  # type: ignore[arg-type]
            for b in session.exec(select(TemporaryBody).order_by(col(TemporaryBody.code)))]


def body_public(body: TemporaryBody, lead: Department, active: int = 0) -> TemporaryBodyPublic:
    return TemporaryBodyPublic(code=body.code, name=body.name, lead_department=lead.code,
                               lead_department_name=lead.name, ends_on=body.ends_on.isoformat(),
                               ended=body.ended_on is not None, active_secondments=active)


def overlapping_peak(intervals: list[tuple[date, date]], start: date, end: date) -> int:
    """The most of *intervals* under way on any one day of [start, end]."""
    inside = [(max(a, start), min(b, end)) for a, b in intervals if a <= end and b >= start]
    days = {start, *(a for a, _ in inside)}
    return max((sum(1 for a, b in inside if a <= day <= b) for day in days), default=0)


def compute_flags(session: Session, s: Secondment, index: RegionIndex) -> list[dict]:
    """`long`, `heavy_share` and `repeat` for a secondment being filed or extended (stored with their params)."""
    flags: list[dict] = []
    if is_long(s.start_on, s.end_on):
        flags.append({"kind": SecondmentFlagKind.LONG.value,
                      "params": {"months": months_between(s.start_on, s.end_on)}})
    town = home_town(index, s.home_region_id)
    staff = town_staff(session, town) if town is not None else None
    others = [o for o in session.exec(select(Secondment).where(col(Secondment.state).in_(list(TAKING_PLACE))))
              if o.id != s.id]
    if town is not None and staff:
        ids = town_region_ids(index, town)
        away = 1 + overlapping_peak([(o.start_on, effective_end(o)) for o in others if o.home_region_id in ids],
                                    s.start_on, s.end_on)
        if away * 100 > staff * HEAVY_SHARE_PERCENT:
            flags.append({"kind": SecondmentFlagKind.HEAVY_SHARE.value,
                          "params": {"town": town.name, "away": away, "staff": staff}})
    since = add_months(s.start_on, -REPEAT_MONTHS)
    earlier = sorted((o for o in others if o.person_ref == s.person_ref and effective_end(o) >= since
                      and o.start_on <= s.end_on), key=lambda o: o.start_on)
    if earlier:
        flags.append({"kind": SecondmentFlagKind.REPEAT.value, "params": {"number": earlier[-1].number}})
    return flags


def today_in_shanghai() -> date:
    return local_date(utcnow())
