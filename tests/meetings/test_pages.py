"""The department's meeting form shows the flags before the meeting is called; the list, the meeting and the
calendars of a village and a town."""

from registry.accounts.services import create_user
from tests.conftest import PASSWORD, csrf_token, sign_in

VILLAGES = ["330122112201", "330122112202"]


def post_form(client, data: dict):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/meetings/new")
    return client.post("/meetings/new", data={**data, "_csrf_token": token}, follow_redirects=False)


def test_check_then_call_then_read_it_in_the_calendars(client, db):
    create_user(db, "zgh_clerk", "department", PASSWORD, department_code="ZGH")
    sign_in(client, "zgh_clerk")
    form = {"title": "工会工作部署会", "held_on": "2026-12-02", "attendee": "main_leader", "regions": VILLAGES}
    checked = post_form(client, {**form, "action": "check"})
    assert checked.status_code == 200
    assert 'id="flags"' in checked.text
    assert "邀请了不直接相关的单位" in checked.text and "参会人员级别高于所需" in checked.text
    assert client.get("/api/v1/meetings").json()["total"] == 0  # a check saves nothing
    assert post_form(client, {**form, "regions": [], "action": "send"}).status_code == 422
    called = post_form(client, {**form, "action": "send"})
    assert called.status_code == 303
    page = client.get(called.headers["location"])
    assert "工会工作部署会" in page.text and "主要领导" in page.text

    client.cookies.clear()
    listing = client.get("/meetings")
    assert "工会工作部署会" in listing.text
    village = client.get(f"/meetings/calendar/{VILLAGES[0]}?month=2026-12")
    assert village.status_code == 200 and "工会工作部署会" in village.text and "7.08" in village.text
    town = client.get("/meetings/calendar/330122112000?month=2026-12")
    assert town.status_code == 200 and 'id="villages"' in town.text
    assert client.get("/meetings/calendar/330122112000?month=nope").status_code == 422
