"""Calendar years against the ledger: the catalog edition in force when a year (Asia/Shanghai) began and ended.

`start` is the newest catalog edition recorded before 1 January, `end` the newest before the next
1 January (or the newest now, for the current year): contract §7. Both are 0 when there was no catalog yet.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from registry.choices import CATALOG_KINDS
from registry.ledger.models import LedgerEntry
from registry.timeutil import SHANGHAI, ledger_timestamp


def year_begins(year: int) -> str:
    """1 January of *year*, 00:00 Shanghai, as a ledger timestamp (UTC; they sort as text)."""
    return ledger_timestamp(datetime(year, 1, 1, tzinfo=SHANGHAI))


@dataclass(frozen=True)
class YearEditions:
    year: int
    start: int
    end: int


def edition_before(session: Session, moment: str) -> int:
    """The newest catalog edition (seq of a duty.* entry) recorded before *moment*; 0 when none."""
    statement = select(func.max(LedgerEntry.seq)).where(
        col(LedgerEntry.kind).in_(sorted(CATALOG_KINDS)), col(LedgerEntry.recorded_at) < moment)
    return int(session.exec(statement).one() or 0)


def year_editions(session: Session, year: int) -> YearEditions:
    """The editions in force at the start and at the end of *year* (or now)."""
    start, end = year_begins(year), year_begins(year + 1)
    return YearEditions(year, edition_before(session, start), edition_before(session, end))
