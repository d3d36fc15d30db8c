"""A table of bad report bodies: each gets a 4xx with a Chinese `detail`, nothing is stored, never a 5xx."""

import json
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import select

from registry.ledger.models import LedgerEntry
from registry.reports.models import Report, ReportEvent
from tests.admission.helpers import has_cjk
from tests.conftest import bearer
from tests.reports.helpers import file_report, move, report_body, today

LONG = "长" * 100_000


def without(name: str) -> dict:
    body = report_body()
    body.pop(name)
    return body


TOMORROW = (today() + timedelta(days=1)).isoformat()

RAW = [  # (label, raw bytes, status)
    ("empty body", b"", 400),
    ("spaces", b"   ", 400),
    ("truncated", b'{"kind":', 400),
    ("null", b"null", 400),
    ("list", b"[]", 400),
    ("string", b'"problem"', 400),
    ("bad utf-8", b"\xff\xfe{}", 400),
    ("deep nesting", b"[" * 100_000, 400),
    ("trailing comma", b'{"kind":"problem",}', 400),
]

CREATE = [  # (label, body, status) as the village cadre
    ("kind missing", without("kind"), 422),
    ("kind unknown", report_body(kind="complaint"), 422),
    ("kind number", report_body(kind=1), 422),
    ("kind null", report_body(kind=None) | {"kind": None}, 422),
    ("kind list", report_body(kind=["problem"]), 422),
    ("title missing", without("title"), 422),
    ("title empty", report_body(title=""), 422),
    ("title spaces", report_body(title="   "), 422),
    ("title number", report_body(title=1), 422),
    ("title list", report_body(title=["a"]), 422),
    ("title object", report_body(title={"a": 1}), 422),
    ("title 201", report_body(title="题" * 201), 422),
    ("title 100k", report_body(title=LONG), 422),
    ("title NUL", report_body(title="a\x00b"), 422),
    ("description missing", without("description"), 422),
    ("description empty", report_body(description=" "), 422),
    ("description number", report_body(description=5), 422),
    ("description 5001", report_body(description="述" * 5001), 422),
    ("description 100k", report_body(description=LONG), 422),
    ("description NUL", report_body(description="\x00"), 422),
    ("unit_text 201", report_body(unit_text="单" * 201), 422),
    ("unit_text NUL", report_body(unit_text="a\x00"), 422),
    ("unit_text number", report_body(unit_text=3), 422),
    ("asked_on missing", without("asked_on"), 422),
    ("asked_on tomorrow", report_body(asked_on=TOMORROW), 422),
    ("asked_on far future", report_body(asked_on="2999-01-01"), 422),
    ("asked_on ancient", report_body(asked_on="0001-01-01"), 422),
    ("asked_on not a date", report_body(asked_on="yesterday"), 422),
    ("asked_on 13th month", report_body(asked_on="2026-13-01"), 422),
    ("asked_on number", report_body(asked_on=20260101), 422),
    ("asked_on timestamp", report_body(asked_on=0), 422),
    ("asked_on NUL", report_body(asked_on="2026-01-01\x00"), 422),
    ("channel missing", without("channel"), 422),
    ("channel unknown", report_body(channel="pigeon"), 422),
    ("channel upper", report_body(channel="PHONE"), 422),
    ("channel number", report_body(channel=2), 422),
    ("source unknown", report_body(source="village_head"), 422),
    ("source not the cadre's", report_body(source="enterprise"), 422),
    ("source town for a village", report_body(source="town"), 422),
    ("region outside the cadre's", report_body(region_code="330122113201"), 422),
    ("region the town above", report_body(region_code="330122101000"), 422),
    ("region the county", report_body(region_code="330122000000"), 422),
    ("region unknown", report_body(region_code="330122999999"), 422),
    ("region short", report_body(region_code="3301"), 422),
    ("region number", report_body(region_code=330122101201), 422),
    ("region NUL", report_body(region_code="33012210120\x00"), 422),
    ("department unknown", report_body(department="NOPE"), 422),
    ("department number", report_body(department=7), 422),
    ("department empty", report_body(department=""), 422),
    ("department too long", report_body(department="D" * 33), 422),
    ("department NUL", report_body(department="NY\x00J"), 422),
    ("unlisted task without unit", report_body(department=None), 422),
    ("unlisted task with blank unit", report_body(department=None, unit_text="  "), 422),
    ("share string", report_body(share_region_with_department="yes"), 422),
    ("share number", report_body(share_region_with_department=1), 422),
    ("unknown field", report_body(reporter="张三"), 422),
    ("unknown field state", report_body(state="resolved"), 422),
    ("NaN", b'{"kind":"problem","title":NaN}', 422),
]

