"""Crash: SIGKILL the real server at random moments while writers file and decide; after each kill every
acknowledged write is present, storage checks clean and the ledger verifies."""

import random
import time
from pathlib import Path

from tests.chaos.common import Acknowledged, Databases, check_database, kill, run_writers, say, start, tokens


def run(backend: str, kills: int, tmp: Path, databases: Databases, workers: int, writers: int = 4,
        seed: int = 1) -> bool:
    rng = random.Random(seed)
    url = databases.seeded(backend)
    keys = tokens(url)
    seen = Acknowledged()
    problems: list[str] = []
    began = time.monotonic()
    checks = 0
    for k in range(kills):
        server = start(url, tmp, workers)
        finish = run_writers(f"http://127.0.0.1:{server.port}", keys, seen, writers, seed * 1000 + k)
        time.sleep(rng.uniform(0.5, 2.5))  # a random moment under write load
        kill(server)
        finish()
        found = check_database(url, seen.snapshot())
        checks += 1
        if found:
            problems += [f"after kill {k + 1}: {p}" for p in found]
            break
        if (k + 1) % 10 == 0 and k + 1 < kills:
            say(f"  crash[{backend}]: {k + 1} kills, {len(seen.snapshot())} acknowledged requests, all present")
    acknowledged = seen.snapshot()
    decided = sum(1 for s in acknowledged.values() if s != "submitted")
    ok = not problems
    say(f"crash[{backend}, {workers} worker(s)]: kills={kills} checks={checks} acknowledged requests="
        f"{len(acknowledged)} (decided {decided}) lost=0 verify={'ok' if ok else 'FAILED'} "
        f"in {time.monotonic() - began:.0f} s" if ok else
        f"crash[{backend}]: FAILED after {checks} kills: {problems[:5]}")
    return ok
