"""Overload: measure the saturation rate, then offer twice that rate (open loop); every request must get an
answer (a 2xx or a fast 503 with Retry-After, no timeout, no reset), /healthz must stay green throughout,
and p99 must come back to normal after the load stops (the recovery time is printed)."""

import threading
import time
from pathlib import Path

import httpx

from tests.chaos.common import Databases, say, start
from tests.perf import loadgen

PATHS = ["/duties", "/api/v1/duties", "/regions/330122101201", "/api/v1/duties?page=2"]


def run(backend: str, seconds: float, tmp: Path, databases: Databases, recovery_limit: float = 30.0) -> bool:
    url = databases.seeded(backend)
    server = start(url, tmp)
    port = server.port
    health_failures = health_checks = 0
    stop = threading.Event()

    def watch_health() -> None:
        nonlocal health_failures, health_checks
        with httpx.Client(timeout=5) as client:
            while not stop.is_set():
                try:
                    ok = client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
                except httpx.HTTPError:
                    ok = False
                health_checks += 1
                health_failures += 0 if ok else 1
                time.sleep(0.25)

    try:
        loadgen.closed_loop(port, PATHS, 4, 1.0)  # warm up
        saturation = loadgen.closed_loop(port, PATHS, 16, seconds).rate
        light = max(5.0, saturation * 0.25)
        baseline = loadgen.open_loop(port, PATHS, light, max(2.0, seconds / 2))
        rss_before = server.worker_rss_mb()
        watcher = threading.Thread(target=watch_health, daemon=True)
        watcher.start()
        offered = 2 * saturation
        loaded = loadgen.open_loop(port, PATHS, offered, seconds, timeout=30.0)
        ended = time.monotonic()
        normal = max(2 * baseline.p99, baseline.p99 + 50)
        recovered_after = None
        while time.monotonic() - ended < recovery_limit + 30:
            window = loadgen.open_loop(port, PATHS, light, 1.0)
            if window.errors == 0 and set(window.statuses) == {200} and window.p99 <= normal:
                recovered_after = time.monotonic() - ended
                break
        stop.set()
        watcher.join(timeout=10)
        rss_after = server.worker_rss_mb()
    finally:
        stop.set()
        server.__exit__(None, None, None)
    answered = sum(loaded.statuses.values())
    good = {s: n for s, n in loaded.statuses.items() if s < 500 or s == 503}
    ok = (loaded.errors == 0 and answered == sum(good.values()) and health_failures == 0
          and recovered_after is not None and recovered_after <= recovery_limit)
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(loaded.statuses.items()))
    say(f"overload[{backend}]: saturation {saturation:.0f} req/s; offered {offered:.0f} req/s for {seconds:.0f} s: "
        f"{answered} answered ({statuses}), {loaded.errors} unanswered; p99 under load {loaded.p99:.0f} ms; "
        f"healthz {health_checks - health_failures}/{health_checks} green; p99 back to normal "
        f"(<= {normal:.0f} ms, baseline {baseline.p99:.0f} ms) after "
        f"{f'{recovered_after:.1f} s' if recovered_after is not None else 'NEVER'}; "
        f"worker RSS {rss_before:.0f} -> {rss_after:.0f} MB")
    return ok
