"""The chaos writers, one per area, each recording every write the registry acknowledged:

- requests: a department files admission requests and two reviewers decide them (§2);
- reports: cadres of a village and of a town file reports (§6) and attach evidence files to them;
- office: the county office moves acknowledged reports forward through their states (§6);
- data: a village cadre enters form data, each value larger than the last for its key (§8);
- job: `registry lifecycle run --today D` (§5, §7) for one day after another, as a subprocess that a crash
  kills together with the server.

A write counts as acknowledged only when its answer said so (2xx, exit 0); a state read back from the server is
committed too, so it counts. `states.check` then proves every one of them is still there.
"""

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlmodel import select

from registry.choices import REPORT_MOVES, IndicatorType, ReportState
from registry.db import Database
from tests.perf.servers import ROOT

VILLAGE = "330122101201"  # 芦茨村: lucun_cadre's village
CLERK, FIRST, SECOND = "yjj_clerk", "mzj_reviewer", "sfj_reviewer"
CADRES, OFFICE = ("lucun_cadre", "jiangnan_cadre"), "fwb_office"
ACCOUNTS = (CLERK, FIRST, SECOND, *CADRES, OFFICE)
PNG = b"\x89PNG\r\n\x1a\n"
AREAS = ("requests", "reports", "office", "data", "job")


@dataclass
class Writes:
    """What the registry acknowledged: request and report id → state, file id → (report id, SHA-256),
    (village, indicator, period) → the value, and the days the daily job finished."""

    requests: dict[int, str] = field(default_factory=dict)
    reports: dict[int, str] = field(default_factory=dict)
    files: dict[int, tuple[int, str]] = field(default_factory=dict)
    values: dict[tuple[str, str, str], int] = field(default_factory=dict)
    days: set[date] = field(default_factory=set)
    entries: int = 0  # acknowledged data entries (each replaces the value of one key in `values`)

    def counts(self) -> dict[str, int]:
        return {"requests": len(self.requests), "reports": len(self.reports), "files": len(self.files),
                "data values": self.entries, "job days": len(self.days)}

    def total(self) -> int:
        return sum(self.counts().values())


