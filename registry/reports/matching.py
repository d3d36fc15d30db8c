"""A report's `match` (contract §6): the region's official list at the edition in force at the end of `asked_on`,
compared with the report's title and description by the one similarity measure of registry.catalog.similarity
(the admission `duplicate` and `negative_list` flags use it too)."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.catalog.lists import region_versions
from registry.catalog.similarity import matches
from registry.choices import CATALOG_KINDS, NOT_PERFORMED
from registry.ledger.models import LedgerEntry
from registry.regions.models import Region
from registry.regions.services import RegionIndex
from registry.reports.schemas import MAX_MATCHES
from registry.timeutil import SHANGHAI, ledger_timestamp, local_date, parse_ledger_timestamp


def edition_on(session: Session, day: date) -> int:
    """The catalog edition in force at the end of *day* (Asia/Shanghai): the newest catalog entry recorded by
    then. For a day before the registry's first, the list at the end of its first day stands in (the seed's
    catalog, loaded as one entry per item, is the list that was in force before the registry kept one); 0
    when the catalog is empty."""
    kinds = [str(k) for k in CATALOG_KINDS]

    def newest_by_end_of(when: date) -> int | None:
        end = datetime.combine(when + timedelta(days=1), time.min, tzinfo=SHANGHAI)
        return session.exec(select(func.max(LedgerEntry.seq)).where(
            col(LedgerEntry.kind).in_(kinds), col(LedgerEntry.recorded_at) < ledger_timestamp(end))).one()

    found = newest_by_end_of(day)
    if found:
        return int(found)
    first = session.exec(select(func.min(LedgerEntry.recorded_at)).where(col(LedgerEntry.kind).in_(kinds))).one()
    if not first:
        return 0
    return int(newest_by_end_of(local_date(parse_ledger_timestamp(first))) or 0)  # type: ignore[arg-type]


def compute_match(session: Session, index: RegionIndex, region: Region | None, title: str, description: str,
                  asked_on: date) -> dict:
    """`{edition, on_list, negative_list}`: at most MAX_MATCHES of each, most alike first. A report without a
    region (an enterprise's, the public's) is compared with the county's own list."""
    edition = edition_on(session, asked_on)
    where = region or index.default_owner()
    if edition == 0 or where is None:
        return {"edition": edition, "on_list": [], "negative_list": []}
    rows = region_versions(session, where, index, edition)
    titles = {code: version.title or "" for code, version in rows}
    negative = {code for code, version in rows if version.category in NOT_PERFORMED}
    items = [(code, version.title, version.description, code in negative) for code, version in rows]
    found = matches(title, description, items)
    on_list = [{"code": code, "title": titles[code], "similarity": round(score, 3)}
               for score, code in found if code not in negative]
    negatives = [{"code": code, "title": titles[code], "similarity": round(score, 3)}
                 for score, code in found if code in negative]
    return {"edition": edition, "on_list": on_list[:MAX_MATCHES], "negative_list": negatives[:MAX_MATCHES]}
