"""The daily job: every task once per day, in order, under one lock across processes; a run stopped
halfway is finished by the next one and nothing is done twice."""

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from registry.choices import DailyTaskState
from registry.lifecycle.job import Stopped, job_day, pending_tasks, run_daily_job
from registry.lifecycle.models import DailyTaskRun
from registry.lifecycle.tasks import DailyTask, registered_tasks
from tests.conftest import ROOT
from tests.lifecycle.stamps import raising, stamp_task, stamps
from tests.test_cli import cli, ok

DAY = date(2026, 5, 1)


def records(db, day: date = DAY) -> dict[str, tuple[str, int]]:  # type: ignore[no-untyped-def]
    """task → (state, attempts) for the day."""
    with db.read() as session:
        rows = session.exec(select(DailyTaskRun).where(DailyTaskRun.day == day)).all()
    return {row.task: (row.state, row.attempts) for row in rows}


def test_tasks_run_in_their_order_once_per_day(db, settings):
    tasks = [stamp_task("later", 20, 3), stamp_task("sooner", 10, 2)]
    first = run_daily_job(db, DAY, settings, tasks=sorted(tasks, key=lambda t: t.order))
    assert [str(line) for line in first] == ["sooner: stamped=2", "later: stamped=3"]

    again = run_daily_job(db, DAY, settings, tasks=tasks)
    assert [str(line) for line in again] == ["later: already done for 2026-05-01",
                                             "sooner: already done for 2026-05-01"]
    assert records(db) == {"sooner": ("done", 1), "later": ("done", 1)}

    next_day = run_daily_job(db, DAY + timedelta(days=1), settings, tasks=tasks)
    assert [line.outcome for line in next_day] == ["ran", "ran"]
    assert sorted(stamps(db).values()) == [1] * 10  # 5 units a day, two days, each once


def test_registered_tasks_are_ordered_and_named_once():
    tasks = registered_tasks()
    assert tasks == sorted(tasks, key=lambda task: (task.order, task.name))
    assert "housekeeping" in [task.name for task in tasks]
    with pytest.raises(RuntimeError, match="housekeeping"):
        registered_tasks(("registry.accounts.housekeeping", "registry.accounts.housekeeping"))


def test_a_run_broken_halfway_is_finished_by_the_next_and_nothing_is_done_twice(db, settings):
    tasks = [stamp_task("first", 1, 4), stamp_task("broken", 2, 4, fail_after=1), stamp_task("last", 3, 4)]
    first = run_daily_job(db, DAY, settings, tasks=tasks)
    assert [line.outcome for line in first] == ["ran", "failed", "ran"]  # one task's failure stops no other
    assert str(first[1]) == "broken: failed (RuntimeError: broken broke after 1 units); the next run finishes it"
    assert records(db)["broken"] == ("failed", 1)
    assert len([key for key in stamps(db) if key.startswith("broken:")]) == 1  # its first small transaction

    second = run_daily_job(db, DAY, settings, tasks=tasks)
    assert [str(line) for line in second] == ["first: already done for 2026-05-01", "broken: stamped=3",
                                              "last: already done for 2026-05-01"]
    assert records(db) == {"first": ("done", 1), "broken": ("done", 2), "last": ("done", 1)}
    done = stamps(db)
    assert len(done) == 12 and set(done.values()) == {1}


def test_a_stopped_run_ends_at_a_checkpoint_and_the_next_finishes(db, settings):
    calls = iter([False, False, True])  # stop asked while the third unit is about to start
    tasks = [stamp_task("slow", 1, 5)]
    with pytest.raises(Stopped):
        run_daily_job(db, DAY, settings, tasks=tasks, should_stop=lambda: next(calls, True))
    assert records(db)["slow"] == ("failed", 1)
    assert len(stamps(db)) == 2
    assert [str(line) for line in run_daily_job(db, DAY, settings, tasks=tasks)] == ["slow: stamped=3"]
    assert set(stamps(db).values()) == {1} and len(stamps(db)) == 5


def test_pending_tasks_names_what_is_not_done(db, settings):
    tasks = [stamp_task("a", 1, 1), DailyTask("b", 2, raising("always"))]
    assert pending_tasks(db, DAY, tasks) == ["a", "b"]
    run_daily_job(db, DAY, settings, tasks=tasks)
    assert pending_tasks(db, DAY, tasks) == ["b"]
    assert records(db)["b"][0] == DailyTaskState.FAILED


def test_a_held_lock_makes_a_run_that_will_not_wait_return_none(db, settings):
    inner: list = []

    def nested(ctx):  # type: ignore[no-untyped-def]
        inner.append(run_daily_job(db, DAY, settings, tasks=[stamp_task("x", 1, 1)], wait_seconds=0.3))
        return {}

    run_daily_job(db, DAY, settings, tasks=[DailyTask("outer", 1, nested)])
    assert inner == [None]
    assert "x" not in records(db)


# The job's day: Shanghai is UTC+8 all year (no daylight saving since 1991), and the day begins at 00:10.
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_the_servers_day_begins_at_ten_past_midnight_in_shanghai(naive):
    moment = naive.replace(tzinfo=UTC)
    assert job_day(moment) == (moment + timedelta(hours=8) - timedelta(minutes=10)).date()


def test_cli_runs_the_day_given_once(database_url, db, tmp_path):
    first = ok(cli(database_url, tmp_path, "lifecycle", "run", "--today", "2026-05-01"))
    assert first.stdout.splitlines()[-1].startswith("housekeeping: ")
    assert "already done" not in first.stdout
    again = ok(cli(database_url, tmp_path, "lifecycle", "run", "--today", "2026-05-01"))
    assert "housekeeping: already done for 2026-05-01" in again.stdout.splitlines()
    assert all(line.endswith("already done for 2026-05-01") for line in again.stdout.splitlines())
    other = ok(cli(database_url, tmp_path, "lifecycle", "run", "--today", "2026-05-02"))
    assert "already done" not in other.stdout
    # Every area's task ran once each day (other areas add their own tasks beside housekeeping).
    assert records(db)["housekeeping"] == ("done", 1)
    assert set(records(db).values()) == {("done", 1)}
    assert records(db, date(2026, 5, 2))["housekeeping"] == ("done", 1)


@pytest.mark.parametrize("bad", ["2026-02-30", "2026/05/01", "tomorrow", "", "2026-5-1x"])
def test_cli_refuses_a_day_that_is_not_a_date(database_url, db, tmp_path, bad):
    result = cli(database_url, tmp_path, "lifecycle", "run", "--today", bad)
    assert result.returncode == 2 and "--today" in result.stderr and "Traceback" not in result.stderr
    with db.read() as session:
        assert session.exec(select(DailyTaskRun)).all() == []


def test_two_processes_at_the_same_moment_run_each_task_once(database_url, db, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [subprocess.Popen([sys.executable, "-m", "tests.lifecycle.racer", database_url, DAY.isoformat(),
                                str(tmp_path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outputs = [racer.communicate(timeout=120) for racer in racers]
    assert all(racer.returncode == 0 for racer in racers), outputs
    assert len((tmp_path / "probe").read_text().split()) == 1  # the probe task ran in one process only
    printed = sorted(line for out, _err in outputs for line in out.splitlines() if line.startswith("probe"))
    assert printed == ["probe: already done for 2026-05-01", "probe: probed=1"]
    found = records(db)
    assert found["housekeeping"] == ("done", 1) and found["probe"] == ("done", 1)
    assert set(found.values()) == {("done", 1)}  # every other area's task too, once