class Acknowledged:
    """The shared, thread-safe record of acknowledged writes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.writes = Writes()
        self.attempts = 0
        self.errors: list[str] = []  # answers >= 500 and failed job runs: each one a bug

    def error(self, line: str) -> None:
        with self.lock:
            self.errors.append(line)

    def record(self, kind: str, key: object, value: object) -> None:
        with self.lock:
            if kind == "days":
                self.writes.days.add(key)  # type: ignore[arg-type]
            elif kind == "values":
                self.writes.values[key] = value  # type: ignore[index]
                self.writes.entries += 1
            else:
                getattr(self.writes, kind)[key] = value

    def attempt(self) -> None:
        with self.lock:
            self.attempts += 1

    def snapshot(self) -> Writes:
        with self.lock:
            w = self.writes
            return Writes(dict(w.requests), dict(w.reports), dict(w.files), dict(w.values), set(w.days), w.entries)


@dataclass(frozen=True)
class Context:
    """What the writers need: bearer tokens, the (period, indicator) keys the data writer may fill, and the
    environment `registry lifecycle run` needs to reach the same database."""

    keys: dict[str, str]
    data_keys: list[tuple[str, str]]
    env: dict[str, str]
    first_day: date


def data_keys(url: str, today: date) -> list[tuple[str, str]]:
    """(period, indicator code) pairs of integer indicators some form asks the village for in a begun period."""
    from registry.forms.data import find_village, forms_for, parse_period
    from registry.forms.models import Indicator

    periods = [str(today.year), f"{today.year}-Q{(today.month - 1) // 3 + 1}", f"{today:%Y-%m}"]
    database = Database(url)
    found = []
    try:
        with database.read() as session:
            village = find_village(session, VILLAGE)
            integers = set(session.exec(select(Indicator.code).where(Indicator.type == IndicatorType.INTEGER)))
            for text in periods:
                codes = {c for row in forms_for(session, village, parse_period(text)) for c in row.form.indicators}
                found += [(text, code) for code in sorted(codes & integers)[:3]]
    finally:
        database.dispose()
    return found


def context(url: str, var_dir: Path) -> Context:
    from registry.accounts.services import create_token
    from registry.timeutil import local_date, utcnow

    database = Database(url)
    try:
        keys = {name: create_token(database, name) for name in ACCOUNTS}
    finally:
        database.dispose()
    env = {**os.environ, "REGISTRY_DATABASE_URL": url, "REGISTRY_VAR_DIR": str(var_dir),
           "REGISTRY_SECRET_KEY": "b" * 48, "PYTHONPATH": str(ROOT)}
    today = local_date(utcnow())
    return Context(keys, data_keys(url, today), env, today)


def request_body(n: int) -> dict:
    return {"kind": "add", "title": f"混沌测试事项第{n}号", "category": "assisting", "applies_to": "all",
            "description": f"第{n}个用于故障注入测试的事项。", "scope_code": VILLAGE,
            "legal_basis": "《测试条例》第一条", "frequency": "yearly", "hours_per_month": 0.5,
            "funding": {"provided": True, "amount_yuan_per_year": 1000, "source": "县财政"},
            "burdens": {"ledgers": ["测试台账"]}, "justification": "故障注入测试。",
            "start_date": "2030-06-01", "submit": True}


DECISION = {"decision": "approve", "reason": "符合规定", "exemption_reason": "混沌测试：上限按试点口径豁免"}


def _auth(ctx: Context, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ctx.keys[name]}"}


def requests_writer(client: httpx.Client, ctx: Context, seen: Acknowledged, rng: random.Random) -> None:
    """File one request, then decide it at both stages (sometimes a rejection)."""
    filed = client.post("/requests", json=request_body(rng.randrange(10**9)), headers=_auth(ctx, CLERK))
    if filed.status_code != 201:
        return
    number = filed.json()["id"]
    seen.record("requests", number, filed.json()["state"])
    for name in (FIRST, SECOND):
        body = DECISION if rng.random() < 0.8 else {"decision": "reject", "reason": "不符合规定"}
        decided = client.post(f"/requests/{number}/decision", json=body, headers=_auth(ctx, name))
        if decided.status_code != 200:
            return
        seen.record("requests", number, decided.json()["state"])
        if decided.json()["state"] != "submitted":
            return


def reports_writer(client: httpx.Client, ctx: Context, seen: Acknowledged, rng: random.Random) -> None:
    """A cadre files a report, then attaches one or two evidence files to it."""
    from registry.timeutil import local_date, utcnow

    cadre = rng.choice(CADRES)
    n = rng.randrange(10**9)
    filed = client.post("/reports", headers=_auth(ctx, cadre), json={
        "kind": "unlisted_task", "department": "NYJ", "title": f"混沌测试：要求每周报送第{n}号台账",
        "description": f"镇里转来通知，要求村每周填报第{n}号台账并附照片。",
        "asked_on": local_date(utcnow()).isoformat(),
        "channel": rng.choice(["document", "meeting", "phone", "message_group"])})
    if filed.status_code != 201:
        return
    report = filed.json()["id"]
    seen.record("reports", report, filed.json()["state"])
    for _ in range(rng.randint(1, 2)):
        content = PNG + rng.randbytes(rng.randint(200, 4000))
        digest = hashlib.sha256(content).hexdigest()
        attached = client.post(f"/reports/{report}/files", content=content, headers=_auth(ctx, cadre))
        if attached.status_code != 201:
            return
        [row] = [f for f in attached.json()["files"] if f["sha256"] == digest]
        seen.record("files", row["id"], (report, digest))


def office_writer(client: httpx.Client, ctx: Context, seen: Acknowledged, rng: random.Random) -> None:
    """The office moves one open acknowledged report a step forward, as REPORT_MOVES allows."""
    open_reports = [n for n, s in seen.snapshot().reports.items() if REPORT_MOVES[ReportState(s)]]
    if not open_reports:
        time.sleep(0.2)
        return
    number = rng.choice(open_reports)
    current = client.get(f"/reports/{number}", headers=_auth(ctx, OFFICE))
    if current.status_code != 200:
        return
    seen.record("reports", number, current.json()["state"])  # committed: a read answers only what is
    moves = sorted(REPORT_MOVES[ReportState(current.json()["state"])])
    if not moves:
        return
    target = rng.choice(moves)
    body: dict[str, object] = {"state": target.value, "note": "混沌测试：办理进展",
                               "row_version": current.json()["row_version"]}
    if target == ReportState.RESOLVED:
        body["outcome"] = "coordinated"
    moved = client.post(f"/reports/{number}/transition", json=body, headers=_auth(ctx, OFFICE))
    if moved.status_code == 200:
        seen.record("reports", number, moved.json()["state"])


def data_writer(client: httpx.Client, ctx: Context, seen: Acknowledged, rng: random.Random) -> None:
    """The village's cadre enters one value, larger than any acknowledged before for its key."""
    if not ctx.data_keys:
        time.sleep(0.5)
        return
    period, code = rng.choice(ctx.data_keys)
    key = (VILLAGE, code, period)
    value = seen.snapshot().values.get(key, 0) + rng.randint(1, 9)
    entered = client.put(f"/regions/{VILLAGE}/data/{period}", json={"values": {code: value}},
                         headers=_auth(ctx, CADRES[0]))
    if entered.status_code == 200 and entered.json()["values"].get(code) == value:
        seen.record("values", key, value)


