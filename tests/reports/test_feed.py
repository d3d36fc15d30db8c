"""A department's Atom feed lists its closed cases only, with public links and no region or person."""

from xml.etree import ElementTree

from registry.accounts.services import create_user
from registry.choices import Role
from tests.conftest import PASSWORD, bearer
from tests.reports.helpers import LUCUN, file_report, move

ATOM = "{http://www.w3.org/2005/Atom}"


def test_department_feed(client, db):
    create_user(db, "reporter_wangwu_z3", Role.CADRE, PASSWORD, region_code=LUCUN)
    cadre, office = bearer(db, "reporter_wangwu_z3"), bearer(db, "fwb_office")
    open_case = move(client, office, file_report(client, cadre), "in_progress")
    closed = move(client, office, move(client, office, file_report(client, cadre), "in_progress"), "resolved",
                  "已撤回<b>", outcome="withdrawn")
    response = client.get("/reports/departments/NYJ/feed.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    tree = ElementTree.fromstring(response.content)
    entries = tree.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title").split(" · ")[0] for e in entries] == [closed["number"]]
    assert entries[0].findtext(f"{ATOM}summary") == "已撤回<b>"
    assert entries[0].findtext(f"{ATOM}id").startswith("http://127.0.0.1:8000/reports/")
    text = response.text
    assert open_case["number"] not in text and "芦茨村" not in text and "reporter_wangwu_z3" not in text
    assert client.get("/reports/departments/NOPE/feed.atom").status_code == 404
