"""Work the server does by itself, in every worker: the daily job and the notification sender.

Each is a thread that wakes every `background_poll_seconds`; every wake is safe in any number of workers at
once (the daily job takes its lock without waiting and skips days already done; the sender claims rows one
by one). `create_app` starts them only when `settings.background_tasks` is on — `registry run` turns it on,
apps built by tests and scripts leave it off — and stops them at shutdown: the work in hand ends at its next
checkpoint, and what is left is finished by the next wake, here or in another worker.
"""

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta

from litestar import Litestar

from registry.choices import TaskOutcome
from registry.db import Database
from registry.lifecycle.job import Stopped, job_day, pending_tasks, run_daily_job
from registry.lifecycle.lock import LockLost
from registry.notifications.sender import send_due
from registry.settings import Settings
from registry.timeutil import utcnow

RETRY_FAILED_DAY_AFTER = timedelta(minutes=10)
JOIN_SECONDS = 15.0
log = logging.getLogger("registry.background")


class Loop:
    """A daemon thread calling `step(stop)` every `interval` seconds until stopped; a failing step is logged."""

    def __init__(self, name: str, interval: float, step: Callable[[threading.Event], None]):
        self.name, self.interval, self.step = name, interval, step
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"registry-{name}", daemon=True)

    def _run(self) -> None:
        failing = False
        while not self.stop_event.is_set():
            try:
                self.step(self.stop_event)
                failing = False
            except Exception as exc:  # noqa: BLE001  (a bad wake must not end the loop)
                # The trace once; while the cause lasts (a database outage, say), one line per wake.
                log.warning("background %s failed (%s: %s); trying again at the next wake", self.name,
                            type(exc).__name__, exc, exc_info=not failing)
                failing = True
            self.stop_event.wait(self.interval)


class DailyJobStep:
    """Run the job of `job_day(now)` unless it is done, another worker holds it, or it failed a moment ago."""

    def __init__(self, db: Database, settings: Settings):
        self.db, self.settings = db, settings
        self.done_day: date | None = None  # a cache: the database's records decide
        self.retry_at = utcnow()

    def __call__(self, stop: threading.Event) -> None:
        now = utcnow()
        day = job_day(now)
        if day == self.done_day or now < self.retry_at:
            return
        if not pending_tasks(self.db, day):
            self.done_day = day
            return
        try:
            lines = run_daily_job(self.db, day, self.settings, should_stop=stop.is_set)
        except (Stopped, LockLost) as exc:
            log.info("daily job %s interrupted (%s); the next run finishes it", day, type(exc).__name__)
            return
        if lines is None:
            return  # another worker is running it
        if any(line.outcome == TaskOutcome.FAILED for line in lines):
            self.retry_at = utcnow() + RETRY_FAILED_DAY_AFTER
        else:
            self.done_day = day


def background_loops(db: Database, settings: Settings) -> list[Loop]:
    """The server's loops (not started)."""
    interval = settings.background_poll_seconds
    return [
        Loop("daily-job", interval, DailyJobStep(db, settings)),
        Loop("notification-sender", interval, lambda stop: send_due(db, settings, should_stop=stop.is_set)),
    ]


def lifespan(db: Database, settings: Settings) -> Callable[[Litestar], AsyncIterator[None]]:
    """The app's lifespan: start the loops when `settings.background_tasks` is on, stop them at shutdown."""

    @asynccontextmanager
    async def run_in_background(_app: Litestar) -> AsyncIterator[None]:
        loops = background_loops(db, settings) if settings.background_tasks else []
        for loop in loops:
            loop.thread.start()
        if loops:
            log.info("background loops started: %s", ", ".join(loop.name for loop in loops))
        try:
            yield
        finally:
            for loop in loops:
                loop.stop_event.set()
            for loop in loops:
                loop.thread.join(JOIN_SECONDS)

    return run_in_background  # type: ignore[return-value]