class JobRunner:
    """`registry lifecycle run --today D` for D = the day after the last one acknowledged; `kill` SIGKILLs a
    run under way (the crash takes it down with the server)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def __call__(self, client: httpx.Client, ctx: Context, seen: Acknowledged, rng: random.Random) -> None:
        done = seen.snapshot().days
        day = max(done) + timedelta(days=1) if done else ctx.first_day
        with self.lock:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "registry", "lifecycle", "run", "--today", day.isoformat()], env=ctx.env,
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        code = self.process.wait()
        if code == 0:
            seen.record("days", day, None)
        elif code != -signal.SIGKILL:
            seen.error(f"registry lifecycle run --today {day} exited {code}")
        time.sleep(rng.uniform(0.1, 0.5))

    def kill(self) -> bool:
        """SIGKILL the run under way; whether there was one."""
        with self.lock:
            if self.process is not None and self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                return True
            return False

    def wait(self, seconds: float) -> None:
        """Let a run under way finish (it needs no server); SIGKILL it after *seconds*."""
        with self.lock:
            process = self.process
        if process is not None:
            try:
                process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                self.kill()


Writer = Callable[[httpx.Client, Context, Acknowledged, random.Random], None]


class Clients:
    """One thread per writer until `finish`; `finish(kill_job=True)` SIGKILLs a daily-job run under way, else
    lets it finish (at most *job_grace* seconds)."""

    def __init__(self, base: str, ctx: Context, seen: Acknowledged, seed: int,
                 areas: tuple[str, ...] = AREAS, request_writers: int = 2):
        self.stop = threading.Event()
        self.job = JobRunner()
        writers: dict[str, Writer] = {"requests": requests_writer, "reports": reports_writer,
                                      "office": office_writer, "data": data_writer, "job": self.job}
        chosen = [writers[a] for a in areas for _ in range(request_writers if a == "requests" else 1)]
        self.threads = [threading.Thread(target=self._loop, args=(w, base, ctx, seen, seed * 100 + i), daemon=True)
                        for i, w in enumerate(chosen)]
        for thread in self.threads:
            thread.start()

    def _loop(self, write: Writer, base: str, ctx: Context, seen: Acknowledged, seed: int) -> None:
        rng = random.Random(seed)

        def on_response(response: httpx.Response) -> None:
            if response.status_code >= 500:
                seen.error(f"{response.request.method} {response.request.url.path}: {response.status_code}")

        with httpx.Client(base_url=f"{base}/api/v1", timeout=30, event_hooks={"response": [on_response]}) as client:
            while not self.stop.is_set():
                seen.attempt()
                try:
                    write(client, ctx, seen, rng)
                except httpx.HTTPError:
                    time.sleep(0.05)  # the server is down (killed) or busy: try again

    def finish(self, kill_job: bool = True, job_grace: float = 30.0) -> bool:
        """Stop every writer; whether a daily-job run was killed mid-way."""
        self.stop.set()
        killed = self.job.kill() if kill_job else False
        if not kill_job:
            self.job.wait(job_grace)
        for thread in self.threads:
            thread.join(timeout=60)
        return killed
