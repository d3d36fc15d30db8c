"""`make bench`: one table, measured in one run, of the registry beside reference handlers on the same stack.

    python -m tests.perf.bench            # full: county 20,000 villages, 100,000 villages, 1,000,000 entries
    python -m tests.perf.bench --quick    # small and short, for CI (under two minutes)
    python -m tests.perf.bench --visits 10000 --seconds 10 --workers 1
    python -m tests.perf.bench --scale tests.perf.datasets:county_builder(200,100,5000)  # a scale of your own
    python -m tests.perf.bench --skip county --skip large --synthetic province@sqlite \
        --synthetic province@postgresql --synthetic national@postgresql      # the many-county sets (§10)
    python -m tests.perf.bench --keep ...    # keep the PostgreSQL databases it builds; measure a kept set again
        --synthetic national@postgresql+psycopg://postgres@127.0.0.1:5432/registry_bench_synthetic0_PID

Every row is measured from outside over loopback against `registry run` (granian). Per row: the first
(cold) request, a saturation run (closed loop, 32 connections; wrk when installed), then open-loop
runs at a fixed rate and at half the saturation rate (latency from each request's due time), and the
server worker's RSS after the row. Ratios are against the reference handlers of tests/perf/reference_app.py.
A row whose first request takes more than a second is not loaded: three sequential requests are timed.

Not collected by pytest (no test_ prefix); never part of `make test`.
"""

import argparse
import importlib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, make_url, text

from tests.perf import loadgen
from tests.perf.datasets import Facts, bare_hash_loop, county_builder, ledger_builder, synthetic_builder
from tests.perf.servers import ROOT, Server, reference_server, registry_server

SLOW_MS = 1000.0


@dataclass
class Row:
    """One line of the table. `rate` is requests (or approvals) per second at saturation."""

    label: str
    ref: str | None = None
    first_ms: float | None = None
    sat: loadgen.Result | None = None
    fixed: loadgen.Result | None = None
    half: loadgen.Result | None = None
    half_rate: float | None = None
    rss: float | None = None
    ratio: float | None = None
    note: str = ""


@dataclass
class Options:
    seconds: float
    open_seconds: float
    connections: int
    fixed_rate: float
    max_open_rate: float
    workers: int


class Bench:
    """Collects rows; each measurement is one call."""

    def __init__(self, options: Options):
        self.options = options
        self.rows: list[Row] = []
        self.refs: dict[str, Row] = {}

    def get_row(self, server: Server, label: str, paths: list[str], *, ref: str | None = None,
                headers: dict[str, str] | None = None, expected: int = 200, key: str | None = None) -> Row:
        """Measure GETs of *paths* (picked at random) on *server*."""
        opts = self.options
        row = Row(label, ref)
        base = f"http://127.0.0.1:{server.port}"
        timings = []
        with httpx.Client(timeout=600) as client:
            for attempt in range(3):
                if attempt == 2 and timings[-1] > 10 * SLOW_MS:
                    break  # two requests of more than ten seconds each tell enough
                began = time.perf_counter()
                response = client.get(base + paths[attempt % len(paths)], headers=headers)
                timings.append((time.perf_counter() - began) * 1e3)
                if response.status_code != expected:
                    row.note = f"status {response.status_code}, expected {expected}"
                    self._add(row, server, key)
                    return row
                if timings[-1] <= SLOW_MS:
                    break
        row.first_ms = timings[0]
        if timings[-1] > SLOW_MS:
            ordered = sorted(timings)
            row.note = "slow: " + ", ".join(f"{t / 1e3:.1f}" for t in timings) + " s sequential"
            row.sat = loadgen.Result(1e3 / statistics.mean(timings), ordered[len(ordered) // 2], ordered[-1],
                                     ordered[-1], len(ordered))
            self._add(row, server, key)
            return row
        row.sat = loadgen.saturate(server.port, paths, opts.connections, opts.seconds, headers, expected)
        if row.sat.errors or set(row.sat.statuses) - {expected}:
            row.note = f"errors={row.sat.errors} statuses={row.sat.statuses}"
        if row.sat.count < 2 * opts.connections:
            row.note += f" only {row.sat.count} answers in the saturation run"
        if row.sat.rate < 1:
            self._add(row, server, key)
            return row
        if row.sat.rate > opts.fixed_rate * 1.2:
            row.fixed = loadgen.open_loop(server.port, paths, opts.fixed_rate, opts.open_seconds, headers)
        row.half_rate = min(row.sat.rate / 2, opts.max_open_rate)
        row.half = loadgen.open_loop(server.port, paths, row.half_rate, opts.open_seconds, headers)
        for name, result in (("fixed", row.fixed), ("half", row.half)):
            if result is not None and (result.errors or set(result.statuses) - {expected}):
                row.note += f" {name}: errors={result.errors} statuses={result.statuses}"
        self._add(row, server, key)
        return row

    def _add(self, row: Row, server: Server | None, key: str | None) -> None:
        if server is not None:
            drain(server)
        if server is not None:
            row.rss = server.worker_rss_mb()
        if row.ref and row.ref in self.refs and row.sat and self.refs[row.ref].sat:
            row.ratio = row.sat.rate / self.refs[row.ref].sat.rate  # type: ignore[union-attr]
        if key:
            self.refs[key] = row
        self.rows.append(row)
        print(f"[{time.strftime('%H:%M:%S')}] {format_row(row)}", file=sys.stderr, flush=True)

    def add(self, row: Row) -> None:
        self._add(row, None, None)


def drain(server: Server, limit: float = 120.0) -> None:
    """Wait until requests left queued by a row are done (the health check answers quickly), so that one
    row's backlog is never charged to the next."""
    deadline = time.monotonic() + limit
    with httpx.Client(timeout=limit) as client:
        while time.monotonic() < deadline:
            began = time.perf_counter()
            client.get(f"http://127.0.0.1:{server.port}/healthz")
            if time.perf_counter() - began < 0.05:
                return
            time.sleep(0.5)


def etag_of(port: int, path: str) -> str:
    response = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=600)
    response.raise_for_status()
    return response.headers["etag"]


