"""The checks after every crash: storage whole, ledger verified, every acknowledged write present in a state it
may have reached since, no record in a state no transition leads to, and no orphan upload file.

Reachability comes from the code's own rules, not from a copy: REPORT_MOVES for reports (choices.py), the
editable and undecided state sets and the decision results for requests (choices.py, admission/decision.py).
Secondments have no table in the code; theirs below follows secondments/workflow.py and secondments/daily.py.
"""

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from registry.admission.decision import RESULT
from registry.choices import (
    EDITABLE_STATES,
    REPORT_MOVES,
    UNDECIDED_STATES,
    DailyTaskState,
    ReportActor,
    ReportState,
    RequestState,
    SecondmentState,
)
from registry.db import Database
from tests.chaos.clients import Writes


def request_moves() -> dict[str, set[str]]:
    """Every state change the admission workflow makes: submit (from an editable state), withdraw (from an
    undecided one), a decision (approve moves to the next stage or approves at the last; RESULT otherwise)."""
    moves: dict[str, set[str]] = {s.value: set() for s in RequestState}
    for state in EDITABLE_STATES:
        moves[state.value].add(RequestState.SUBMITTED.value)
    for state in UNDECIDED_STATES:
        moves[state.value].add(RequestState.WITHDRAWN.value)
    moves[RequestState.SUBMITTED.value] |= {RequestState.SUBMITTED.value, RequestState.APPROVED.value,
                                            *(s.value for s in RESULT.values())}
    return moves


REQUEST_STARTS = {RequestState.DRAFT.value, RequestState.SUBMITTED.value}  # filed, or filed with submit=true
REPORT_STARTS = {ReportState.RECEIVED.value}
SECONDMENT_MOVES = {  # consent: both → approved, one refusal → rejected; outcome: ended, or extended → requested
    SecondmentState.REQUESTED.value: {SecondmentState.APPROVED.value, SecondmentState.REJECTED.value},
    SecondmentState.APPROVED.value: {SecondmentState.ENDED.value, SecondmentState.REQUESTED.value},
    SecondmentState.REJECTED.value: set(),
    SecondmentState.ENDED.value: set(),
}
SECONDMENT_STARTS = {SecondmentState.REQUESTED.value}