TRANSITION = [  # (label, body, status) as the office, on a case in progress
    ("state missing", {"note": "x"}, 422),
    ("state unknown", {"state": "closed", "note": "x"}, 422),
    ("state number", {"state": 3, "note": "x"}, 422),
    ("note NUL", {"state": "advanced", "note": "\x00"}, 422),
    ("note 100k", {"state": "advanced", "note": LONG}, 422),
    ("advanced without note", {"state": "advanced"}, 422),
    ("resolved without outcome", {"state": "resolved", "note": "x"}, 422),
    ("outcome unknown", {"state": "resolved", "note": "x", "outcome": "fixed"}, 422),
    ("outcome without resolved", {"state": "advanced", "note": "x", "outcome": "coordinated"}, 422),
    ("admitted without request", {"state": "resolved", "note": "x", "outcome": "admitted"}, 422),
    ("admitted unknown request", {"state": "resolved", "note": "x", "outcome": "admitted",
                                  "request_number": "ZR-2026-9999"}, 422),
    ("request number without admitted", {"state": "resolved", "note": "x", "outcome": "coordinated",
                                         "request_number": "ZR-2026-0001"}, 422),
    ("row_version string", {"state": "advanced", "note": "x", "row_version": "2"}, 422),
    ("row_version negative", {"state": "advanced", "note": "x", "row_version": -1}, 422),
    ("stale row_version", {"state": "advanced", "note": "x", "row_version": 1}, 409),
    ("backwards", {"state": "received", "note": "x"}, 409),
    ("same state", {"state": "in_progress", "note": "x"}, 409),
]

RESPONSE = [  # (label, body, status) as the department named
    ("note missing", {}, 422),
    ("note empty", {"note": "  "}, 422),
    ("note NUL", {"note": "a\x00"}, 422),
    ("note 100k", {"note": LONG}, 422),
    ("note number", {"note": 1}, 422),
    ("stale row_version", {"note": "x", "row_version": 1}, 409),
]


def encode(body) -> bytes:  # type: ignore[no-untyped-def]
    return body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")


def counts(db) -> tuple[int, int, int, list]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        reports = session.exec(select(func.count()).select_from(Report)).one()
        events = session.exec(select(func.count()).select_from(ReportEvent)).one()
        entries = session.exec(select(func.count()).select_from(LedgerEntry)).one()
        versions = sorted((r.id, r.row_version, r.state) for r in session.exec(select(Report)))
        return int(reports), int(events), int(entries), versions


def test_bad_report_bodies_are_refused_and_change_nothing(client, db):
    cadre, office, nyj = bearer(db, "lucun_cadre"), bearer(db, "fwb_office"), bearer(db, "nyj_clerk")
    case = move(client, office, file_report(client, cadre), "in_progress")
    cases = [("/api/v1/reports", label, body, status, cadre) for label, body, status in RAW + CREATE]
    cases += [("/api/v1/reports", "office without source", report_body(), 422, office)]
    cases += [(f"/api/v1/reports/{case['id']}/transition", label, body, status, office)
              for label, body, status in TRANSITION]
    cases += [(f"/api/v1/reports/{case['id']}/responses", label, body, status, nyj)
              for label, body, status in RESPONSE]
    cases += [
        ("/api/v1/reports/99999999999/transition", "huge id", {"state": "advanced", "note": "x"}, 404, office),
        ("/api/v1/reports/424242/responses", "unknown id", {"note": "x"}, 404, nyj),
        (f"/api/v1/reports/{case['id']}/responses", "another department", {"note": "x"}, 404,
         bearer(db, "yjj_clerk")),
    ]
    assert len(cases) >= 60
    before = counts(db)
    wrong = []
    for path, label, body, status, headers in cases:
        response = client.post(path, content=encode(body), headers={**headers, "content-type": "application/json"})
        detail = (response.json().get("detail", "")
                  if response.headers.get("content-type", "").startswith("application/json") else "")
        if response.status_code != status or not has_cjk(detail):
            wrong.append((label, response.status_code, status, response.text[:200]))
    assert not wrong, wrong
    assert counts(db) == before


def test_markup_is_text(client, db):
    title = "<script>alert(1)</script>"
    report = file_report(client, bearer(db, "lucun_cadre"), title=title)
    assert report["title"] == title
