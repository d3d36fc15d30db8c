"""HTTP/1.1 load over loopback: an open-loop generator at a fixed rate and a closed-loop saturation run.

Open loop (`open_loop`): request i is due at start + i/rate whatever happened before; its latency runs
from that due time, so a stalled server is charged for the queue it causes (no coordinated omission).
Closed loop (`saturate`): C connections each send the next request as soon as the previous answer is
in; uses `wrk` (Debian package) when it is on PATH, else the same asyncio client as the open loop.

Only loopback addresses; every run is bounded in time and in requests.
"""

import asyncio
import random
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

MAX_OPEN_CONNECTIONS = 256


@dataclass
class Result:
    """What one run measured: achieved rate, latency percentiles (ms), answers by status, errors."""

    rate: float
    p50: float
    p95: float
    p99: float
    count: int
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    tool: str = "python"

    def ok(self, expected: int) -> bool:
        return self.errors == 0 and set(self.statuses) == {expected}


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def _request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    """Send one request, read the whole answer (Content-Length or chunked); the status code."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    match = re.search(rb"\r\ncontent-length:\s*(\d+)", lower)
    if match:
        await reader.readexactly(int(match.group(1)))
    elif b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


class _Pool:
    """Idle keep-alive connections; a new one is opened while fewer than MAX_OPEN_CONNECTIONS exist."""

    def __init__(self, port: int):
        self.port = port
        self.idle: asyncio.Queue = asyncio.Queue()
        self.opened = 0

    async def take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if not self.idle.empty():
            return self.idle.get_nowait()
        if self.opened < MAX_OPEN_CONNECTIONS:
            self.opened += 1
            return await asyncio.open_connection("127.0.0.1", self.port)
        return await self.idle.get()

    def give(self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        self.idle.put_nowait(conn)

    def drop(self) -> None:
        self.opened -= 1

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait()[1].close()


async def _open_loop(port: int, paths: list[str], headers: dict[str, str], rate: float, seconds: float,
                     timeout: float) -> Result:
    pool = _Pool(port)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    total = max(1, int(rate * seconds))
    raws = [_request_bytes(p, headers) for p in paths]
    rng = random.Random(14)  # noqa: S311 (not security)

    async def one(due: float, raw: bytes) -> None:
        nonlocal errors
        conn = None
        try:
            conn = await pool.take()
            status = await asyncio.wait_for(_exchange(*conn, raw), timeout)
            latencies.append(time.perf_counter() - due)
            statuses[status] = statuses.get(status, 0) + 1
            pool.give(conn)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1
            if conn is not None:
                conn[1].close()
            pool.drop()

    tasks = []
    start = time.perf_counter() + 0.01
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(due, raws[rng.randrange(len(raws))])))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    pool.close()
    ordered = sorted(latencies)
    return Result(len(ordered) / elapsed, percentile(ordered, 50) * 1e3, percentile(ordered, 95) * 1e3,
                  percentile(ordered, 99) * 1e3, len(ordered), statuses, errors)


def open_loop(port: int, paths: list[str], rate: float, seconds: float, headers: dict[str, str] | None = None,
              timeout: float = 30.0) -> Result:
    """GETs of *paths* (picked at random) at a fixed *rate* for *seconds*; latency from each request's due time."""
    return asyncio.run(_open_loop(port, paths, headers or {}, rate, seconds, timeout))


async def _closed_loop(port: int, paths: list[str], headers: dict[str, str], connections: int, seconds: float,
                       max_requests: int | None, timeout: float) -> Result:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    raws = [_request_bytes(p, headers) for p in paths]
    deadline = time.perf_counter() + seconds
    budget = [max_requests if max_requests is not None else 1 << 62]

    async def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)  # noqa: S311
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline and budget[0] > 0:
                budget[0] -= 1
                began = time.perf_counter()
                try:
                    status = await asyncio.wait_for(_exchange(reader, writer, raws[rng.randrange(len(raws))]), timeout)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(connections)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return Result(len(ordered) / elapsed, percentile(ordered, 50) * 1e3, percentile(ordered, 95) * 1e3,
                  percentile(ordered, 99) * 1e3, len(ordered), statuses, errors)


def closed_loop(port: int, paths: list[str], connections: int, seconds: float, headers: dict[str, str] | None = None,
                max_requests: int | None = None, timeout: float = 120.0) -> Result:
    """*connections* clients back to back for *seconds* (or until *max_requests* were sent), in Python."""
    return asyncio.run(_closed_loop(port, paths, headers or {}, connections, seconds, max_requests, timeout))


WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local codes = ""
  io.write(string.format("BENCH p50=%%d p95=%%d p99=%%d n=%%d errors=%%d status=%%d timeout=%%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def saturate(port: int, paths: list[str], connections: int, seconds: float, headers: dict[str, str] | None = None,
             expected: int = 200) -> Result:
    """The saturation run: wrk with *connections* connections on one thread when installed, else Python."""
    headers = headers or {}
    if not wrk_available():
        result = closed_loop(port, paths, connections, seconds, headers)
        return result
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "paths.lua")
        script.write_text(WRK_SCRIPT % {"paths": ", ".join(_lua_string(p) for p in paths)}, encoding="utf-8")
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
                   "-s", str(script)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{port}/")
        began = time.perf_counter()
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=False).stdout
        elapsed = time.perf_counter() - began
    match = re.search(r"BENCH p50=(\d+) p95=(\d+) p99=(\d+) n=(\d+) errors=(\d+) status=(\d+) timeout=(\d+)", out)
    rate_match = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if not match:
        raise RuntimeError(f"wrk printed no figures:\n{out}")
    p50, p95, p99, count, errors, bad_status, timeouts = (int(g) for g in match.groups())
    rate = float(rate_match.group(1)) if rate_match else count / elapsed
    # wrk counts non-2xx/3xx answers as status errors; a 304 run expects 3xx, which wrk does not count.
    statuses = {expected: count - bad_status} if count - bad_status else {}
    if bad_status:
        statuses[0] = bad_status
    return Result(rate, p50 / 1e3, p95 / 1e3, p99 / 1e3, count, statuses, errors + timeouts, tool="wrk")


async def _each_once(port: int, paths: list[str], connections: int, timeout: float) -> Result:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    queue = list(reversed(paths))

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while queue:
                raw = _request_bytes(queue.pop(), {})
                began = time.perf_counter()
                try:
                    status = await asyncio.wait_for(_exchange(reader, writer, raw), timeout)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return Result(len(ordered) / elapsed, percentile(ordered, 50) * 1e3, percentile(ordered, 95) * 1e3,
                  percentile(ordered, 99) * 1e3, len(ordered), statuses, errors)


def each_once(port: int, paths: list[str], connections: int = 8, timeout: float = 120.0) -> Result:
    """GET every path exactly once, *connections* clients back to back."""
    return asyncio.run(_each_once(port, paths, connections, timeout))