def approvals(bench: Bench, server: Server, facts: Facts, count: int, clients: int) -> None:
    """File → decide (substantive) → decide (legality), *count* times from *clients* threads, on the API."""
    import threading

    base = f"http://127.0.0.1:{server.port}/api/v1"
    clerk, first, second = (facts.tokens[n] for n in ("yjj_clerk", "mzj_reviewer", "sfj_reviewer"))
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(count))
    deadline = time.perf_counter() + max(20.0, bench.options.seconds * 3)

    def worker() -> None:
        with httpx.Client(timeout=600) as client:
            while True:
                with lock:
                    n = next(counter, None) if time.perf_counter() < deadline else None
                if n is None:
                    return
                began = time.perf_counter()
                body = {"kind": "add", "title": f"基准审批事项第{n}号", "category": "assisting", "applies_to": "all",
                        "description": f"第{n}个用于测量审批吞吐的事项。", "scope_code": facts.village,
                        "legal_basis": "《测试条例》第一条", "frequency": "yearly", "hours_per_month": 0.5,
                        "funding": {"provided": True, "amount_yuan_per_year": 1000, "source": "县财政"},
                        "burdens": {"ledgers": ["审批台账"]}, "justification": "测量审批吞吐。",
                        "start_date": "2030-06-01", "submit": True}
                filed = client.post(f"{base}/requests", json=body, headers={"Authorization": f"Bearer {clerk}"})
                if filed.status_code != 201:
                    failures.append(f"file {filed.status_code} {filed.text[:200]}")
                    continue
                number = filed.json()["id"]
                for token in (first, second):
                    decided = client.post(f"{base}/requests/{number}/decision",
                                          headers={"Authorization": f"Bearer {token}"},
                                          json={"decision": "approve", "reason": "符合规定",
                                                "exemption_reason": "基准测试：上限按试点口径豁免"})
                    if decided.status_code != 200:
                        failures.append(f"decide {decided.status_code} {decided.text[:200]}")
                        break
                else:
                    if decided.json()["state"] != "approved":
                        failures.append(f"state {decided.json()['state']}")
                    with lock:
                        latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    result = loadgen.Result(len(ordered) / elapsed, loadgen.percentile(ordered, 50) * 1e3,
                            loadgen.percentile(ordered, 95) * 1e3, loadgen.percentile(ordered, 99) * 1e3, len(ordered))
    note = f"approvals/s, {len(ordered)} done by {clients} clients (3 requests each; target >= 100/s)"
    if failures:
        note += f"; {len(failures)} FAILED: {failures[0]}"
    row = Row(f"full two-stage approval ({facts.villages:,} v.)", sat=result, note=note)
    row.rss = server.worker_rss_mb()
    bench.add(row)


