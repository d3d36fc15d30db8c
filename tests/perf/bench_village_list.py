"""Benchmark: a village's list on a county with 20,000 villages and 5,000 duties, beside a bare Litestar page.

    python -m tests.perf.bench_village_list [--requests 400] [--clients 4]

Not collected by pytest (the file name does not start with test_). Loopback only, bounded loops.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
TOWNS, VILLAGES_PER_TOWN = 200, 100
COUNTY_DUTIES, DUTIES_PER_TOWN, VILLAGE_DUTIES = 150, 10, 2850  # 150 + 2,000 + 2,850 = 5,000

BARE_APP = '''
import os
from litestar import Litestar, get, MediaType
BODY = open(os.environ["BENCH_BODY"], "rb").read()

@get("/", media_type=MediaType.HTML, sync_to_thread=False)
def page() -> bytes:
    return BODY

def app() -> Litestar:
    return Litestar([page])
'''


def build_database(url: str) -> None:
    """Seed, then bulk-insert regions, then add duties through record_change (so the ledger stays valid)."""
    from sqlalchemy import insert

    from registry.catalog.schemas import DutyContent
    from registry.catalog.services import record_change
    from registry.db import Database
    from registry.migrations.runner import upgrade
    from registry.regions.models import Region
    from registry.regions.services import forget_regions
    from registry.seeding import load_seed

    upgrade(url)
    db = Database(url)
    load_seed(db, demo=False)
    with db.write() as session:
        county = session.execute(Region.__table__.select().where(Region.code == "330122000000")).first()  # type: ignore[attr-defined]
        towns = [{"code": f"330122{600 + t:03d}000", "name": f"测试镇{t}", "level": "town", "kind": "town",
                  "parent_id": county.id} for t in range(TOWNS)]
        session.execute(insert(Region), towns)
        rows = session.execute(Region.__table__.select().where(Region.level == "town")).all()  # type: ignore[attr-defined]
        town_ids = {row.code: row.id for row in rows}
        villages = [{"code": f"330122{600 + t:03d}{100 + v:03d}", "name": f"测试村{t}-{v}", "level": "village",
                     "kind": "village" if v % 4 else "community", "parent_id": town_ids[f"330122{600 + t:03d}000"]}
                    for t in range(TOWNS) for v in range(VILLAGES_PER_TOWN)]
        session.execute(insert(Region), villages)
    forget_regions()
    scopes = ["330122000000"] * COUNTY_DUTIES
    scopes += [f"330122{600 + t:03d}000" for t in range(TOWNS) for _ in range(DUTIES_PER_TOWN)]
    scopes += [f"330122{600 + (n % TOWNS):03d}{100 + (n * 7) % VILLAGES_PER_TOWN:03d}" for n in range(VILLAGE_DUTIES)]
    categories = ["self_governance", "assisting", "prohibited", "certificate_allowed", "certificate_prohibited",
                  "signboard", "mechanism", "campaign"]
    for start in range(0, len(scopes), 500):
        with db.write() as session:
            for n in range(start, min(start + 500, len(scopes))):
                item = DutyContent.model_validate({
                    "title": f"基准测试事项{n}", "description": f"第{n}个用于基准测试的事项，含台账和报表。",
                    "category": categories[n % 8], "applies_to": ("all", "village", "community")[n % 3],
                    "scope_code": scopes[n], "department": "MZJ", "legal_basis": "《测试条例》",
                    "frequency": "monthly", "hours_per_month": 1.5,
                    "burdens": {"ledgers": [f"台账{n}"], "reports": [f"报表{n}"], "apps": ["某APP"]},
                })
                record_change(session, "added", item, duty_code=f"B{n:05d}")
    db.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("server exited")
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def measure(url: str, requests: int, clients: int) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p95 ms, bytes) over *requests* GETs shared by *clients* threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    size = len(httpx.get(url, timeout=60).content)
    per_client = requests // clients

    def worker() -> None:
        with httpx.Client(timeout=60) as client:
            for _ in range(per_client):
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, response.status_code
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - began
    latencies.sort()
    return (len(latencies) / total, statistics.median(latencies) * 1000,
            latencies[int(len(latencies) * 0.95) - 1] * 1000, size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        began = time.perf_counter()
        build_database(url)
        print(f"built 20,000 villages and 5,000 duties in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        env = {**os.environ, "REGISTRY_DATABASE_URL": url, "REGISTRY_VAR_DIR": f"{tmp}/var",
               "REGISTRY_SECRET_KEY": "b" * 48, "PYTHONPATH": str(ROOT)}
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "registry", "run", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = []
        try:
            wait_for(port, server)
            base = f"http://127.0.0.1:{port}"
            village = f"330122{600 + 17:03d}{100 + 42:03d}"
            targets = (("API list", f"/api/v1/regions/{village}/duties"), ("HTML list", f"/regions/{village}"))
            for label, path in targets:
                rows.append((label, *measure(base + path, args.requests, args.clients)))
            html_size = rows[-1][4]
        finally:
            server.terminate()
            server.wait(timeout=20)
        Path(tmp, "bare_app.py").write_text(BARE_APP, encoding="utf-8")
        Path(tmp, "body.html").write_bytes(b"x" * html_size)
        port = free_port()
        bare = subprocess.Popen([sys.executable, "-c",
                                 "from granian import Granian; from granian.constants import Interfaces; "
                                 f"Granian('bare_app:app', factory=True, address='127.0.0.1', port={port}, "
                                 "interface=Interfaces.ASGI).serve()"],
                                cwd=tmp, env={**env, "BENCH_BODY": f"{tmp}/body.html", "PYTHONPATH": tmp},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port, bare)
            rows.append(("bare Litestar page", *measure(f"http://127.0.0.1:{port}/", args.requests, args.clients)))
        finally:
            bare.terminate()
            bare.wait(timeout=20)
    print(f"{args.requests} requests, {args.clients} concurrent clients, granian 1 worker, SQLite")
    print(f"{'route':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'bytes':>10}")
    for label, rps, p50, p95, size in rows:
        print(f"{label:<22}{rps:>9.1f}{p50:>9.1f}{p95:>9.1f}{size:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
