"""Test tasks that leave one audit row per unit of work, so a test can count what was done and how often."""

from collections.abc import Callable

from sqlmodel import Session, func, select

from registry.accounts.models import AuditEvent
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext, one_by_one

STAMP = "test.stamp"


def stamp_task(name: str, order: int, units: int, fail_after: int | None = None) -> DailyTask:
    """A task stamping `units` units for the day, one small transaction each; on its first call it raises after
    `fail_after` of them (as a crash would), leaving the rest for the next run."""
    calls = {"n": 0}

    def run(ctx: TaskContext) -> Changes:
        calls["n"] += 1
        keys = [f"{name}:{ctx.today.isoformat()}:{unit}" for unit in range(units)]
        done = {"n": 0}

        def apply(session: Session, key: str) -> bool:
            if fail_after is not None and calls["n"] == 1 and done["n"] == fail_after:
                raise RuntimeError(f"{name} broke after {fail_after} units")
            done["n"] += 1
            if session.exec(select(AuditEvent).where(AuditEvent.kind == STAMP, AuditEvent.detail == key)).first():
                return False
            session.add(AuditEvent(kind=STAMP, detail=key))
            return True

        return {"stamped": one_by_one(ctx, keys, apply)}

    return DailyTask(name, order, run)


def stamps(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many times each unit was stamped."""
    with db.read() as session:
        rows = session.exec(select(AuditEvent.detail, func.count()).where(AuditEvent.kind == STAMP)
                            .group_by(AuditEvent.detail)).all()
    return dict(rows)


def raising(message: str) -> Callable[[TaskContext], Changes]:
    def run(ctx: TaskContext) -> Changes:
        raise ValueError(message)

    return run
