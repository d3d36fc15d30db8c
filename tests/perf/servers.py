"""Servers the benchmark starts on loopback: `registry run` (granian) and the reference app, with their RSS."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below *pid* (granian's workers are children of the `registry run` process)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except FileNotFoundError:
            continue
        for tid in tasks:
            try:
                children = Path(f"/proc/{current}/task/{tid}/children").read_text().split()
            except FileNotFoundError:
                continue
            for child in children:
                found.append(int(child))
                stack.append(int(child))
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


class Server:
    """A server process on a free loopback port; `worker_rss_mb` is the largest worker's resident memory."""

    def __init__(self, label: str, argv: list[str], env: dict[str, str], cwd: Path = ROOT):
        self.label = label
        self.port = free_port()
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.env = env
        self.cwd = cwd
        self.process: subprocess.Popen | None = None
        self.log = Path(env.get("BENCH_TMP", "/tmp")) / f"server-{self.port}.log"

    def __enter__(self) -> "Server":
        handle = self.log.open("wb")
        self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=handle, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.label} exited: {self.log.read_text(errors='replace')[-2000:]}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{self.label} did not start")
        return self

    def worker_rss_mb(self) -> float:
        assert self.process is not None
        pids = descendants(self.process.pid) or [self.process.pid]
        return max(rss_mb(pid) for pid in pids)

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server's own process group (start_new_session)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def registry_server(url: str, tmp: Path, workers: int = 1) -> Server:
    env = {**os.environ, "REGISTRY_DATABASE_URL": url, "REGISTRY_VAR_DIR": str(tmp / "var"),
           "REGISTRY_SECRET_KEY": "b" * 48, "PYTHONPATH": str(ROOT), "BENCH_TMP": str(tmp)}
    return Server("registry run", [sys.executable, "-m", "registry", "run", "--port", "{port}",
                                   "--workers", str(workers)], env)


def reference_server(document_path: Path, tmp: Path, workers: int = 1) -> Server:
    env = {**os.environ, "BENCH_DOCUMENT": str(document_path), "PYTHONPATH": str(ROOT), "BENCH_TMP": str(tmp)}
    return Server("reference app", [sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
                                    "--host", "127.0.0.1", "--port", "{port}", "--workers", str(workers),
                                    "tests.perf.reference_app:app"], env)
