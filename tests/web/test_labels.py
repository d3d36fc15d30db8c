"""Every code shown to people is a translated label: every HTML page (the GET routes of the app's route table, path
parameters filled from the seed and from a request, a decision and a report made here), anonymous and as each
role's demo account, in Chinese and in English, must show in its visible text (a) no raw enumeration value of
registry.choices and (b), in Chinese, no English msgid of the catalog left untranslated.

Visible text: what an HTML parser finds outside tags, leaving out script, style, code, pre, textarea and template
(attribute values, URLs and <input> values are never text). In English only values that are not plain words are
sought (`no_funding`, `duty.added`: a `_` or a `.`), since `approved` or `village` are ordinary English there."""

import inspect
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from registry import choices, i18n
from registry.choices import Labelled
from tests.admission.helpers import add_body
from tests.conftest import ADMIN_PASSWORD, bearer, sign_in
from tests.lifecycle.flows import today
from tests.reports.helpers import file_report

ACCOUNTS = {"cadre": "lucun_cadre", "town cadre": "jiangnan_cadre", "department": "yjj_clerk",
            "reviewer": "mzj_reviewer", "office": "fwb_office", "admin": "admin"}
VILLAGE = "330122101201"  # 芦茨村 (lucun_cadre's village), below 富春江镇
TOWN = "330122101000"
# Account names are names, not codes (the navigation shows who is signed in; the audit log names accounts).
ACCOUNT_NAMES = re.compile(r"(?<![\w-])(" + "|".join(sorted(ACCOUNTS.values(), key=len, reverse=True)) + r")(?![\w-])")
HIDDEN = {"script", "style", "code", "pre", "textarea", "template"}
# Pages that are not HTML, or not ours to label (the OpenAPI viewer), or downloads.
SKIPPED = re.compile(r"^/(static|schema|healthz|readyz)\b|\.(csv|xlsx|json|atom|svg)$|^/burden/charts/"
                     r"|/files/\{file_id")
# Pages anonymous visitors also see: signed in, only those whose content depends on who asks are rendered again.
REDIRECTS = {"/statistics"}
PER_ROLE = {"/", "/requests/{request_id:int}", "/reports/{report_id:int}"}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def enumeration_values() -> dict[str, str]:
    """value → the enumeration it belongs to, for every Labelled enum of registry.choices."""
    found: dict[str, str] = {}
    for name, member in vars(choices).items():
        if inspect.isclass(member) and issubclass(member, Labelled) and member is not Labelled:
            for value in member.values():
                found.setdefault(value, name)
    return found


def raw_values(text: str, language: str) -> list[str]:
    leaks = []
    for value, enum in enumeration_values().items():
        if language == "en" and not re.search(r"[_.]", value):
            continue  # an ordinary English word in English pages
        if not re.search(r"[a-z]", value):
            continue  # codes that are numbers or upper case are not enumeration words
        found = re.search(rf"(?<![\w./-]){re.escape(value)}(?![\w-])", text) if value in text else None
        if found:
            leaks.append(f"{value} ({enum}) in …{text[max(0, found.start() - 30):found.end() + 30]!r}…")
    return leaks


def untranslated(text: str) -> list[str]:
    """Msgids whose Chinese differs from them, found verbatim (as whole words) in Chinese text."""
    catalog = i18n.translations("zh-Hans")._catalog  # type: ignore[attr-defined]
    leaks = []
    for msgid, translated in catalog.items():
        if not isinstance(msgid, str) or not msgid or translated == msgid:
            continue
        # The longest literal piece of a message with placeholders; pieces of one word are too common to tell.
        piece = max(re.split(r"%\(\w+\)[sd]|%[sd]", msgid), key=len).strip()
        if "%(" in msgid and " " not in piece:
            continue
        if len(piece) < 2 or not re.search(r"[A-Za-z]{2}", piece):
            continue
        if piece in text and re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", text):
            leaks.append(msgid)
    return leaks


def bare_region_codes(text: str, names: dict[str, str]) -> list[str]:
    """Region codes shown without their region's name just before them (names first, the code secondary)."""
    bare = []
    for found in re.finditer(r"(?<!\d)\d{12}(?!\d)", text):
        name = names.get(found[0])
        if name and name not in text[max(0, found.start() - 80):found.start()]:
            bare.append(f"{found[0]} in …{text[max(0, found.start() - 30):found.end() + 30]!r}…")
    return bare


