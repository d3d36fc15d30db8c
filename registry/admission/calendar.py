"""Working days in Asia/Shanghai: Saturdays and Sundays off unless a make-up working day (调休), holidays off."""

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from registry.choices import HolidayKind
from registry.regions.models import Holiday
from registry.timeutil import SHANGHAI, as_utc, local_date

DUE_WORKING_DAYS = 15
NOTICE_WORKING_DAYS = 30
_SPAN = timedelta(days=400)


class WorkCalendar:
    """The holiday table for a span of dates, answering "is this a working day?"."""

    def __init__(self, special: dict[date, str]):
        self.special = special

    @classmethod
    def load(cls, session: Session, start: date, end: date) -> "WorkCalendar":
        rows = session.exec(select(Holiday).where(col(Holiday.day) >= start, col(Holiday.day) <= end))
        return cls({row.day: row.kind for row in rows})

    def is_working_day(self, day: date) -> bool:
        kind = self.special.get(day)
        if kind == HolidayKind.WORKDAY:
            return True
        if kind == HolidayKind.HOLIDAY:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (start itself not counted)."""
        day = start
        found = 0
        while found < count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 when end is not after start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def calendar_around(session: Session, day: date, until: date | None = None) -> WorkCalendar:
    end = max(day + _SPAN, until or day)
    return WorkCalendar.load(session, day - timedelta(days=7), end)


def due_at(session: Session, submitted_at: datetime) -> datetime:
    """The end (23:59:59.999999 Shanghai, as UTC) of the 15th working day after the submission date."""
    day = local_date(submitted_at)
    last = calendar_around(session, day).add_working_days(day, DUE_WORKING_DAYS)
    return datetime.combine(last, time.max, tzinfo=SHANGHAI).astimezone(as_utc(submitted_at).tzinfo)


def is_late(session: Session, submitted_on: date, start_date: date) -> bool:
    """`start_date` is less than 30 working days after the submission date."""
    if start_date <= submitted_on:
        return True
    if (start_date - submitted_on).days > 3 * NOTICE_WORKING_DAYS:
        return False  # 90 calendar days always hold 30 working days
    calendar = calendar_around(session, submitted_on, start_date)
    return calendar.working_days_between(submitted_on, start_date) < NOTICE_WORKING_DAYS