def closure(moves: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """State → every state reachable from it in zero or more moves."""
    reach = {state: {state} for state in moves}
    changed = True
    while changed:
        changed = False
        for state, found in reach.items():
            more = set().union(*(set(moves.get(s, ())) for s in found)) - found
            if more:
                found |= more
                changed = True
    return reach


REQUEST_REACH = closure(request_moves())
REPORT_REACH = closure({s.value: {m.value for m in moves} for s, moves in REPORT_MOVES.items()})
SECONDMENT_REACH = closure(SECONDMENT_MOVES)


def entered(reach: dict[str, set[str]], starts: set[str]) -> set[str]:
    """The states some path from a starting state leads to: any other state is one no transition produces."""
    return set().union(*(reach[s] for s in starts))


def state_problems(kind: str, rows: Mapping[int, str], acknowledged: Mapping[int, str],
                   reach: dict[str, set[str]], starts: set[str]) -> list[str]:
    problems = []
    for number, state in acknowledged.items():
        found = rows.get(number)
        if found is None:
            problems.append(f"acknowledged {kind} {number} ({state}) is missing")
        elif found not in reach.get(state, {state}):
            problems.append(f"{kind} {number}: acknowledged {state}, found {found}, not reachable from it")
    possible = entered(reach, starts)
    problems += [f"{kind} {n} in state {s!r}, which no transition leads to" for n, s in rows.items()
                 if s not in possible]
    return problems


def report_event_problems(session, reports: Mapping[int, str]) -> list[str]:  # type: ignore[no-untyped-def]
    """A case's state and its last step move in one transaction: the newest office or reporter event names it."""
    from registry.reports.models import ReportEvent

    last: dict[int, str] = {}
    for report_id, state, by in session.exec(select(ReportEvent.report_id, ReportEvent.state, ReportEvent.by)
                                             .order_by(ReportEvent.id)):
        if by != ReportActor.DEPARTMENT.value:
            last[report_id] = state
    return [f"report {n} is {s} but its last step says {last.get(n)}" for n, s in reports.items()
            if last.get(n) != s]


def file_problems(rows: Mapping[int, tuple[int, str, str]], acknowledged: Mapping[int, tuple[int, str]],
                  evidence: Path | None) -> list[str]:
    """Every acknowledged file has its row; with the evidence directory, every row has its bytes (checksum
    matching) and every file on disk has a row."""
    problems = []
    for file_id, (report_id, digest) in acknowledged.items():
        row = rows.get(file_id)
        if row is None or row[:2] != (report_id, digest):
            problems.append(f"acknowledged file {file_id} of report {report_id} is missing or changed: {row}")
    if evidence is None:
        return problems
    on_disk = {p.name for p in evidence.iterdir() if p.is_file()} if evidence.is_dir() else set()
    for file_id, (_report, digest, stored_name) in rows.items():
        path = evidence / stored_name
        if stored_name not in on_disk:
            problems.append(f"file {file_id}: row without its file {stored_name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"file {file_id}: bytes do not match the checksum")
    named = {stored for _r, _d, stored in rows.values()}
    problems += [f"orphan upload file {name} (no row names it)" for name in sorted(on_disk - named)]
    return problems


def orphan_files(url: str, evidence: Path) -> int:
    """Files on disk that no row names (what a kill mid-upload leaves before the start-up sweep)."""
    from registry.reports.models import ReportFile

    if not evidence.is_dir():
        return 0
    database = Database(url)
    try:
        with database.read() as session:
            named = set(session.exec(select(ReportFile.stored_name)))
    finally:
        database.dispose()
    return sum(1 for p in evidence.iterdir() if p.is_file() and p.name not in named)


def file_check(url: str, acknowledged: Writes, evidence: Path) -> list[str]:
    """The files alone: acknowledged ones present, rows and bytes matching, no orphan on either side."""
    from registry.reports.models import ReportFile

    database = Database(url)
    try:
        with database.read() as session:
            files = {i: (r, d, n) for i, r, d, n in session.exec(
                select(ReportFile.id, ReportFile.report_id, ReportFile.sha256, ReportFile.stored_name))}
    finally:
        database.dispose()
    return file_problems(files, acknowledged.files, evidence)


def check(url: str, acknowledged: Writes, evidence: Path | None = None) -> list[str]:
    """Every problem found in the database at *url* (and the evidence directory, when given)."""
    from registry.admission.models import AdmissionRequest
    from registry.catalog.integrity import verify_ledger_and_catalog
    from registry.forms.models import Indicator, VillageValue
    from registry.lifecycle.models import DailyTaskRun
    from registry.lifecycle.tasks import registered_tasks
    from registry.regions.models import Region
    from registry.reports.models import Report, ReportFile
    from registry.secondments.models import Secondment

    problems = storage_problems(url)
    database = Database(url)
    try:
        with database.read() as session:
            verdict = verify_ledger_and_catalog(session)
            if not verdict.ok:
                problems.append(f"ledger verify: {verdict.line}")
            requests = dict(session.exec(select(AdmissionRequest.id, AdmissionRequest.state)).all())
            reports = dict(session.exec(select(Report.id, Report.state)).all())
            secondments = dict(session.exec(select(Secondment.id, Secondment.state)).all())
            problems += state_problems("request", requests, acknowledged.requests, REQUEST_REACH, REQUEST_STARTS)
            problems += state_problems("report", reports, acknowledged.reports, REPORT_REACH, REPORT_STARTS)
            problems += state_problems("secondment", secondments, {}, SECONDMENT_REACH, SECONDMENT_STARTS)
            problems += report_event_problems(session, reports)
            files = {i: (r, d, n) for i, r, d, n in session.exec(
                select(ReportFile.id, ReportFile.report_id, ReportFile.sha256, ReportFile.stored_name))}
            problems += file_problems(files, acknowledged.files, evidence)
            values = {(v, c, p): json.loads(x) for v, c, p, x in session.exec(
                select(Region.code, Indicator.code, VillageValue.period, VillageValue.value)
                .join(Region, Region.id == VillageValue.region_id)
                .join(Indicator, Indicator.id == VillageValue.indicator_id))}
            for key, value in acknowledged.values.items():
                if not isinstance(values.get(key), int) or values[key] < value:  # a later entry only grows it
                    problems.append(f"data value {key}: acknowledged {value}, found {values.get(key)}")
            done = set(session.exec(select(DailyTaskRun.day, DailyTaskRun.task)
                                    .where(DailyTaskRun.state == DailyTaskState.DONE)))
            problems += [f"daily job of {day}: task {task.name} not done though the run exited 0"
                         for day in sorted(acknowledged.days) for task in registered_tasks()
                         if (day, task.name) not in done]
    finally:
        database.dispose()
    return problems


def storage_problems(url: str) -> list[str]:
    """SQLite: PRAGMA integrity_check; PostgreSQL: amcheck over every B-tree index (when the extension exists)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
        return [] if result == ["ok"] else [f"integrity_check: {result[:3]}"]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            conn.execute(text(
                "SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'"))
    except Exception as exc:  # noqa: BLE001 (a corrupt index raises; report it)
        return [f"amcheck: {type(exc).__name__}: {str(exc)[:200]}"]
    finally:
        engine.dispose()
    return []