def region_names(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from registry.regions.services import region_index

    with db.read() as session:
        return {r.code: r.name for r in region_index(session).by_id.values()}


def make_data(client, db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A request at stage 2 with flags and a decision (its ledger entry too), a rejected one (public), a report."""
    clerk, reviewer = bearer(db, "yjj_clerk"), bearer(db, "mzj_reviewer")
    filed = client.post("/api/v1/requests", json=add_body(
        submit=True, funding={"provided": False}, title="建立应急工作群并每日打卡"), headers=clerk)
    assert filed.status_code == 201, filed.text
    decided = client.post(f"/api/v1/requests/{filed.json()['id']}/decision",
                          json={"decision": "approve", "reason": "符合规定，同意"}, headers=reviewer)
    assert decided.status_code == 200, decided.text
    other = client.post("/api/v1/requests", json=add_body(submit=True, title="组织村民观看防灾宣传片"), headers=clerk)
    assert other.status_code == 201, other.text
    rejected = client.post(f"/api/v1/requests/{other.json()['id']}/decision",
                           json={"decision": "reject", "reason": "不属于村（社区）职责"}, headers=reviewer)
    assert rejected.status_code == 200, rejected.text
    report = file_report(client, bearer(db, "lucun_cadre"))
    draft = client.post("/api/v1/requests", json=add_body(title="整理村级应急物资台账"), headers=clerk)
    assert draft.status_code == 201, draft.text
    meeting = client.post("/api/v1/meetings", headers=clerk, json={
        "title": "安全生产工作部署会", "held_on": (today() + timedelta(days=7)).isoformat(),
        "audience": [{"region_code": VILLAGE, "attendee": "main_leader"}]})
    assert meeting.status_code == 201, meeting.text
    head = client.get("/api/v1/ledger", params={"after": 0, "limit": 1000}).json()["entries"]
    duty = client.get(f"/api/v1/regions/{VILLAGE}/duties").json()["duties"][0]["code"]
    secondments = client.get("/api/v1/secondments").json()
    return {
        "request": str(filed.json()["id"]), "rejected": str(other.json()["id"]), "report": str(report["id"]),
        "draft": str(draft.json()["id"]), "seq": str(head[-1]["seq"]), "duty": duty,
        "meeting": str(meeting.json()["id"]),
        "secondment": str(secondments["items"][0]["id"]) if secondments.get("items") else "1",
    }


def concrete_paths(route: str, data: dict[str, str]) -> list[str]:
    """The route with its parameters filled; an unknown parameter fails (add it here)."""
    month = today().strftime("%Y-%m")
    fill = {
        "{code:str}": {"/forms/": "F014", "/duties/": data["duty"], "/secondments/towns/": TOWN}.get(
            next((p for p in ("/forms/", "/duties/", "/secondments/towns/") if route.startswith(p)), ""), VILLAGE),
        "{request_id:int}": data["request"], "{report_id:int}": data["report"], "{seq:int}": data["seq"],
        "{meeting_id:int}": data["meeting"], "{secondment_id:int}": data["secondment"],
        "{year:int}": str(today().year), "{village:str}": VILLAGE, "{period:str}": month, "{user_id:int}": "2",
        "{file_id:int}": "1",
    }
    if route.startswith("/requests/{request_id:int}/"):  # edit pages: a draft
        fill["{request_id:int}"] = data["draft"]
    path = route
    for name, value in fill.items():
        path = path.replace(name, value)
    assert "{" not in path, f"fill the parameters of {route} in tests/web/test_labels.py"
    paths = [path]
    if route == "/requests/{request_id:int}":
        paths.append(route.replace("{request_id:int}", data["rejected"]))
    if route == "/ledger/{seq:int}":
        paths.append(route.replace("{seq:int}", str(int(data["seq"]) - 1)))
    return paths


def page_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    found = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            http_get = "GET" in getattr(handler, "http_methods", ())
            if http_get and not route.path.startswith("/api/") and not SKIPPED.search(route.path):
                found.add(route.path)
    return sorted(found)


@pytest.mark.parametrize("language", ["zh-Hans", "en"])
def test_every_page_shows_labels_not_codes(app, client, db, language):
    data = make_data(client, db)
    names = region_names(db)
    routes = page_routes(app)
    problems: list[str] = []
    seen_anonymous: set[str] = set()
    rendered: set[str] = set()
    for role in ("anonymous", *ACCOUNTS):
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, ACCOUNTS[role], *([ADMIN_PASSWORD] if role == "admin" else []))
        for route in routes:
            if role != "anonymous" and route in seen_anonymous and route not in PER_ROLE:
                continue
            for path in concrete_paths(route, data):
                response = client.get(path, params={"lang": language}, follow_redirects=False)
                if response.status_code != 200 or not response.headers["content-type"].startswith("text/html"):
                    continue
                rendered.add(route)
                if role == "anonymous":
                    seen_anonymous.add(route)
                text = ACCOUNT_NAMES.sub("", visible_text(response.text))
                for leak in raw_values(text, language):
                    problems.append(f"{role} {path}: raw value {leak}")
                for code in bare_region_codes(text, names):
                    problems.append(f"{role} {path}: region code without its name {code}")
                if language == "zh-Hans":
                    for msgid in untranslated(text):
                        problems.append(f"{role} {path}: untranslated {msgid!r}")
    assert set(routes) - rendered <= REDIRECTS, f"pages no one could open: {sorted(set(routes) - rendered - REDIRECTS)}"
    assert not problems, "\n".join(sorted(set(problems)))
