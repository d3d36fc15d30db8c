"""Each request: an X-Request-Id (a sane incoming one kept), one JSON log line without personal data; SIGTERM lets
a request under way finish; at overload a fast 503 with Retry-After while the probes stay green."""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from registry.cli import SHUTDOWN_GRACE_SECONDS
from registry.web.operations import request_id_of
from tests.conftest import HOST, ROOT, free_port
from tests.perf.servers import descendants


def test_every_response_carries_a_request_id(client):
    first = client.get("/duties").headers["x-request-id"]
    second = client.get("/api/v1/duties").headers["x-request-id"]
    assert len(first) == 32 and first != second
    assert client.get("/nowhere").headers["x-request-id"]
    assert client.get("/", headers={"host": "evil.example"}).headers["x-request-id"]


@pytest.mark.parametrize(("incoming", "kept"), [
    ("proxy-1234-abcd", True), ("0f1e2d3c4b5a69788796a5b4c3d2e1f0", True), ("a" * 100, True),
    ("short", False), ("a" * 101, False), ("<script>alert(1)</script>", False), ("id with spaces", False),
    ("-leading-dash", False), ("名字名字名字名字名字", False),
])
def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(incoming, kept):
    scope = {"headers": [(b"x-request-id", incoming.encode())]}
    found = request_id_of(scope)  # type: ignore[arg-type]
    assert (found == incoming) is kept
    assert found.isascii() and 8 <= len(found) <= 100


def test_the_incoming_id_is_answered(client):
    assert client.get("/duties", headers={"x-request-id": "lb-7f3a9c21"}).headers["x-request-id"] == "lb-7f3a9c21"


# ---------------------------------------------------------------- the real server

def spawn_server(database_url: str, tmp_path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """`registry run` on a free port, not yet answering."""
    port = free_port()
    log_path = tmp_path / f"server-{port}.log"
    full_env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "REGISTRY_VAR_DIR": str(tmp_path / "var"),
                "REGISTRY_SECRET_KEY": "live-secret-" + "y" * 40, "PYTHONPATH": str(ROOT), **(env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "registry", "run", "--host", HOST, "--port", str(port)],
                                   cwd=tmp_path, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    return process, port, log_path


def start_server(database_url: str, tmp_path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    process, port, log_path = spawn_server(database_url, tmp_path, env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return process, port, log_path
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log_path.read_text(errors="replace")) from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def http(port: int, raw: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get(port: int, target: str, headers: str = "") -> bytes:
    return http(port, f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n{headers}\r\n".encode())


def test_sigterm_lets_a_request_under_way_finish_and_logs_json_lines(database_url, tmp_path):
    process, port, log_path = start_server(database_url, tmp_path)
    try:
        assert get(port, "/duties?q=%E5%BC%A0%E4%B8%89").startswith(b"HTTP/1.1 200")  # q=张三
        body = b"name=lucun_cadre&password=not-the-password"
        sock = socket.create_connection((HOST, port), timeout=30)
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
        time.sleep(0.5)  # the request is under way: its body is still arriving
        process.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        sock.sendall(body[10:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.close()
        assert answer.startswith(b"HTTP/1.1 403"), answer[:200]  # a whole answer (no CSRF token: refused)
        assert b"x-request-id: " in answer
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    lines = [json.loads(line) for line in log_path.read_text(errors="replace").splitlines() if line.startswith("{")]
    routes = {(line["method"], line["route"], line["status"]) for line in lines}
    assert ("GET", "/duties", 200) in routes and ("POST", "/login", 403) in routes
    assert all(set(line) == {"ts", "request_id", "method", "route", "status", "duration_ms"} for line in lines)
    text = log_path.read_text(errors="replace")
    assert not [word for word in ("lucun_cadre", "张三", "%E5%BC%A0", "not-the-password") if word in text]


def workers(pid: int) -> list[int]:
    """The server's worker processes (not multiprocessing's resource tracker)."""
    found = []
    for child in descendants(pid):
        try:
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except FileNotFoundError:
            pass
    return found


def test_a_sigterm_while_the_worker_starts_stops_the_server_at_once(database_url, tmp_path):
    """A supervisor's SIGTERM that lands while the worker is still loading the app stops the server within
    seconds. (A forked worker inherited the main process's handler and lost the signal: it went on to serve
    until the main process killed it SHUTDOWN_GRACE_SECONDS later, with whatever it was answering.)"""
    process, _port, log_path = spawn_server(database_url, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not workers(process.pid):
            assert time.monotonic() < deadline and process.poll() is None, log_path.read_text(errors="replace")
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)  # the worker is importing the app (about a second)
        began = time.monotonic()
        process.wait(timeout=SHUTDOWN_GRACE_SECONDS + 30)
        assert time.monotonic() - began < 10, log_path.read_text(errors="replace")[-1000:]
    finally:
        if process.poll() is None:
            process.kill()


def open_holder(port: int, body: bytes) -> socket.socket:
    """A request whose body is still arriving: it holds one of the server's places until the body ends."""
    sock = socket.create_connection((HOST, port), timeout=30)
    sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body) + body[:4])
    return sock


def answered(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def test_at_overload_the_server_answers_503_with_retry_after_and_the_probes_stay_green(database_url, tmp_path):
    process, port, _ = start_server(database_url, tmp_path, {"REGISTRY_MAX_IN_FLIGHT": "2"})
    body = b"name=someone&password=whatever"
    holders: list[socket.socket] = []
    refused = b""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # A holder that raced a probing GET for the last place was itself refused: replace it.
            for sock in [h for h in holders if answered(h)]:
                holders.remove(sock)
                sock.close()
            holders += [open_holder(port, body) for _ in range(2 - len(holders))]
            time.sleep(0.2)
            if not any(answered(h) for h in holders):
                refused = get(port, "/duties")
                if refused.startswith(b"HTTP/1.1 503"):
                    break
        head = refused.split(b"\r\n\r\n", 1)[0].lower()
        assert refused.startswith(b"HTTP/1.1 503"), refused[:200]
        assert b"retry-after: 1" in head and b"x-request-id: " in head
        assert json.loads(refused.split(b"\r\n\r\n", 1)[1])["code"] == "overloaded"
        assert get(port, "/healthz").startswith(b"HTTP/1.1 200")
        assert get(port, "/readyz").startswith(b"HTTP/1.1 200")
        for sock in holders:
            sock.sendall(body[4:])
            while sock.recv(65536):
                pass
        assert get(port, "/duties").startswith(b"HTTP/1.1 200")
    finally:
        for sock in holders:
            sock.close()
        process.terminate()
        process.wait(timeout=60)


def test_a_500_is_logged_with_the_request_id(client, monkeypatch, caplog):
    import logging

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated failure")

    monkeypatch.setattr("registry.regions.api.region_index", boom)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/regions/330122000000", headers={"x-request-id": "proxy-req-0042"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "proxy-req-0042"
    assert f"error_id={response.json()['error_id']} request_id=proxy-req-0042 " in caplog.text
