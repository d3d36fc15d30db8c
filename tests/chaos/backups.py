"""Backup under load: `registry backup` every few seconds while writers run; each backup restored into a fresh
database passes the storage check and ledger verification and holds every write acknowledged before it began."""

import time
from pathlib import Path

from registry.backup import backup, restore
from registry.migrations.runner import upgrade
from tests.chaos.common import Acknowledged, Databases, check_database, run_writers, say, start, tokens


def run(backend: str, count: int, tmp: Path, databases: Databases, interval: float = 2.0) -> bool:
    url = databases.seeded(backend)
    keys = tokens(url)
    seen = Acknowledged()
    server = start(url, tmp)
    finish = run_writers(f"http://127.0.0.1:{server.port}", keys, seen, 3, seed=11)
    problems: list[str] = []
    held = 0
    began = time.monotonic()
    try:
        for b in range(count):
            time.sleep(interval)
            before = {n: s for n, s in seen.snapshot().items()}  # acknowledged before the backup began
            target = tmp / f"backup-{backend}-{b}.{'db' if backend == 'sqlite' else 'dump'}"
            backup(url, target)
            fresh = databases.empty(backend)
            if backend == "sqlite":
                upgrade(fresh)  # restore replaces the contents of an existing database
            restore(fresh, target)
            # A decision acknowledged before the backup is in it; a later one may be too.
            found = check_database(fresh, before)
            held += len(before)
            if found:
                problems += [f"backup {b + 1}: {p}" for p in found[:3]]
    finally:
        finish()
        server.__exit__(None, None, None)
    ok = not problems
    say(f"backup[{backend}]: backups={count} restored={count} verified={'all' if ok else 'FAILED'} "
        f"(writes checked {held}, acknowledged during the run {len(seen.snapshot())}) "
        f"in {time.monotonic() - began:.0f} s")
    for problem in problems[:5]:
        say(f"  {problem}")
    return ok
