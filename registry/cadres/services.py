"""The cadre's page: which regions a cadre may open here, what changed on their lists since the edition the
cadre last marked as read, and which items reach their review date soon. Reads the catalog; writes only visits."""

from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from registry.accounts.models import User
from registry.accounts.services import Principal
from registry.cadres.models import ListVisit
from registry.cadres.schemas import Desk
from registry.catalog import lists
from registry.catalog.schemas import DutyPublic
from registry.choices import CATALOG_KINDS, N_, Category, RegionLevel
from registry.db import Database
from registry.errors import NotFound
from registry.ledger.models import LedgerEntry
from registry.regions.models import Region
from registry.regions.services import RegionIndex, find_region, region_index
from registry.secondments.services import acts_for_region  # the one rule of whom a cadre acts for (§5)
from registry.timeutil import iso_utc, utcnow

# Items whose review date falls within this many days (or has passed) are shown as due.
DUE_WITHIN_DAYS = 90


def places(index: RegionIndex, principal: Principal) -> tuple[Region, list[Region]]:
    """The cadre's own region and every region the cadre may open here: the own one, then the villages below."""
    home = index.by_id.get(principal.region_id) if principal.region_id is not None else None
    if home is None:
        raise NotFound(N_("Your account is not bound to a village or town."))
    below = [] if home.level == RegionLevel.VILLAGE else index.villages_below(home)
    return home, [home, *below]


def _chosen(index: RegionIndex, principal: Principal, code: str | None) -> tuple[Region, Region, list[Region]]:
    home, reachable = places(index, principal)
    region = home if not code else find_region(index, code)
    if not acts_for_region(principal, index, region.id):
        # Another village's page is not the cadre's business; the public list is at /regions/{code}.
        raise NotFound(N_("Region %(code)s is not yours."), code=code)
    return region, home, reachable


def _edition_not_after(session: Session, *conditions) -> int | None:  # type: ignore[no-untyped-def]
    """The newest catalog edition (a duty.* entry's seq) meeting *conditions*; None when there is none."""
    return session.exec(select(func.max(LedgerEntry.seq)).where(
        col(LedgerEntry.kind).in_([k.value for k in CATALOG_KINDS]), *conditions)).first()


def _baseline(session: Session, principal: Principal) -> int | None:
    """Before any "mark as read": the catalog edition in force when the account was created."""
    created = session.exec(select(User.created_at).where(User.id == principal.user_id)).first()
    if created is None:
        return None
    return _edition_not_after(session, col(LedgerEntry.recorded_at) <= iso_utc(created))


def seen_edition(session: Session, principal: Principal, region: Region) -> int | None:
    visit = session.exec(select(ListVisit).where(ListVisit.account_id == principal.user_id,
                                                 ListVisit.region_id == region.id)).first()
    return visit.seen_edition if visit is not None else _baseline(session, principal)


def due_for_review(duties: list[DutyPublic], today: date) -> list[DutyPublic]:
    """Items whose review date has passed or falls within DUE_WITHIN_DAYS, soonest first."""
    limit = (today + timedelta(days=DUE_WITHIN_DAYS)).isoformat()
    due = [d for d in duties if d.review_by is not None and str(d.review_by) <= limit]
    return sorted(due, key=lambda d: (str(d.review_by), d.code))


def desk(db: Database, principal: Principal, code: str | None, today: date) -> Desk:
    """The page of *code* (the cadre's own region when None); NotFound outside the cadre's reach."""
    with db.read() as session:
        index = region_index(session)
        region, home, reachable = _chosen(index, principal, code)
        found = lists.region_list(session, region.code)
        seen = seen_edition(session, principal, region)
        changes: list[lists.ListChange] = []
        if seen and seen < found.edition:
            changes = lists.changes_between(lists.region_list(session, region.code, seen), found)
    counts: dict[Category, int] = {}
    for duty in found.duties:
        counts[Category(duty.category)] = counts.get(Category(duty.category), 0) + 1
    return Desk(region=found.region, edition=found.edition, seen_edition=seen, changes=changes,
                due=due_for_review(found.duties, today), counts=[(c, counts[c]) for c in Category if c in counts],
                total=len(found.duties), home=home, places=reachable)


def changes_count(db: Database, principal: Principal) -> int:
    """How many items of the cadre's own list changed since the cadre last looked (the nav badge)."""
    with db.read() as session:
        index = region_index(session)
        home, _ = places(index, principal)
        seen = seen_edition(session, principal, home)
        found = lists.region_list(session, home.code)
        if not seen or seen >= found.edition:
            return 0
        return len(lists.changes_between(lists.region_list(session, home.code, seen), found))


def mark_read(db: Database, principal: Principal, code: str | None, edition: int) -> tuple[Region, Region]:
    """Record that the cadre has read *code*'s list up to *edition* (never beyond the current edition);
    answers the region and the cadre's own one."""
    with db.write() as session:
        index = region_index(session)
        region, home, _ = _chosen(index, principal, code)
        # A number from the form: the newest real edition not after it (nothing read beyond what was shown).
        edition = _edition_not_after(session, col(LedgerEntry.seq) <= edition) or 0
        visit = session.exec(select(ListVisit).where(ListVisit.account_id == principal.user_id,
                                                     ListVisit.region_id == region.id)).first()
        if visit is None:
            visit = ListVisit(account_id=principal.user_id, region_id=region.id, seen_edition=edition)
        visit.seen_edition, visit.seen_at = edition, utcnow()
        session.add(visit)
    return region, home
