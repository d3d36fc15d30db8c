"""Benchmark: the notification sender against a local receiver, and the housekeeping task on a large sweep.

    python -m tests.perf.bench_platform [--notifications 500] [--sessions 20000] [--database-url URL]

Not collected by pytest. Builds a fresh seeded SQLite file in a temporary directory unless a URL of an
already migrated and seeded database is given. Loopback only, bounded loops. Prints figures, asserts nothing.
"""

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from registry.accounts.models import StoredValue
from registry.choices import NotificationKind
from registry.db import Database
from registry.lifecycle.job import run_daily_job
from registry.lifecycle.tasks import registered_tasks
from registry.migrations.runner import upgrade
from registry.notifications.sender import send_due
from registry.notifications.services import Audience, enqueue
from registry.seeding import load_seed
from registry.settings import Settings
from registry.timeutil import utcnow
from tests.notifications.receiver import Receiver


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if not args.database_url:
            upgrade(url)
            load_seed(Database(url))
        db = Database(url)
        settings = Settings(database_url=url)

        started = time.perf_counter()
        with db.write() as session:
            for n in range(args.notifications):
                enqueue(session, NotificationKind.WEBHOOK_TEST, Audience.department("YJJ"), f"提醒 {n}", "正文", "/")
        enqueued = time.perf_counter() - started
        with Receiver() as receiver:
            started = time.perf_counter()
            report = send_due(db, settings.model_copy(update=dict(webhook_url=receiver.url)), limit=args.notifications)
            sending = time.perf_counter() - started
        print(f"enqueue: {args.notifications} in one transaction, {enqueued * 1000:.0f} ms")
        print(f"sender: {report}, {sending:.2f} s, {report.sent / sending:.0f} notifications/s "
              f"(one claim, one POST, one record each)")

        expired = utcnow() - timedelta(minutes=1)
        with db.write() as session:
            session.execute(insert(StoredValue), [{"key": f"sessions:b{n}", "value": b"{}", "expires_at": expired}
                                                  for n in range(args.sessions)])
        started = time.perf_counter()
        lines = run_daily_job(db, date(2099, 1, 1), settings, tasks=registered_tasks())
        sweeping = time.perf_counter() - started
        print(f"daily job: {'; '.join(map(str, lines or []))}; {sweeping:.2f} s")
        started = time.perf_counter()
        run_daily_job(db, date(2099, 1, 1), settings, tasks=registered_tasks())
        print(f"daily job again the same day: {(time.perf_counter() - started) * 1000:.0f} ms")
        db.dispose()


if __name__ == "__main__":
    main()
