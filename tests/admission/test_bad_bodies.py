"""A table of bad bodies: each gets a 4xx with a Chinese `detail`, nothing is stored, never a 5xx."""

import json

from sqlmodel import select

from registry.admission.models import AdmissionRequest
from tests.admission.helpers import add_body, counts, has_cjk
from tests.conftest import bearer

LONG = "长" * 100_000


def without(name: str, **changes) -> dict:  # type: ignore[no-untyped-def]
    body = add_body(**changes)
    body.pop(name)
    return body


def with_funding(**changes) -> dict:  # type: ignore[no-untyped-def]
    return add_body(funding={"provided": True, "amount_yuan_per_year": 100, "source": "县财政", **changes})


def with_burdens(**changes) -> dict:  # type: ignore[no-untyped-def]
    return add_body(burdens={"ledgers": [], "meetings_per_year": 0, **changes})


RAW = [  # (label, raw bytes, status)
    ("empty body", b"", 400),
    ("spaces", b"   ", 400),
    ("truncated", b'{"kind":', 400),
    ("brace", b"{", 400),
    ("null", b"null", 400),
    ("list", b"[]", 400),
    ("string", b'"add"', 400),
    ("number", b"1", 400),
    ("true", b"true", 400),
    ("bad utf-8", b"\xff\xfe{}", 400),
    ("deep nesting", b"[" * 100_000, 400),
    ("single quotes", b"{'kind': 'add'}", 400),
    ("trailing comma", b'{"kind":"add",}', 400),
    ("NaN hours", b'{"kind":"add","hours_per_month":NaN}', 422),
    ("Infinity hours", b'{"kind":"add","hours_per_month":Infinity}', 422),
    ("huge exponent", b'{"kind":"add","hours_per_month":1e400}', 422),
]

