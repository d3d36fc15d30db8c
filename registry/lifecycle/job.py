"""The daily job (contract §5): every registered task once per day, under one lock across all processes.

`registry lifecycle run [--today]` calls `run_daily_job` and waits for the lock; the server's background
loop (registry/background.py) tries the lock without waiting, once the day has begun at 00:10 Shanghai.
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import col, select

from registry.choices import DailyTaskState, TaskOutcome
from registry.db import Database
from registry.lifecycle.lock import DAILY_JOB_LOCK_KEY, HeldLock, LockLost, job_lock
from registry.lifecycle.models import DailyTaskRun
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext, registered_tasks
from registry.settings import Settings
from registry.timeutil import SHANGHAI, as_utc, utcnow

JOB_NAME = "daily-job"
DAY_STARTS_AT = time(0, 10)  # Shanghai: the server runs the day's job from 00:10 on
log = logging.getLogger("registry.lifecycle")


class Stopped(Exception):
    """The server is shutting down: the run ends at a checkpoint; the next run finishes the work."""


@dataclass(frozen=True)
class TaskLine:
    """What one task did in one run: `ran` (with its changes), `skipped` (already done that day) or `failed`."""

    task: str
    day: date
    outcome: TaskOutcome
    changes: Changes = field(default_factory=dict)
    error: str = ""

    def __str__(self) -> str:
        if self.outcome == TaskOutcome.SKIPPED:
            return f"{self.task}: already done for {self.day.isoformat()}"
        if self.outcome == TaskOutcome.FAILED:
            return f"{self.task}: failed ({self.error}); the next run finishes it"
        changed = {name: count for name, count in self.changes.items() if count}
        if not changed:
            return f"{self.task}: nothing to change"
        return f"{self.task}: " + " ".join(f"{name}={count}" for name, count in changed.items())


def job_day(moment: datetime) -> date:
    """The day whose job the server should have run by `moment`: today in Shanghai from 00:10, else yesterday."""
    local = as_utc(moment).astimezone(SHANGHAI)
    return local.date() if local.time() >= DAY_STARTS_AT else local.date() - timedelta(days=1)


def pending_tasks(db: Database, day: date, tasks: list[DailyTask] | None = None) -> list[str]:
    """Names of the tasks not yet done for `day` (a cheap read; no lock)."""
    names = [task.name for task in (registered_tasks() if tasks is None else tasks)]
    with db.read() as session:
        done = set(session.exec(select(DailyTaskRun.task).where(
            DailyTaskRun.day == day, DailyTaskRun.state == DailyTaskState.DONE, col(DailyTaskRun.task).in_(names))))
    return [name for name in names if name not in done]


def run_daily_job(db: Database, today: date, settings: Settings, *, tasks: list[DailyTask] | None = None,
                  wait_seconds: float = 0.0, should_stop: Callable[[], bool] = lambda: False) -> list[TaskLine] | None:
    """Run every task not yet done for `today`, in order, holding the job lock; one TaskLine per task.

    None when another process held the lock for `wait_seconds`. A failing task is recorded and the others
    still run. Raises Stopped when `should_stop` turns true (at a checkpoint) and LockLost if the lock is lost.
    """
    tasks = registered_tasks() if tasks is None else tasks
    with job_lock(db, JOB_NAME, DAILY_JOB_LOCK_KEY, wait_seconds) as lock:
        if lock is None:
            return None
        return [_run_task(db, task, today, settings, lock, should_stop) for task in tasks]


def _run_task(db: Database, task: DailyTask, today: date, settings: Settings, lock: HeldLock,
              should_stop: Callable[[], bool]) -> TaskLine:
    with db.write() as session:
        record = session.get(DailyTaskRun, (today, task.name))
        if record is not None and record.state == DailyTaskState.DONE:
            return TaskLine(task.name, today, TaskOutcome.SKIPPED)
        record = record or DailyTaskRun(day=today, task=task.name, state=DailyTaskState.RUNNING)
        record.state, record.attempts, record.started_at = DailyTaskState.RUNNING, record.attempts + 1, utcnow()
        session.add(record)

    def checkpoint() -> None:
        if should_stop():
            raise Stopped()
        lock.checkpoint()

    context = TaskContext(db=db, today=today, now=utcnow(), settings=settings, checkpoint=checkpoint)
    try:
        changes = task.run(context)
    except (Stopped, LockLost) as exc:
        _finish(db, today, task.name, DailyTaskState.FAILED, error=type(exc).__name__)
        raise
    except Exception as exc:  # noqa: BLE001  (one task's failure must not stop the others)
        log.error("daily task %s for %s failed:\n%s", task.name, today, traceback.format_exc())
        error = f"{type(exc).__name__}: {exc}"[:200]
        _finish(db, today, task.name, DailyTaskState.FAILED, error=error)
        return TaskLine(task.name, today, TaskOutcome.FAILED, error=error)
    line = TaskLine(task.name, today, TaskOutcome.RAN, changes=dict(changes))
    _finish(db, today, task.name, DailyTaskState.DONE, summary=str(line))
    log.info("daily job %s: %s", today, line)
    return line


def _finish(db: Database, day: date, task: str, state: DailyTaskState, summary: str = "", error: str = "") -> None:
    with db.write() as session:
        record = session.get(DailyTaskRun, (day, task))
        assert record is not None
        record.state, record.finished_at = state, utcnow()
        record.summary, record.last_error = summary[:500], error[:500]
        session.add(record)