def ledger_verify(bench: Bench, url: str, facts: Facts, tmp: Path) -> None:
    """`registry ledger verify` (the real command) against a bare sha256 loop over the same stored bytes."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": url, "REGISTRY_VAR_DIR": str(tmp / "var"),
           "REGISTRY_SECRET_KEY": "b" * 48, "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "registry", "ledger", "verify"], env=env, capture_output=True,
                          text=True, timeout=3600, check=False)
    verify_s = time.perf_counter() - began
    entries, bare_s = bare_hash_loop(url)
    ok = done.returncode == 0 and done.stdout.startswith(f"ok seq={facts.ledger_entries} ")
    bare = Row(f"ref: bare sha256 loop, {entries:,} entries", sat=loadgen.Result(entries / bare_s, 0, 0, 0, entries),
               note=f"{bare_s:.1f} s (sqlite3 rows + hashlib, same bytes)")
    bench.add(bare)
    row = Row(f"registry ledger verify, {facts.ledger_entries:,}",
              sat=loadgen.Result(facts.ledger_entries / verify_s, 0, 0, 0, facts.ledger_entries),
              note=f"{verify_s:.1f} s = {verify_s / bare_s:.1f}x the bare loop (target <= 1.5x)"
                   + ("" if ok else f"; FAILED: {done.stdout.strip()} {done.stderr.strip()[-300:]}"))
    row.ratio = bare_s / verify_s
    bench.add(row)


def distinct_villages(bench: Bench, url: str, facts: Facts, tmp: Path, visits: int) -> None:
    """A fresh server: RSS before and after visiting *visits* distinct village pages."""
    codes = random.Random(14).sample(facts.village_codes, min(visits, len(facts.village_codes)))  # noqa: S311
    with registry_server(url, tmp, bench.options.workers) as server:
        httpx.get(f"http://127.0.0.1:{server.port}/regions/{facts.village}", timeout=600).raise_for_status()
        before = server.worker_rss_mb()
        result = loadgen.each_once(server.port, [f"/regions/{c}" for c in codes], connections=8)
        after = server.worker_rss_mb()
    note = (f"RSS {before:.0f} -> {after:.0f} MB, {(after - before) * 1024 / max(1, len(codes)):.1f} KB/page "
            f"(target < 500 MB at 10,000)")
    if result.errors or set(result.statuses) != {200}:
        note += f"; errors={result.errors} statuses={result.statuses}"
    row = Row(f"{len(codes):,} distinct village pages ({facts.villages:,} v.)", sat=result, note=note)
    row.rss = after
    bench.add(row)


def read_rows(bench: Bench, server: Server, facts: Facts, scale: str) -> None:
    """The list rows of one data set: village list HTML/JSON/304, as_of old editions, search."""
    v = facts.village
    bench.get_row(server, f"village list HTML ({scale})", [f"/regions/{v}"], ref="page")
    bench.get_row(server, f"village list JSON ({scale})", [f"/api/v1/regions/{v}/duties"], ref="json")
    tag = etag_of(server.port, f"/regions/{v}")
    bench.get_row(server, f"village list 304 ({scale})", [f"/regions/{v}"], ref="text",
                  headers={"If-None-Match": tag}, expected=304)
    old = random.Random(14).sample(facts.editions, min(1000, len(facts.editions)))  # noqa: S311
    bench.get_row(server, f"list as_of random old edition ({scale})", [f"/regions/{v}?as_of={e}" for e in old],
                  ref="page")
    bench.get_row(server, f"search {facts.search} HTML ({scale})", [f"/duties?q={quote(facts.search)}"], ref="page")
    bench.get_row(server, f"search {facts.search} API ({scale})", [f"/api/v1/duties?q={quote(facts.search)}"],
                  ref="json")


def aggregate_rows(bench: Bench, server: Server, facts: Facts, scale: str) -> None:
    """County, town and burden pages and their APIs."""
    c, t = facts.county, facts.town
    bench.get_row(server, f"county page ({scale})", [f"/regions/{c}"], ref="page")
    bench.get_row(server, f"town page ({scale})", [f"/regions/{t}"], ref="page")
    bench.get_row(server, f"county list API ({scale})", [f"/api/v1/regions/{c}/duties"], ref="json")
    bench.get_row(server, f"county burden API ({scale})", [f"/api/v1/regions/{c}/burden"], ref="json")
    bench.get_row(server, f"town burden API ({scale})", [f"/api/v1/regions/{t}/burden"], ref="json")
    bench.get_row(server, f"/burden dashboard ({scale})", ["/burden"], ref="page")
    bench.get_row(server, f"county burden page ({scale})", [f"/burden/regions/{c}"], ref="page")


def parse_scale(text: str) -> Callable[[str], Facts]:
    """`module:function(args)` → the builder it returns (or the function itself when it takes a URL)."""
    match = re.fullmatch(r"([\w.]+):(\w+)(?:\((.*)\))?", text)
    if not match:
        raise SystemExit(f"--scale wants module:function or module:function(args), not {text!r}")
    target = getattr(importlib.import_module(match.group(1)), match.group(2))
    if match.group(3) is None:
        return target
    args = json.loads(f"[{match.group(3)}]")
    return target(*args)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}"


def fmt(value: float | None, width: int) -> str:
    if value is None or value != value:
        return "—".rjust(width)
    text = f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"
    return text.rjust(width)


def triple(result: loadgen.Result | None) -> str:
    if result is None:
        return "—".rjust(17)
    return f"{fmt(result.p50, 5)} {fmt(result.p95, 5)} {fmt(result.p99, 5)}"


def print_table(bench: Bench, header: list[str]) -> None:
    opts = bench.options
    for line in header:
        print(line)
    print(f"{'row':<44}{'first':>7}{'sat/s':>8}{'×ref':>6}  {'saturation p50 p95 p99':>22}  "
          f"{f'@{opts.fixed_rate:.0f}/s p50 p95 p99':>20}  {'@½sat p50 p95 p99 (rate)':>27}{'RSS':>6}  note")
    print("-" * 150)
    for row in bench.rows:
        print(format_row(row))


def format_row(row: Row) -> str:
    half = triple(row.half) + (f" ({row.half_rate:.0f}/s)" if row.half_rate else "").rjust(9)
    return (f"{row.label[:44]:<44}{fmt(row.first_ms, 7)}{fmt(row.sat.rate if row.sat else None, 8)}"
            f"{fmt(row.ratio, 6)}  {triple(row.sat):>22}  {triple(row.fixed):>20}  {half:>27}{fmt(row.rss, 6)}"
            f"  {row.note}")


class BenchDatabases:
    """SQLite files under the run's directory, or new PostgreSQL databases dropped when the run ends."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.admin = os.environ.get("REGISTRY_TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        self.created: list[str] = []

    def __enter__(self) -> "BenchDatabases":
        return self

    def new(self, backend: str, tmp: Path, name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp}/{name}.db"
        if backend != "postgresql":
            raise SystemExit(f"--synthetic wants SCALE@sqlite or SCALE@postgresql, not {backend!r}")
        database = f"registry_bench_{name}_{os.getpid()}"
        self._admin(f'CREATE DATABASE "{database}"')
        self.created.append(database)
        return str(make_url(self.admin).set(database=database).render_as_string(hide_password=False))

    def _admin(self, statement: str) -> None:
        engine = create_engine(make_url(self.admin).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def __exit__(self, *_exc: object) -> None:
        for database in [] if self.keep else self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small data sets, 1 s saturation and 0.5 s open-loop runs (CI)")
    parser.add_argument("--seconds", type=float, default=None, help="length of each load run (default 8, quick 1)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--fixed-rate", type=float, default=100.0, help="open-loop rate every row is run at")
    parser.add_argument("--max-open-rate", type=float, default=1000.0,
                        help="cap on the half-saturation open-loop rate (the Python generator's own limit)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--visits", type=int, default=None, help="distinct village pages (default 2,000; quick 200)")
    parser.add_argument("--approvals", type=int, default=None, help="two-stage approvals (default 300; quick 20)")
    parser.add_argument("--ledger-entries", type=int, default=None, help="default 1,000,000; quick 20,000")
    parser.add_argument("--scale", action="append", default=[],
                        help="extra data set builder module:function(args); its list and aggregate rows are added")
    parser.add_argument("--synthetic", action="append", default=[], metavar="SCALE@BACKEND",
                        help="a `registry seed --synthetic` set, e.g. province@sqlite, province@postgresql, "
                             "national@postgresql (PostgreSQL from REGISTRY_TEST_DATABASE_URL or 127.0.0.1:5432; "
                             "a new database, dropped at the end); its list and aggregate rows are added")
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out a part: county, large, approvals, ledger, visits, rows (list, burden rows)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the PostgreSQL databases this run creates (reuse one: --synthetic SCALE@URL)")
    args = parser.parse_args(argv)
    quick = args.quick
    seconds = args.seconds or (1.0 if quick else 8.0)
    options = Options(seconds, seconds / 2 if quick else seconds, args.connections, args.fixed_rate,
                      args.max_open_rate, args.workers)
    visits = args.visits or (200 if quick else 2000)
    approvals_count = args.approvals or (10 if quick else 300)
    entries = args.ledger_entries or (20_000 if quick else 1_000_000)
    county = county_builder(20, 100, 500, "county 2k", tokens=True) if quick else \
        county_builder(200, 100, 5000, "county 20k", tokens=True)
    large = county_builder(50, 100, 500, "5k villages") if quick else county_builder(400, 250, 5000, "100k villages")
    bench = Bench(options)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as name, BenchDatabases(args.keep) as databases:
        tmp = Path(name)
        built: list[tuple[str, str, Facts]] = []
        for key, builder in (("county", county), ("large", large)):
            if key in args.skip:
                continue
            url = f"sqlite:///{tmp}/{key}.db"
            facts = builder(url)
            print(f"built {facts.label} ({facts.villages:,} villages, {len(facts.editions):,} editions) "
                  f"in {facts.build_seconds:.0f} s", file=sys.stderr, flush=True)
            built.append((key, url, facts))
        for n, text in enumerate(args.scale):
            url = f"sqlite:///{tmp}/scale{n}.db"
            facts = parse_scale(text)(url)
            print(f"built {facts.label} in {facts.build_seconds:.0f} s", file=sys.stderr, flush=True)
            built.append((f"scale{n}", url, facts))
        for n, text in enumerate(args.synthetic):
            scale, _, backend = text.partition("@")
            if "://" in backend:  # a database that already holds the set (kept by an earlier --keep run)
                url, facts = backend, synthetic_builder(scale, existing=True)(backend)
                print(f"using {facts.label} at {url}", file=sys.stderr, flush=True)
                built.append((f"synthetic{n}", url, facts))
                continue
            url = databases.new(backend or "sqlite", tmp, f"synthetic{n}")
            facts = synthetic_builder(scale)(url)
            print(f"built {facts.label} ({facts.villages:,} villages, {facts.duties:,} items) in "
                  f"{facts.build_seconds:.0f} s at {url}", file=sys.stderr, flush=True)
            built.append((f"synthetic{n}", url, facts))
            bench.add(Row(f"registry seed --synthetic {scale} ({backend or 'sqlite'})", note=(
                f"{facts.build_seconds:.0f} s: {facts.villages:,} villages, {facts.duties:,} items, every ledger entry"
                + (" (target <= 600 s)" if scale == "national" else ""))))
        if not built:
            raise SystemExit("nothing to measure")
        key0, url0, facts0 = built[0]
        with registry_server(url0, tmp, options.workers) as server:
            document = httpx.get(f"http://127.0.0.1:{server.port}/api/v1/regions/{facts0.village}/duties",
                                 timeout=600).json()
        document_path = tmp / "document.json"
        document_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        with reference_server(document_path, tmp, options.workers) as ref:
            bench.get_row(ref, "ref: bare plain text", ["/text"], key="text")
            bench.get_row(ref, f"ref: bare Jinja page, {len(document['duties'])} rows", ["/page"], key="page")
            size = len(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
            bench.get_row(ref, f"ref: bare JSON body, {size // 1024} KB", ["/json"], key="json")
        for key, url, facts in [] if "rows" in args.skip else built:
            with registry_server(url, tmp, options.workers) as server:
                read_rows(bench, server, facts, facts.label)
                if key != "county":
                    aggregate_rows(bench, server, facts, facts.label)
                if key == "county" and "approvals" not in args.skip:
                    approvals(bench, server, facts, approvals_count, clients=4)
        if "visits" not in args.skip:
            key, url, facts = built[-1] if len(built) > 1 else built[0]
            distinct_villages(bench, url, facts, tmp, visits)
        if "ledger" not in args.skip:
            url = f"sqlite:///{tmp}/ledger.db"
            facts = ledger_builder(entries)(url)
            print(f"built {facts.label} in {facts.build_seconds:.0f} s", file=sys.stderr, flush=True)
            ledger_verify(bench, url, facts, tmp)
    elapsed = time.perf_counter() - started
    tool = "wrk (1 thread)" if loadgen.wrk_available() else "Python asyncio closed loop"
    print_table(bench, [
        f"registry benchmark — {'quick' if quick else 'full'} mode, {elapsed:.0f} s in all",
        f"machine: {machine()}",
        f"server: registry run (granian, {options.workers} worker), loopback; database: SQLite synchronous=FULL "
        f"unless a row names PostgreSQL (same machine); "
        f"saturation: {tool}, {options.connections} connections, {options.seconds:.0f} s; open loop: Python, "
        f"{options.open_seconds:g} s per rate, latency from each request's due time",
        "first = the first (cold) request, ms; sat/s = requests/s at saturation; ×ref = sat/s ÷ the reference row's; "
        "latencies ms; RSS = server worker MB after the row",
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
