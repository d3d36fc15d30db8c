"""Build a synthetic set at scale and check it (outside make test; `make seed-national-check`):

    python -m tests.perf.national --backend postgresql --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python -m tests.perf.national --backend sqlite [--scale province] [--seed 1] [--sample 1000]
    python -m tests.perf.national --existing URL      # a kept set (--keep, or the bench's): verify and lists only

Into a new database (a file under --dir, or a new PostgreSQL database dropped afterwards unless --keep), it runs
the operator's commands `registry db upgrade`, `registry seed --synthetic SCALE --seed N` and `registry ledger
verify` as subprocesses, timing each, then asks the real API (`GET /api/v1/regions/{code}/duties`, in process)
for the lists of --sample random villages and compares each with the oracle computed from the plan alone
(tests/synthetic/oracle.py). Prints the figures; exits 1 on any mismatch or failure.
"""

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent.parent


def _command(url: str, *args: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env.update({"REGISTRY_DATABASE_URL": url, "PYTHONPATH": str(ROOT)})
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "registry", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"registry {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout.strip().splitlines()[-1]


def _admin(url: str, statement: str) -> None:
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def check_lists(url: str, scale: str, seed: int, sample: int) -> tuple[int, int, float]:
    """(villages checked, mismatches, seconds): the API's list of each sampled village against the oracle."""
    from litestar.testing import TestClient

    from registry.app import create_app
    from registry.db import Database
    from registry.settings import Settings
    from tests.synthetic.oracle import Oracle

    logging.disable(logging.INFO)  # one log line per request would drown the figures
    oracle = Oracle(scale, seed)
    codes = oracle.sample(sample, seed=seed)
    settings = Settings(database_url=url, secret_key="national-check-" + "x" * 40,
                        var_dir=Path(tempfile.mkdtemp()), allowed_hosts=("127.0.0.1", "localhost"))
    database = Database(url)
    bad = 0
    began = time.perf_counter()
    try:
        with TestClient(create_app(settings, database), base_url="http://127.0.0.1") as client:
            for code in codes:
                response = client.get(f"/api/v1/regions/{code}/duties")
                served = sorted(d["code"] for d in response.json()["duties"]) if response.status_code == 200 else None
                if served != oracle.expected(code):
                    bad += 1
                    print(f"MISMATCH {code}: served {served and len(served)}, expected {len(oracle.expected(code))}")
    finally:
        database.dispose()
    return len(codes), bad, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server (a new database is created on it)")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the SQLite file goes")
    parser.add_argument("--scale", choices=("county", "province", "national"), default="national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--existing", metavar="URL",
                        help="check a database that already holds the set (migrate, verify, lists; no build)")
    args = parser.parse_args()
    if args.existing:
        upgrade_s, _ = _command(args.existing, "db", "upgrade")
        verify_s, verdict = _command(args.existing, "ledger", "verify")
        checked, bad, check_s = check_lists(args.existing, args.scale, args.seed, args.sample)
        print(f"existing set, scale {args.scale}, seed {args.seed}")
        print(f"  migrate        {upgrade_s:8.1f} s")
        print(f"  ledger verify  {verify_s:8.1f} s   {verdict}")
        print(f"  lists          {check_s:8.1f} s   {checked} villages against the oracle, {bad} mismatches")
        sys.exit(1 if bad or not verdict.startswith("ok") else 0)
    name = f"registry_synthetic_{args.scale}_{uuid.uuid4().hex[:6]}"
    if args.backend == "sqlite":
        url = f"sqlite:///{Path(args.dir) / (name + '.db')}"
    else:
        _admin(args.url, f'CREATE DATABASE "{name}"')
        url = make_url(args.url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_s, _ = _command(url, "db", "upgrade")
        build_s, summary = _command(url, "seed", "--synthetic", args.scale, "--seed", str(args.seed))
        verify_s, verdict = _command(url, "ledger", "verify")
        checked, bad, check_s = check_lists(url, args.scale, args.seed, args.sample)
        print(f"backend {args.backend}, scale {args.scale}, seed {args.seed}")
        print(f"  migrate        {upgrade_s:8.1f} s")
        print(f"  build          {build_s:8.1f} s   {summary}")
        print(f"  ledger verify  {verify_s:8.1f} s   {verdict}")
        print(f"  lists          {check_s:8.1f} s   {checked} villages against the oracle, {bad} mismatches")
        if args.backend == "sqlite":
            print(f"  file           {os.path.getsize(make_url(url).database) / 2**20:8.0f} MiB")
        sys.exit(1 if bad or not verdict.startswith("ok") else 0)
    finally:
        if not args.keep:
            if args.backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(make_url(url).database + suffix).unlink(missing_ok=True)
            else:
                _admin(args.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
