"""One of several processes that run the daily job at the same moment (tests/lifecycle/test_job.py).

    python -m tests.lifecycle.racer DATABASE_URL DAY WORKDIR [bare]

Registers a slow `probe` task beside the real ones, says it is ready, waits for WORKDIR/go, runs the job
(waiting for the lock like `registry lifecycle run`), appends its pid to WORKDIR/probe once per probe call
and prints the job's lines. With `bare` it runs the lapse task itself, without the job's lock, and prints
`expiry: ended=N lapsed=M` (the task alone must not retire anything twice).
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

from registry.db import Database
from registry.lifecycle.expiry import expire
from registry.lifecycle.job import run_daily_job
from registry.lifecycle.tasks import Changes, DailyTask, TaskContext, registered_tasks
from registry.settings import Settings
from registry.timeutil import utcnow


def main() -> None:
    url, day, workdir = sys.argv[1], date.fromisoformat(sys.argv[2]), Path(sys.argv[3])

    def probe(ctx: TaskContext) -> Changes:
        with (workdir / "probe").open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(0.5)  # a wide window in which a second runner could start the same task
        return {"probed": 1}

    database = Database(url)
    tasks = [*registered_tasks(), DailyTask("probe", 500, probe)]
    (workdir / f"ready-{os.getpid()}").touch()
    while not (workdir / "go").exists():
        time.sleep(0.002)
    if sys.argv[4:] == ["bare"]:
        context = TaskContext(db=database, today=day, now=utcnow(), settings=Settings(database_url=url))
        changes = expire(context)
        print("expiry: " + " ".join(f"{name}={count}" for name, count in sorted(changes.items())))
    else:
        lines = run_daily_job(database, day, Settings(database_url=url), tasks=tasks, wait_seconds=60)
        for line in lines or []:
            print(line)
    database.dispose()


if __name__ == "__main__":
    main()
