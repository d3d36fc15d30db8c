"""The registry of daily tasks: each area lists its tasks in a module named in TASK_MODULES.

A task is a function `run(ctx: TaskContext) -> Changes` that brings the data up to date for `ctx.today` and
returns what it changed (name → count; empty when nothing). The runner records when it finished for a day
and never starts it again that day. A task must be written so that a run stopped at ANY point (crash,
shutdown, error) is finished by the next run without doing anything twice: it does its work in small write
transactions that each leave the data consistent and each re-check, inside the transaction, that its unit
of work is still to be done; and it calls `ctx.checkpoint()` between them (`one_by_one` does all of that).
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from sqlmodel import Session

from registry.db import Database
from registry.settings import Settings

# Each module exposes DAILY_TASKS: list[DailyTask]. Areas are added here and nowhere else.
TASK_MODULES = ("registry.accounts.housekeeping", "registry.lifecycle.expiry", "registry.lifecycle.reminders",
                "registry.secondments.daily")

Changes = dict[str, int]
Key = TypeVar("Key")


@dataclass
class TaskContext:
    """What a task may use: the database, the job's day, the wall clock at the run's start, the settings."""

    db: Database
    today: date
    now: datetime
    settings: Settings
    checkpoint: Callable[[], None] = field(default=lambda: None)


@dataclass(frozen=True)
class DailyTask:
    """A named task; tasks run in ascending `order` (then by name), once per day."""

    name: str
    order: int
    run: Callable[[TaskContext], Changes]


def registered_tasks(modules: Iterable[str] = TASK_MODULES) -> list[DailyTask]:
    """Every area's daily task, in the order they run. Refuses two tasks with the same name."""
    found: dict[str, DailyTask] = {}
    for module in modules:
        for task in importlib.import_module(module).DAILY_TASKS:
            if task.name in found:
                raise RuntimeError(f"two daily tasks are named {task.name}")
            found[task.name] = task
    return sorted(found.values(), key=lambda task: (task.order, task.name))


def one_by_one(ctx: TaskContext, keys: Iterable[Key], apply: Callable[[Session, Key], bool],
               exclusive: bool = False) -> int:
    """Apply each key in its own write transaction, with a checkpoint before each; the number that changed.

    `apply(session, key)` must re-check inside its transaction that the key still needs the change (another
    run may have done it) and return whether it changed anything. `exclusive` serialises it with ledger
    appenders (see Database.write).
    """
    changed = 0
    for key in keys:
        ctx.checkpoint()
        with ctx.db.write(exclusive=exclusive) as session:
            changed += bool(apply(session, key))
    return changed
