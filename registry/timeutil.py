"""Time in one place: UTC storage, the ledger's timestamp format, Asia/Shanghai dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, truncated to microseconds."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat naive datetimes (SQLite hands them back) as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ledger_timestamp(value: datetime) -> str:
    """UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ, the exact string the ledger hashes (contract §3)."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ledger_timestamp(value: str | None) -> datetime | None:
    """A ledger timestamp (YYYY-MM-DDTHH:MM:SS.ffffffZ) as an aware UTC datetime; None for None or ""."""
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC) if value else None


def iso_utc(value: datetime | None) -> str | None:
    """The API's timestamp format (the same as the ledger's)."""
    return None if value is None else ledger_timestamp(value)


def local_date(value: datetime) -> date:
    """The calendar date in Asia/Shanghai."""
    return as_utc(value).astimezone(SHANGHAI).date()
