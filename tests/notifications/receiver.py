"""A real webhook receiver for tests: http.server in a thread on a free port, recording every request."""

import json
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import HOST

OK = (200, b'{"errcode":0,"errmsg":"ok"}')
Answer = tuple[int, bytes]
Policy = Callable[[str, int], Answer]  # (delivery id, this id's try number from 1) -> (status, body)


def fail_first(failures: int) -> Policy:
    """500 for the first `failures` tries of each delivery, then DingTalk's "ok"."""
    return lambda delivery, attempt: (500, b"busy") if attempt <= failures else OK


def always(status: int, body: bytes = b"") -> Policy:
    return lambda delivery, attempt: (status, body)


class Receiver:
    """Answers POSTs by `policy`; `tries` counts requests per X-Registry-Delivery id, `accepted` the ones that
    were taken (2xx with errcode 0)."""

    def __init__(self, policy: Policy = fail_first(0), delay: float = 0.0):
        self.policy, self.delay = policy, delay
        self.requests: list[dict] = []
        self.tries: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                delivery = self.headers.get("X-Registry-Delivery", "")
                with receiver._lock:
                    receiver.tries[delivery] += 1
                    status, answer = receiver.policy(delivery, receiver.tries[delivery])
                    receiver.requests.append({"path": self.path, "delivery": delivery, "headers": dict(self.headers),
                                              "json": json.loads(body) if body else None, "status": status})
                    if 200 <= status < 300 and b'"errcode":0' in answer:
                        receiver.accepted[delivery] += 1
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/robot/send?access_token=test-token"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
