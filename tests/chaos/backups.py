"""Backup under load: `registry backup` every few seconds while writers run; each backup restored into a fresh
database passes the storage check and ledger verification and holds every write acknowledged before it began."""

import time
from pathlib import Path

from registry.backup import backup, restore
from registry.migrations.runner import upgrade
from tests.chaos import states
from tests.chaos.clients import Acknowledged, Clients, context
from tests.chaos.common import Databases, say, start


def run(backend: str, count: int, tmp: Path, databases: Databases, interval: float = 2.0) -> bool:
    url = databases.seeded(backend)
    var = tmp / f"var-backup-{backend}"
    seen = Acknowledged()
    server = start(url, tmp, env={"REGISTRY_VAR_DIR": str(var)})
    clients = Clients(f"http://127.0.0.1:{server.port}", context(url, var), seen, seed=11)
    problems: list[str] = []
    held = 0
    began = time.monotonic()
    try:
        for b in range(count):
            time.sleep(interval)
            before = seen.snapshot()  # acknowledged before the backup began
            target = tmp / f"backup-{backend}-{b}.{'db' if backend == 'sqlite' else 'dump'}"
            backup(url, target)
            fresh = databases.empty(backend)
            if backend == "sqlite":
                upgrade(fresh)  # restore replaces the contents of an existing database
            restore(fresh, target)
            # A decision acknowledged before the backup is in it; a later one may be too.
            found = states.check(fresh, before)  # files: their rows (the bytes live outside the database)
            held += before.total()
            if found:
                problems += [f"backup {b + 1}: {p}" for p in found[:3]]
    finally:
        clients.finish()
        problems += seen.errors
        server.__exit__(None, None, None)
    ok = not problems
    say(f"backup[{backend}]: backups={count} restored={count} verified={'all' if ok else 'FAILED'} "
        f"(writes checked {held}, acknowledged during the run {seen.snapshot().total()}) "
        f"in {time.monotonic() - began:.0f} s")
    for problem in problems[:5]:
        say(f"  {problem}")
    return ok
