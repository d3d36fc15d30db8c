"""No page or API answer names the person who filed: every GET route of the access table, plus every report's
page and API answer, as every role (the reporter's own session aside, whose header names them), never shows the
reporter's account name. The one exception is the report's audit view, which the office and admins alone may
open (every other reader is refused it), and where each look is recorded."""

import re

from sqlmodel import select

from registry.accounts.models import AuditEvent
from registry.accounts.services import create_user
from registry.choices import AuditKind, Role
from tests.conftest import ADMIN_PASSWORD, PASSWORD, bearer, sign_in
from tests.reports.helpers import FUCHUNJIANG, file_report, move
from tests.web.test_access import all_rows

REPORTER = "reporter_zhangsan_x9"
# The administrator's account pages list every account and its sign-ins and tokens by name: that is their
# purpose. They must never tie an account to a report, so there the report numbers may not appear instead.
ACCOUNT_PAGES = {"/admin/accounts", "/admin/audit"}
READERS = ["anonymous", "lucun_cadre", "fcj_town_cadre", "fwb_office", "admin", "nyj_clerk", "mzj_reviewer"]
AUDITORS = {"fwb_office", "admin"}
AUDIT_VIEW = re.compile(r"^/reports/\d+/audit$")


def test_no_route_names_the_reporter(client, db):
    create_user(db, REPORTER, Role.CADRE, PASSWORD, region_code="330122101201")
    create_user(db, "fcj_town_cadre", Role.CADRE, PASSWORD, region_code=FUCHUNJIANG)
    reporter, office, nyj = bearer(db, REPORTER), bearer(db, "fwb_office"), bearer(db, "nyj_clerk")
    received = file_report(client, reporter)
    going = move(client, office, file_report(client, reporter, share_region_with_department=True), "in_progress")
    client.post(f"/api/v1/reports/{going['id']}/responses", json={"note": "收到"}, headers=nyj)
    closed = move(client, office, move(client, office, file_report(client, reporter), "in_progress"), "resolved",
                  "已协调", outcome="coordinated")
    ids = [received["id"], going["id"], closed["id"]]
    numbers = [received["number"], going["number"], closed["number"]]
    paths = sorted({path for method, path, _ in all_rows() if method == "GET"})
    paths += [f"/reports/{i}" for i in ids] + [f"/api/v1/reports/{i}" for i in ids]
    paths += [f"/reports/{i}/audit" for i in ids]
    paths += ["/api/v1/reports?per_page=100", "/reports?state=in_progress", "/api/v1/ledger?after=0&limit=1000",
              "/ledger", "/reports/stats.csv"]
    found = []
    for reader in READERS:
        client.cookies.clear()
        headers = {}
        if reader != "anonymous":
            sign_in(client, reader, ADMIN_PASSWORD if reader == "admin" else PASSWORD)
            headers = bearer(db, reader)
        for path in paths:
            if AUDIT_VIEW.match(path):
                if reader not in AUDITORS:  # refused: sign in (anonymous) or forbidden, never shown
                    status = client.get(path, follow_redirects=False).status_code
                    if status not in (302, 303, 403, 404):
                        found.append(f"{reader} {path} answered {status}")
                continue  # the office's and admins' audit view names the reporter: that is its purpose
            response = client.get(path, headers=headers if path.startswith("/api/") else {})
            if path in ACCOUNT_PAGES:
                if any(number in response.text for number in numbers):
                    found.append(f"{reader} {path} (a report number beside the accounts)")
            elif REPORTER in response.text:
                found.append(f"{reader} {path}")
    assert not found, found
    # The audit view names the reporter to the office, and the look is recorded (who looked, which report).
    client.cookies.clear()
    sign_in(client, "fwb_office")
    page = client.get(f"/reports/{going['id']}/audit")
    assert page.status_code == 200 and REPORTER in page.text and "fwb_office" in page.text
    with db.read() as session:
        looks = list(session.exec(select(AuditEvent).where(AuditEvent.kind == AuditKind.REPORTER_VIEWED)))
    assert [(e.actor, e.detail, e.account) for e in looks] == [("fwb_office", going["number"], "")]
    # The crawl can fail: the reporter's own header names them.
    client.cookies.clear()
    sign_in(client, REPORTER)
    assert REPORTER in client.get("/reports/new").text
