"""GET/PUT /api/v1/budget and the admin budget page."""

import json

import pytest
from sqlmodel import col, select

from registry.ledger.models import LedgerEntry
from tests.conftest import ADMIN_PASSWORD, bearer, csrf_token, sign_in

NEW_CAPS = {"duties": 70, "ledgers": 60, "reports": 30, "filings_per_year": 900, "apps": 9, "signboards": 12,
            "wall_rules": 15, "assessments": 11, "campaigns": 6, "meetings_per_year": 90, "hours_per_month": 120.5}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def ledger(db) -> list[LedgerEntry]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return list(session.exec(select(LedgerEntry).order_by(col(LedgerEntry.seq))))


def test_public_budget_is_the_seed(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/budget")
    assert response.status_code == 200
    assert response.json()["caps"]["apps"] == 11
    assert response.json()["caps"]["hours_per_month"] == 130


def test_admin_replaces_caps_with_one_ledger_entry(client, db) -> None:  # type: ignore[no-untyped-def]
    before = ledger(db)
    response = client.put("/api/v1/budget", content=json.dumps({"caps": NEW_CAPS}),
                          headers={**bearer(db, "admin"), "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json() == {"caps": NEW_CAPS}
    after = ledger(db)
    assert len(after) == len(before) + 1
    entry = after[-1]
    assert entry.kind == "budget.changed"
    assert json.loads(entry.payload)["caps"] == NEW_CAPS
    assert client.get("/api/v1/budget").json() == {"caps": NEW_CAPS}


def test_a_subset_removes_the_other_caps(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.put("/api/v1/budget", content=b'{"caps": {"apps": 3}}', headers=bearer(db, "admin"))
    assert response.status_code == 200
    assert client.get("/api/v1/budget").json() == {"caps": {"apps": 3}}


@pytest.mark.parametrize("account", ["yjj_clerk", "mzj_reviewer", "lucun_cadre"])
def test_non_admin_is_403(client, db, account) -> None:  # type: ignore[no-untyped-def]
    before = ledger(db)
    response = client.put("/api/v1/budget", content=json.dumps({"caps": NEW_CAPS}), headers=bearer(db, account))
    assert response.status_code == 403
    assert len(ledger(db)) == len(before)


def test_anonymous_is_401_and_cookies_do_not_count(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.put("/api/v1/budget", content=json.dumps({"caps": NEW_CAPS})).status_code == 401
    sign_in(client, "admin", ADMIN_PASSWORD)
    assert client.put("/api/v1/budget", content=json.dumps({"caps": NEW_CAPS})).status_code == 401


BAD_BODIES = [
    b"",
    b"not json",
    b"[]",
    b"null",
    b'"caps"',
    b"{}",
    b'{"caps": null}',
    b'{"caps": []}',
    b'{"caps": 5}',
    b'{"caps": {"apps": -1}}',
    b'{"caps": {"apps": "5"}}',
    b'{"caps": {"apps": 5.5}}',
    b'{"caps": {"apps": 5.0}}',
    b'{"caps": {"apps": true}}',
    b'{"caps": {"apps": null}}',
    b'{"caps": {"apps": {}}}',
    b'{"caps": {"apps": [1]}}',
    b'{"caps": {"unknown_field": 1}}',
    b'{"caps": {"hours_per_month": 12.25}}',
    b'{"caps": {"hours_per_month": -0.5}}',
    b'{"caps": {"hours_per_month": "12"}}',
    b'{"caps": {"hours_per_month": NaN}}',
    b'{"caps": {"hours_per_month": Infinity}}',
    b'{"caps": {"apps": 1000000001}}',
    b'{"caps": {"apps": 1e400}}',
    b'{"caps": {"apps": 1}, "extra": 1}',
    b'{"caps": {"apps": 1}',
    '{"caps": {"\u4e00": 1}}'.encode(),
    b'{"caps": {"apps": 1}}\x00',
    b'\xff\xfe',
]


@pytest.mark.parametrize("raw", BAD_BODIES)
def test_bad_bodies_are_refused_in_chinese(client, db, raw) -> None:  # type: ignore[no-untyped-def]
    before = ledger(db)
    response = client.put("/api/v1/budget", content=raw, headers=bearer(db, "admin"))
    assert 400 <= response.status_code < 500, (raw, response.status_code)
    assert has_chinese(response.json()["detail"]), response.json()
    assert len(ledger(db)) == len(before)
    assert client.get("/api/v1/budget").json()["caps"]["apps"] == 11


def test_budget_page_saves_and_shows_errors(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get("/burden/budget")
    assert page.status_code == 200 and 'name="apps"' in page.text
    token = csrf_token(client, "/burden/budget")
    form = {name: str(value) for name, value in NEW_CAPS.items()}
    bad = client.post("/burden/budget", data={**form, "apps": "-2", "_csrf_token": token}, follow_redirects=False)
    assert bad.status_code == 422
    assert 'id="field-apps-error"' in bad.text and 'value="-2"' in bad.text
    assert client.get("/api/v1/budget").json()["caps"]["apps"] == 11
    good = client.post("/burden/budget", data={**form, "_csrf_token": token}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"].endswith("/burden/budget")
    assert client.get("/api/v1/budget").json() == {"caps": NEW_CAPS}
    assert ledger(db)[-1].kind == "budget.changed"


def test_budget_page_is_admin_only(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/burden/budget", follow_redirects=False).status_code in (302, 303)
    sign_in(client, "yjj_clerk")
    assert client.get("/burden/budget").status_code == 403
