"""The server's background loops start only when the setting says so, keep going after a failing wake, and
stop at shutdown."""

import threading
import time

from litestar.testing import TestClient

from registry.app import create_app
from registry.background import Loop
from tests.conftest import HOST


def loop_threads() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t.name.startswith("registry-"))


def test_apps_built_by_tests_start_no_background_thread(settings, db):
    assert settings.background_tasks is False
    with TestClient(create_app(settings, db), base_url=f"http://{HOST}") as client:
        assert client.get("/healthz").status_code == 200
        assert loop_threads() == []


def test_the_loops_run_while_the_app_lives_and_stop_with_it(settings, db):
    configured = settings.model_copy(update=dict(background_tasks=True, background_poll_seconds=0.05))
    with TestClient(create_app(configured, db), base_url=f"http://{HOST}") as client:
        assert client.get("/healthz").status_code == 200
        assert loop_threads() == ["registry-daily-job", "registry-notification-sender"]
    assert loop_threads() == []


def test_a_failing_wake_does_not_end_the_loop(caplog):
    wakes: list[int] = []

    def step(stop: threading.Event) -> None:
        wakes.append(len(wakes))
        if len(wakes) <= 2:
            raise RuntimeError("database away")

    loop = Loop("test", 0.01, step)
    loop.thread.start()
    deadline = time.monotonic() + 10
    while len(wakes) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    loop.stop_event.set()
    loop.thread.join(5)
    assert not loop.thread.is_alive() and len(wakes) >= 5
    failures = [r for r in caplog.records if "background test failed" in r.getMessage()]
    assert len(failures) == 2 and failures[0].exc_info and not failures[1].exc_info  # the trace once
