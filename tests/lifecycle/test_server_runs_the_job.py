"""The server runs the day's job by itself, once across all its workers (a real `registry run`)."""

import time
import urllib.request

from sqlmodel import select

from registry.lifecycle.job import job_day
from registry.lifecycle.models import DailyTaskRun
from registry.lifecycle.tasks import registered_tasks
from registry.timeutil import utcnow
from tests.conftest import registry_server

TASKS = [task.name for task in registered_tasks()]  # housekeeping and every other area's task
FAST = {"REGISTRY_BACKGROUND_POLL_SECONDS": "0.2"}


def day_records(db):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.exec(select(DailyTaskRun)).all()


def test_two_workers_run_the_days_job_once(database_url, db, tmp_path):
    with registry_server(database_url, tmp_path, FAST, workers=2):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(r.state == "done" for r in day_records(db)) < len(TASKS):
            time.sleep(0.2)
        time.sleep(2)  # ten more wakes in each worker: none may run it again
        day = job_day(utcnow())
    found = day_records(db)
    expected = sorted((day, name, "done", 1) for name in TASKS)
    assert sorted((r.day, r.task, r.state, r.attempts) for r in found) == expected


def test_background_tasks_can_be_turned_off(database_url, db, tmp_path):
    with registry_server(database_url, tmp_path, {**FAST, "REGISTRY_BACKGROUND_TASKS": "0"}) as base:
        with urllib.request.urlopen(f"{base}/readyz", timeout=10) as response:  # the server is up and serving
            assert response.status == 200
        time.sleep(1.5)
    assert day_records(db) == []
