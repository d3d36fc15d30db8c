"""The daily lapse task (contract §5, §7): every active duty past its end date ("ended") or more than 90 days
past its review date ("lapsed") retires, one `duty.retired` entry each with `retired_because` and no request.

Each duty retires in its own serialised write transaction that re-checks, under the ledger lock, that the
duty is still in force and still due: a run stopped anywhere is finished by the next, and two processes (or
a renewal approved at the same moment) never retire a duty twice.
"""

from datetime import date, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import current_version, record_change
from registry.choices import N_, ChangeKind, DutyStatus, NotificationKind, RetiredBecause
from registry.i18n import gettext, reset_language, set_language
from registry.ledger import chain
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext, one_by_one
from registry.notifications.services import Audience, enqueue
from registry.regions.models import Department

LAPSE_AFTER = timedelta(days=90)  # a duty not renewed within 90 days after its review date lapses
RETIRED_SUBJECT = N_("A duty of your department was retired by the registry")
RETIRED_BODY = {
    RetiredBecause.ENDED: N_("%(code)s “%(title)s” ended on %(day)s and is no longer on any list."),
    RetiredBecause.LAPSED: N_("%(code)s “%(title)s” was due for review on %(day)s and was not renewed within "
                              "90 days: it has lapsed and is no longer on any list."),
}


def retirement_reason(version: DutyVersion, today: date) -> RetiredBecause | None:
    """Why an active version must retire on `today` (its end date first), or None while it stays in force."""
    if version.status != DutyStatus.ACTIVE:
        return None
    if version.ends_on is not None and version.ends_on < today:
        return RetiredBecause.ENDED
    if version.review_by is not None and version.review_by + LAPSE_AFTER < today:
        return RetiredBecause.LAPSED
    return None


def due_codes(session: Session, today: date) -> list[str]:
    """Codes of the active duties that `retirement_reason` retires on `today`, in code order (one query)."""
    statement = (
        select(Duty.code)
        .join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE,
               or_(and_(col(DutyVersion.ends_on).is_not(None), col(DutyVersion.ends_on) < today),
                   and_(col(DutyVersion.review_by).is_not(None),
                        col(DutyVersion.review_by) < today - LAPSE_AFTER)))
        .order_by(col(Duty.code))
    )
    return list(session.exec(statement))


def retire_if_due(session: Session, code: str, today: date) -> RetiredBecause | None:
    """Retire duty `code` if it is still due on `today` (inside the caller's write transaction), telling its
    department through the outbox; why, or None."""
    chain.lock_ledger(session)  # before reading: a renewal or another run may have changed it meanwhile
    duty = session.exec(select(Duty).where(Duty.code == code)).first()
    version = current_version(session, duty.id if duty else None)
    because = retirement_reason(version, today) if version is not None else None
    if because is None or version is None:
        return None
    record_change(session, ChangeKind.RETIRED, None, duty_code=code, retired_because=because.value)
    owner = session.get(Department, version.department_id)
    if owner is not None:
        day = version.ends_on if because == RetiredBecause.ENDED else version.review_by
        enqueue(session, NotificationKind.DUTY_RETIRED, Audience.department(owner.code), gettext(RETIRED_SUBJECT),
                gettext(RETIRED_BODY[because], code=code, title=version.title or "",
                        day=day.isoformat() if day else "")[:2000], link_path=f"/duties/{code}")
    return because


def expire(ctx: TaskContext) -> Changes:
    """Retire what ended or lapsed before `ctx.today`; counts per reason."""
    with ctx.db.read() as session:
        codes = due_codes(session, ctx.today)
    token = set_language(ctx.settings.language)  # the outbox is worded in the registry's language
    counts = {RetiredBecause.ENDED.value: 0, RetiredBecause.LAPSED.value: 0}

    def apply(session: Session, code: str) -> bool:
        because = retire_if_due(session, code, ctx.today)
        if because is not None:
            counts[because.value] += 1
        return because is not None

    try:
        one_by_one(ctx, codes, apply, exclusive=True)
    finally:
        reset_language(token)
    return counts


DAILY_TASKS = [DailyTask("expiry", order=100, run=expire)]
