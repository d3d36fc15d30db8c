"""The server sends notifications by itself, and each reaches the receiver exactly once across a receiver
that fails the first two tries and a server that is stopped and started in between (a real `registry run`)."""

import time

from tests.conftest import registry_server
from tests.notifications.helpers import PUBLIC, outbox, queue
from tests.notifications.receiver import Receiver, fail_first


def wait_for(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_delivered_once_across_failures_and_a_restart(database_url, db, tmp_path):
    with Receiver(fail_first(2)) as receiver:
        env = {"REGISTRY_WEBHOOK_URL": receiver.url, "REGISTRY_PUBLIC_URL": PUBLIC,
               "REGISTRY_WEBHOOK_BACKOFF_SECONDS": "2", "REGISTRY_BACKGROUND_POLL_SECONDS": "0.2"}
        first = queue(db, 4)
        with registry_server(database_url, tmp_path, env):
            wait_for(lambda: all(receiver.tries[str(i)] >= 1 for i in first))
        # Stopped between tries: every notification failed at least once and none was taken yet.
        assert not receiver.accepted
        assert {row.state for row in outbox(db).values()} == {"pending"}
        second = queue(db, 2)  # written while the server is down
        with registry_server(database_url, tmp_path, env):
            wait_for(lambda: {row.state for row in outbox(db).values()} == {"sent"})
        everyone = first + second
        assert receiver.accepted == {str(i): 1 for i in everyone}
        assert receiver.tries == {str(i): 3 for i in everyone}
        assert {row.attempts for row in outbox(db).values()} == {3}