CREATE = [  # (label, body, status)
    ("kind missing", {"title": "x"}, 422),
    ("kind empty", {"kind": ""}, 422),
    ("kind unknown", {"kind": "delete"}, 422),
    ("kind number", {"kind": 1}, 422),
    ("kind null", {"kind": None}, 422),
    ("kind list", {"kind": ["add"]}, 422),
    ("title number", add_body(title=1), 422),
    ("title list", add_body(title=["a"]), 422),
    ("title object", add_body(title={"a": 1}), 422),
    ("title 201", add_body(title="题" * 201), 422),
    ("title 100k", add_body(title=LONG), 422),
    ("title NUL", add_body(title="a\x00b"), 422),
    ("description number", add_body(description=5), 422),
    ("description 5001", add_body(description="述" * 5001), 422),
    ("description 100k", add_body(description=LONG), 422),
    ("description NUL", add_body(description="x\x00"), 422),
    ("category unknown", add_body(category="prohibited_x"), 422),
    ("category number", add_body(category=1), 422),
    ("category label", add_body(category="依法协助政府工作事项"), 422),
    ("applies_to town", add_body(applies_to="town"), 422),
    ("applies_to number", add_body(applies_to=1), 422),
    ("scope int", add_body(scope_code=330122000000), 422),
    ("scope 11 digits", add_body(scope_code="33012200000"), 422),
    ("scope letters", add_body(scope_code="abcdefghijkl"), 422),
    ("scope outside county", add_body(scope_code="110101001001"), 422),
    ("scope unknown in county", add_body(scope_code="330122999999"), 422),
    ("scope 100k", add_body(scope_code=LONG), 422),
    ("scope NUL", add_body(scope_code="33012200000\x00"), 422),
    ("legal_basis number", add_body(legal_basis=1), 422),
    ("legal_basis 1001", add_body(legal_basis="法" * 1001), 422),
    ("legal_basis 100k", add_body(legal_basis=LONG), 422),
    ("legal_basis NUL", add_body(legal_basis="\x00"), 422),
    ("frequency hourly", add_body(frequency="hourly"), 422),
    ("frequency number", add_body(frequency=12), 422),
    ("hours string", add_body(hours_per_month="1.5"), 422),
    ("hours 745", add_body(hours_per_month=745), 422),
    ("hours -1", add_body(hours_per_month=-1), 422),
    ("hours 1.25", add_body(hours_per_month=1.25), 422),
    ("hours bool", add_body(hours_per_month=True), 422),
    ("hours list", add_body(hours_per_month=[1]), 422),
    ("hours 10**20", add_body(hours_per_month=10**20), 422),
    ("funding string", add_body(funding="yes"), 422),
    ("funding list", add_body(funding=[]), 422),
    ("funding provided string", with_funding(provided="true"), 422),
    ("funding amount 10**16", with_funding(amount_yuan_per_year=10**16), 422),
    ("funding amount -1", with_funding(amount_yuan_per_year=-1), 422),
    ("funding amount 1.5", with_funding(amount_yuan_per_year=1.5), 422),
    ("funding amount string", with_funding(amount_yuan_per_year="100"), 422),
    ("funding amount 10**30", with_funding(amount_yuan_per_year=10**30), 422),
    ("funding source 201", with_funding(source="源" * 201), 422),
    ("funding source 100k", with_funding(source=LONG), 422),
    ("funding source NUL", with_funding(source="\x00"), 422),
    ("funding extra", with_funding(bank="x"), 422),
    ("burdens list", add_body(burdens=[]), 422),
    ("burdens string", add_body(burdens="台账"), 422),
    ("ledgers string", with_burdens(ledgers="台账"), 422),
    ("ledgers numbers", with_burdens(ledgers=[1]), 422),
    ("ledger name 101", with_burdens(ledgers=["账" * 101]), 422),
    ("ledger name 100k", with_burdens(reports=[LONG]), 422),
    ("ledger name NUL", with_burdens(apps=["a\x00"]), 422),
    ("ledger name empty", with_burdens(ledgers=[""]), 422),
    ("ledger name blank", with_burdens(signboards=["   "]), 422),
    ("51 ledgers", with_burdens(ledgers=[f"台账{i}" for i in range(51)]), 422),
    ("51 campaigns", with_burdens(campaigns=[f"创建{i}" for i in range(51)]), 422),
    ("meetings -1", with_burdens(meetings_per_year=-1), 422),
    ("meetings 1.5", with_burdens(meetings_per_year=1.5), 422),
    ("meetings string", with_burdens(meetings_per_year="3"), 422),
    ("meetings 10**9", with_burdens(meetings_per_year=10**9), 422),
    ("burdens extra", with_burdens(posters=["x"]), 422),
    ("justification number", add_body(justification=1), 422),
    ("justification 5001", add_body(justification="由" * 5001), 422),
    ("justification 100k", add_body(justification=LONG), 422),
    ("justification NUL", add_body(justification="\x00理由"), 422),
    ("start month 13", add_body(start_date="2026-13-01"), 422),
    ("start Feb 30", add_body(start_date="2026-02-30"), 422),
    ("start word", add_body(start_date="tomorrow"), 422),
    ("start number", add_body(start_date=20260101), 422),
    ("start slashes", add_body(start_date="2026/06/01"), 422),
    ("offsets string", add_body(offsets="1"), 422),
    ("offsets huge id", add_body(offsets=[2**40]), 422),
    ("offsets 2**63", add_body(offsets=[2**63]), 422),
    ("offsets zero", add_body(offsets=[0]), 422),
    ("offsets negative", add_body(offsets=[-1]), 422),
    ("offsets string ids", add_body(offsets=["1"]), 422),
    ("offsets float", add_body(offsets=[1.5]), 422),
    ("offsets unknown", add_body(offsets=[999999]), 422),
    ("offsets 51", add_body(offsets=list(range(1, 52))), 422),
    ("submit string", add_body(submit="yes"), 422),
    ("submit number", add_body(submit=1), 422),
    ("duty_code number", add_body(duty_code=5), 422),
    ("duty_code on add", add_body(duty_code="D00021"), 422),
    ("duty_code 100k", {"kind": "amend", "duty_code": LONG}, 422),
    ("duty_code NUL", {"kind": "amend", "duty_code": "D000\x0021"}, 422),
    ("amend unknown duty", {"kind": "amend", "duty_code": "D99999"}, 422),
    ("retire unknown duty", {"kind": "retire", "duty_code": "X", "justification": "x", "submit": True}, 422),
    ("amend another department's duty", {"kind": "amend", "duty_code": "D00001"}, 403),
    ("retire another department's duty", {"kind": "retire", "duty_code": "D00094", "justification": "x"}, 403),
    ("extra field", add_body(foo="bar"), 422),
    ("id given", add_body(id=5), 422),
    ("state given", add_body(state="approved"), 422),
    ("number given", add_body(number="ZR-2026-9999"), 422),
    ("row_version on create", add_body(row_version=1), 422),
    ("department given", add_body(department="MZJ"), 422),
    ("submit without content", {"kind": "add", "submit": True}, 422),
    ("submit without title", without("title", submit=True), 422),
    ("submit blank title", add_body(title="   ", submit=True), 422),
    ("submit without description", without("description", submit=True), 422),
    ("submit without category", without("category", submit=True), 422),
    ("submit without applies_to", without("applies_to", submit=True), 422),
    ("submit without scope", without("scope_code", submit=True), 422),
    ("submit without frequency", without("frequency", submit=True), 422),
    ("submit without hours", without("hours_per_month", submit=True), 422),
    ("submit amend without duty", {"kind": "amend", "title": "x", "submit": True}, 422),
    ("submit retire without justification", {"kind": "retire", "duty_code": "D00021", "submit": True}, 422),
    (
        "submit retire blank justification",
        {"kind": "retire", "duty_code": "D00021", "justification": " ", "submit": True},
        422,
    ),
    ("submit retire without duty", {"kind": "retire", "justification": "理由", "submit": True}, 422),
]

