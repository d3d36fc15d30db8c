"""Crash: SIGKILL the real server at random moments while the writers of clients.py file and decide requests,
file reports with evidence, move reports as the office, enter form data and run the daily job. After each kill
`states.check` proves every acknowledged write present and every state reachable, storage and ledger whole;
after each restart, no upload file lacks its row or its bytes (the start-up sweep removed what a kill left)."""

import random
import time
from pathlib import Path

from tests.chaos import states
from tests.chaos.clients import Acknowledged, Clients, context
from tests.chaos.common import Databases, kill, say, start


def run(backend: str, kills: int, tmp: Path, databases: Databases, workers: int, seed: int = 1,
        job_kill_every: int | None = None) -> bool:
    """*job_kill_every*: with every n-th crash a daily-job run under way dies too (else it may finish). A run
    takes a few seconds, longer than most moments between crashes: PostgreSQL (whose advisory lock dies with the
    connection) kills it at every 2nd crash so that some runs finish; a killed SQLite run holds its 5-minute
    lease, so there only every 20th crash kills it, lest the job mostly wait."""
    rng = random.Random(seed)
    url = databases.seeded(backend)
    var = tmp / f"var-crash-{backend}"
    evidence = var / "evidence"
    ctx = context(url, var)
    every = job_kill_every or (2 if backend == "postgresql" else 20)
    seen = Acknowledged()
    problems: list[str] = []
    began = time.monotonic()
    checks = orphans = job_kills = 0

    def restart() -> object:
        server = start(url, tmp, workers, env={"REGISTRY_VAR_DIR": str(var)})
        # `registry run` swept before serving: every file has its row and every row its file.
        problems.extend(f"after start {checks + 1}: {p}" for p in states.file_check(url, seen.snapshot(), evidence))
        return server

    server = restart()
    for k in range(kills):
        clients = Clients(f"http://127.0.0.1:{server.port}", ctx, seen, seed * 1000 + k)
        time.sleep(rng.uniform(0.5, 2.5))  # a random moment under write load
        kill(server)  # type: ignore[arg-type]
        job_kills += clients.finish(kill_job=(k + 1) % every == 0)
        orphans += states.orphan_files(url, evidence)
        found = states.check(url, seen.snapshot()) + seen.errors
        checks += 1
        if found:
            problems += [f"after kill {k + 1}: {p}" for p in found]
            break
        server = restart()
        if problems:
            break
        if (k + 1) % 10 == 0 and k + 1 < kills:
            say(f"  crash[{backend}]: {k + 1} kills, acknowledged {figures(seen)}, all present")
    if not problems:
        server.__exit__(None, None, None)  # type: ignore[attr-defined]
    writes = seen.snapshot()
    lost = sum(1 for p in problems if "missing" in p)
    if problems:
        say(f"crash[{backend}]: FAILED after {checks} kills (lost={lost}): {problems[:5]}")
        return False
    decided = sum(1 for s in writes.requests.values() if s != "submitted")
    closed = sum(1 for s in writes.reports.values() if s in ("resolved", "dismissed"))
    say(f"crash[{backend}, {workers} worker(s)]: kills={kills} checks={checks} lost=0 acknowledged "
        f"requests={len(writes.requests)} (decided {decided}) reports={len(writes.reports)} (closed {closed}) "
        f"files={len(writes.files)} data values={writes.entries} (keys {len(writes.values)}) "
        f"job days={len(writes.days)} (job runs killed {job_kills}); orphan files left by kills={orphans}, "
        f"after restart 0; 5xx=0; storage, ledger and states ok in {time.monotonic() - began:.0f} s")
    return True


def figures(seen: Acknowledged) -> str:
    return " ".join(f"{kind}={n}" for kind, n in seen.snapshot().counts().items())
