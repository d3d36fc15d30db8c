"""Profile one path of the running registry with py-spy (a sampling profiler), under load from wrk.

    python -m tests.perf.profile_path --villages 100000 --path /api/v1/regions/330122000000/burden
    python -m tests.perf.profile_path --path /regions/330122617142 --etag      # the 304 of that page
    python -m tests.perf.profile_path --path '/regions/330122617142?as_of=*'   # random old editions

Builds the data set once into --dir (reused when present), starts `registry run` under
`py-spy record --subprocesses --format raw`, loads the path for --seconds, and prints the functions
with the most samples (inclusive and own) from the collapsed stacks (kept in --dir for flame graphs).
Needs py-spy (`pip install py-spy`); root or ptrace permission.
"""

import argparse
import collections
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.perf import loadgen
from tests.perf.datasets import county_builder
from tests.perf.servers import registry_server


def build_once(directory: Path, villages: int, duties: int) -> tuple[str, list[int]]:
    """The database for *villages* villages (towns of 250, or 100 below 25,000), built once."""
    per_town = 250 if villages >= 25_000 else 100
    url = f"sqlite:///{directory}/county-{villages}.db"
    marker = directory / f"county-{villages}.editions"
    if not marker.exists():
        facts = county_builder(villages // per_town, per_town, duties)(url)
        marker.write_text(" ".join(map(str, facts.editions)))
    return url, [int(e) for e in marker.read_text().split()]


def summarise(raw: Path, top: int) -> str:
    """Inclusive and own sample counts per function from py-spy's collapsed stacks."""
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1] + ")"
                  for f in stack.split(";") if f]
        if any("select" in f and "selectors" in f for f in frames[-2:]) or not frames:
            continue  # idle event loop
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} busy samples", "inclusive:"]
    lines += [f"  {100 * c / total:5.1f}%  {f}" for f, c in inclusive.most_common(top)]
    lines += ["own:"] + [f"  {100 * c / total:5.1f}%  {f}" for f, c in own.most_common(top)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=20_000)
    parser.add_argument("--duties", type=int, default=5_000)
    parser.add_argument("--path", required=True, help="'?as_of=*' stands for random old editions")
    parser.add_argument("--etag", action="store_true", help="send the page's own ETag (measure the 304)")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/registry-profile"))
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--name", default="profile")
    parser.add_argument("--no-profile", action="store_true", help="only measure (no py-spy)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    url, editions = build_once(args.dir, args.villages, args.duties)
    paths = [args.path]
    if args.path.endswith("as_of=*"):
        paths = [args.path.replace("*", str(e)) for e in random.Random(14).sample(editions, min(1000, len(editions)))]  # noqa: S311
    with registry_server(url, args.dir) as server:
        base = f"http://127.0.0.1:{server.port}"
        first = httpx.get(base + paths[0], timeout=600)
        headers = {"If-None-Match": first.headers["etag"]} if args.etag else {}
        raw = args.dir / f"{args.name}.txt"
        assert server.process is not None
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        if args.no_profile:
            result = loadgen.closed_loop(server.port, paths, args.connections, args.seconds, headers)
            print(f"{args.path}: {result.rate:.1f}/s p50 {result.p50:.1f} ms p99 {result.p99:.1f} ms "
                  f"statuses {result.statuses} first {first.elapsed.total_seconds() * 1e3:.0f} ms")
            return 0
        spy = subprocess.Popen([py_spy, "record", "--pid", str(server.process.pid), "--subprocesses", "--format",
                                "raw", "--rate", "200", "--nonblocking", "-o", str(raw),
                                "--duration", str(int(args.seconds) + 2)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)
        result = (loadgen.closed_loop(server.port, paths, args.connections, args.seconds, headers)
                  if args.seconds > 0 else None)
        spy.wait(timeout=args.seconds + 60)
    if result:
        print(f"{args.path}: {result.rate:.1f}/s p50 {result.p50:.1f} ms p99 {result.p99:.1f} ms "
              f"statuses {result.statuses}")
    print(summarise(raw, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