PATCH = [
    ("patch invalid JSON", b"{", 400),
    ("patch list", b"[1]", 400),
    ("patch title number", {"title": 1}, 422),
    ("patch kind", {"kind": "retire"}, 422),
    ("patch row_version string", {"row_version": "1"}, 422),
    ("patch row_version -1", {"row_version": -1}, 422),
    ("patch row_version huge", {"row_version": 2**40}, 422),
    ("patch hours 745", {"hours_per_month": 745}, 422),
    ("patch NUL", {"legal_basis": "\x00"}, 422),
    ("patch scope outside", {"scope_code": "110101001001"}, 422),
    ("patch other department's duty", {"duty_code": "D00001"}, 422),  # an add names no duty
    ("patch stale row_version", {"title": "新", "row_version": 0}, 409),
]

DECISION = [
    ("decision invalid JSON", b"{", 400),
    ("decision empty", b"", 400),
    ("decision string", b'"approve"', 400),
    ("decision missing", {}, 422),
    ("decision unknown", {"decision": "maybe"}, 422),
    ("decision number", {"decision": 1}, 422),
    ("reason number", {"decision": "approve", "reason": 1}, 422),
    ("reason 5001", {"decision": "approve", "reason": "理" * 5001}, 422),
    ("reason 100k", {"decision": "reject", "reason": LONG}, 422),
    ("reason NUL", {"decision": "reject", "reason": "\x00"}, 422),
    ("reject without reason", {"decision": "reject"}, 422),
    ("return blank reason", {"decision": "return", "reason": "  "}, 422),
    ("exemption number", {"decision": "approve", "exemption_reason": 5}, 422),
    ("decision extra", {"decision": "approve", "signature": "x"}, 422),
]


def encode(body) -> bytes:  # type: ignore[no-untyped-def]
    return body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")


def test_bad_bodies_are_refused_and_change_nothing(client, db):
    clerk, reviewer = bearer(db, "yjj_clerk"), bearer(db, "mzj_reviewer")
    draft = client.post("/api/v1/requests", json=add_body(), headers=clerk).json()
    filed = client.post("/api/v1/requests", json=add_body(submit=True), headers=clerk).json()
    other = client.post(
        "/api/v1/requests",
        json={"kind": "retire", "duty_code": "D00024", "justification": "x", "submit": True},
        headers=bearer(db, "nyj_clerk"),
    ).json()
    cases = [("POST", "/api/v1/requests", label, body, status, clerk) for label, body, status in RAW + CREATE]
    cases.append(
        ("POST", "/api/v1/requests", "offsets another department's", add_body(offsets=[other["id"]]), 422, clerk)
    )
    cases.append(("POST", "/api/v1/requests", "offsets an add request", add_body(offsets=[filed["id"]]), 422, clerk))
    cases += [("PATCH", f"/api/v1/requests/{draft['id']}", label, body, status, clerk) for label, body, status in PATCH]
    cases += [
        ("PATCH", "/api/v1/requests/99999999999", "patch huge id", {"title": "x"}, 404, clerk),
        ("PATCH", "/api/v1/requests/424242", "patch unknown id", {"title": "x"}, 404, clerk),
        ("PATCH", f"/api/v1/requests/{filed['id']}", "patch submitted", {"title": "x"}, 409, clerk),
    ]
    cases += [
        ("POST", f"/api/v1/requests/{filed['id']}/decision", label, body, status, reviewer)
        for label, body, status in DECISION
    ]
    cases += [
        ("POST", "/api/v1/requests/99999999999/decision", "decide huge id", {"decision": "approve", "reason": "同意"},
         404, reviewer)
    ]
    assert len(cases) >= 130
    before = counts(db)
    with db.read() as session:
        versions = {r.id: r.row_version for r in session.exec(select(AdmissionRequest))}
    wrong = []
    for method, path, label, body, status, headers in cases:
        response = client.request(
            method, path, content=encode(body), headers={**headers, "content-type": "application/json"}
        )
        detail = (
            response.json().get("detail", "")
            if response.headers.get("content-type", "").startswith("application/json")
            else ""
        )
        if response.status_code != status or not has_cjk(detail):
            wrong.append((label, response.status_code, status, response.text[:200]))
    assert not wrong, wrong
    assert counts(db) == before
    with db.read() as session:
        assert {r.id: r.row_version for r in session.exec(select(AdmissionRequest))} == versions


def test_markup_is_text(client, db):
    title = "<script>alert(1)</script>"
    item = client.post("/api/v1/requests", json=add_body(title=title, submit=True), headers=bearer(db, "yjj_clerk"))
    assert item.status_code == 201 and item.json()["title"] == title
    assert client.get(f"/api/v1/requests/{item.json()['id']}", headers=bearer(db, "yjj_clerk")).json()["title"] == title
