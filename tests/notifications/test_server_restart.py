"""The server sends notifications by itself, and each reaches the receiver exactly once across a receiver that
fails the first two tries and a server that is killed (SIGKILL, the whole process group: no shutdown work) between
tries and started again (a real `registry run`): the pending deliveries continue after the restart, none is lost
and none is posted twice."""

import os
import signal
import time

from tests.notifications.helpers import PUBLIC, outbox, queue
from tests.notifications.receiver import Receiver, fail_first
from tests.perf.servers import registry_server


def wait_for(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def start(database_url: str, tmp_path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    """The real server in its own process group (so that a kill reaches its workers too)."""
    server = registry_server(database_url, tmp_path)
    server.env.update(env)
    return server.__enter__()


def between_tries(db, ids: list[int], attempts: int) -> bool:  # type: ignore[no-untyped-def]
    """Each of `ids` has had `attempts` tries, each recorded (no sender holds a row)."""
    rows = outbox(db)
    return all(rows[i].attempts == attempts and rows[i].claim_token is None for i in ids)


def test_delivered_once_across_failures_and_a_kill(database_url, db, tmp_path):
    with Receiver(fail_first(2)) as receiver:
        env = {"REGISTRY_WEBHOOK_URL": receiver.url, "REGISTRY_PUBLIC_URL": PUBLIC,
               "REGISTRY_WEBHOOK_BACKOFF_SECONDS": "2", "REGISTRY_BACKGROUND_POLL_SECONDS": "0.2"}
        first = queue(db, 4)
        server = start(database_url, tmp_path, env)
        try:
            wait_for(lambda: between_tries(db, first, 1))
        finally:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=30)
        # Killed between tries: every notification failed once, none was taken yet, none is held.
        assert not receiver.accepted and receiver.tries == {str(i): 1 for i in first}
        assert {row.state for row in outbox(db).values()} == {"pending"}
        second = queue(db, 2)  # written while the server is down
        with start(database_url, tmp_path, env):
            wait_for(lambda: {row.state for row in outbox(db).values()} == {"sent"})
        everyone = first + second
        assert receiver.accepted == {str(i): 1 for i in everyone}
        assert receiver.tries == {str(i): 3 for i in everyone}
        assert {row.attempts for row in outbox(db).values()} == {3}
