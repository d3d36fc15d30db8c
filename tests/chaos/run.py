"""`make chaos` / `make chaos-quick`: every fault run in turn, each printing its figures; exit 1 if any failed.

    python -m tests.chaos.run [--quick] [--only crash,backup,fuzz,overload,tamper] [--backends sqlite,postgresql]
        [--examples N] [--form-cases N]

Loopback only. PostgreSQL runs use REGISTRY_TEST_DATABASE_URL's server (default postgres@127.0.0.1:5432) and
are skipped, with a line saying so, when no server answers.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.chaos import backups, crash, fuzz, overload, tamper
from tests.chaos.common import PG_URL, Databases, say

FULL = {"kills": 100, "backups": 20, "examples": 50, "form_cases": 60, "overload_seconds": 20, "tamper": 1000}
# About three minutes on a 2-core machine: the API fuzz and the overload on the first backend only.
QUICK = {"kills": 2, "backups": 2, "examples": 1, "form_cases": 1, "overload_seconds": 2, "tamper": 1000}
RUNS = ("tamper", "crash", "backup", "fuzz", "overload")


def postgres_answers() -> bool:
    from registry.db import normalise_url

    try:
        engine = create_engine(normalise_url(PG_URL), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=",".join(RUNS))
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--examples", type=int, help="schemathesis examples per operation, mode and identity")
    parser.add_argument("--form-cases", type=int, help="hostile posts per HTML form and identity")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    sizes.update({k: v for k, v in (("examples", args.examples), ("form_cases", args.form_cases)) if v})
    only = [r.strip() for r in args.only.split(",") if r.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if "postgresql" in backends and not postgres_answers():
        say(f"postgresql: no server answers at {PG_URL}: PostgreSQL runs skipped")
        backends.remove("postgresql")
    results: dict[str, bool] = {}
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="registry-chaos-") as name:
        tmp = Path(name)
        databases = Databases(tmp)
        try:
            for backend in backends:
                if "tamper" in only and backend == backends[0]:
                    results["tamper"] = tamper.run(databases.seeded(backend), sizes["tamper"])
                if "crash" in only:
                    workers = 2 if backend == "postgresql" else 1
                    results[f"crash {backend}"] = crash.run(backend, sizes["kills"], tmp, databases, workers)
                if "backup" in only:
                    results[f"backup {backend}"] = backups.run(backend, sizes["backups"], tmp, databases)
            if "overload" in only:
                results["overload"] = overload.run(backends[0], sizes["overload_seconds"], tmp, databases)
            for backend in backends[:1] if args.quick else backends:  # the slowest run last
                if "fuzz" in only:
                    results[f"fuzz {backend}"] = fuzz.run(backend, sizes["examples"], sizes["form_cases"], tmp,
                                                          databases)
        finally:
            databases.drop_all()
    failed = [name for name, ok in results.items() if not ok]
    say(f"chaos{' (quick)' if args.quick else ''}: {len(results) - len(failed)}/{len(results)} runs passed "
        f"in {time.monotonic() - began:.0f} s" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
