"""公示: `GET /api/v1/requests` and `/requests` list decided requests (with decisions and reasons) for everyone,
undecided ones only for those who may see them; checked against an oracle over every request row."""

import itertools

import pytest
from sqlmodel import select

from registry.admission.models import AdmissionRequest
from registry.regions.models import Department
from tests.admission.helpers import add_body
from tests.conftest import bearer, sign_in

CALLERS = ("anonymous", "lucun_cadre", "fwb_office", "yjj_clerk", "nyj_clerk", "mzj_reviewer", "admin")
DECIDED = {"approved", "rejected"}


def decide(client, db, who, request_id, decision="approve", reason="符合规定"):  # type: ignore[no-untyped-def]
    answer = client.post(f"/api/v1/requests/{request_id}/decision", json={"decision": decision, "reason": reason},
                         headers=bearer(db, who))
    assert answer.status_code == 200, answer.text
    return answer.json()


def file(client, db, who, title, submit=True):  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/requests", json=add_body(title=title, submit=submit), headers=bearer(db, who))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


@pytest.fixture
def requests_in_every_state(client, db):  # type: ignore[no-untyped-def]
    file(client, db, "yjj_clerk", "应急草稿事项", submit=False)
    file(client, db, "yjj_clerk", "应急待审事项")
    returned = file(client, db, "yjj_clerk", "应急退回事项")
    decide(client, db, "mzj_reviewer", returned, "return", "请补充依据")
    withdrawn = file(client, db, "yjj_clerk", "应急撤回事项")
    assert client.post(f"/api/v1/requests/{withdrawn}/withdraw", headers=bearer(db, "yjj_clerk")).status_code == 200
    approved = file(client, db, "yjj_clerk", "应急准入事项")
    decide(client, db, "mzj_reviewer", approved, reason="实质审查同意")
    decide(client, db, "sfj_reviewer", approved, reason="合法性审查同意")
    rejected = file(client, db, "nyj_clerk", "农业不予准入事项")
    decide(client, db, "zzb_reviewer", rejected, "reject", "属于负面清单事项")
    file(client, db, "nyj_clerk", "农业草稿事项", submit=False)
    half = file(client, db, "nyj_clerk", "农业一审通过事项")
    decide(client, db, "mzj_reviewer", half, reason="同意进入合法性审查")
    mzj = file(client, db, "mzj_clerk", "民政不予准入事项")
    decide(client, db, "zzb_reviewer", mzj, "reject", "与现行事项重复")


def oracle(db, caller: str, state: str | None, department: str | None, year: int | None) -> list[int]:
    """Who may list what, from the rows and the contract's words alone; newest first."""
    with db.read() as session:
        departments = {d.id: d.code for d in session.exec(select(Department))}
        rows = list(session.exec(select(AdmissionRequest)))
    own = {"yjj_clerk": "YJJ", "nyj_clerk": "NYJ"}

    def may(r: AdmissionRequest) -> bool:
        if caller in own:
            return departments[r.department_id] == own[caller]
        if caller in ("mzj_reviewer", "admin"):
            return r.state != "draft"
        return r.state in DECIDED

    chosen = [r for r in rows if may(r) and (state is None or r.state == state)
              and (department is None or departments[r.department_id] == department)
              and (year is None or r.number.startswith(f"ZR-{year}-"))]
    chosen.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    return [r.id for r in chosen]  # type: ignore[misc]


def test_the_list_matches_the_oracle_for_every_caller_and_filter(client, db, requests_in_every_state):
    with db.read() as session:
        year = int(session.exec(select(AdmissionRequest.number)).first()[3:7])  # type: ignore[index]
    states = (None, "approved", "rejected", "submitted", "draft", "returned", "withdrawn")
    tokens = {caller: {} if caller == "anonymous" else bearer(db, caller) for caller in CALLERS}
    expectations = {}
    for caller, state, department, when in itertools.product(CALLERS, states, (None, "YJJ", "NYJ", "MZJ", "XXX"),
                                                             (None, year, 2001)):
        query = {k: v for k, v in {"state": state, "department": department, "year": when}.items() if v is not None}
        answer = client.get("/api/v1/requests", params={**query, "per_page": 100}, headers=tokens[caller])
        assert answer.status_code == 200, (caller, query, answer.text)
        key = (caller, state, department, when)
        expected = expectations[key] = expectations.get(key) or oracle(db, caller, state, department, when)
        got = answer.json()
        assert [i["id"] for i in got["items"]] == expected, (caller, query)
        assert got["total"] == len(expected)


def test_anonymous_callers_read_decisions_and_reasons_page_by_page(client, db, requests_in_every_state):
    expected = oracle(db, "anonymous", None, None, None)
    assert len(expected) == 3
    seen = []
    for number in (1, 2):
        got = client.get("/api/v1/requests", params={"per_page": 2, "page": number}).json()
        assert got["total"] == 3 and got["page"] == number and got["per_page"] == 2
        seen += got["items"]
    assert [i["id"] for i in seen] == expected
    reasons = {d["reason"] for item in seen for d in item["decisions"]}
    assert reasons == {"实质审查同意", "合法性审查同意", "属于负面清单事项", "与现行事项重复"}
    for item in seen:
        assert all(d["department"]["code"] for d in item["decisions"])
        assert "author" not in item and "reviewer" not in str(item["decisions"])


@pytest.mark.parametrize("query", ["state=approve", "year=abc", "year=99999", "page=0", "per_page=101",
                                   "department=" + "X" * 33])
def test_bad_filters_are_400(client, query):
    assert client.get(f"/api/v1/requests?{query}").status_code == 400


def test_the_page_shows_decided_requests_to_everyone(client, db, requests_in_every_state):
    page = client.get("/requests")
    assert page.status_code == 200
    for shown in ("应急准入事项", "农业不予准入事项", "民政不予准入事项", "实质审查同意", "属于负面清单事项"):
        assert shown in page.text, shown
    for hidden in ("应急草稿事项", "应急待审事项", "应急退回事项", "应急撤回事项", "农业一审通过事项", "请补充依据"):
        assert hidden not in page.text, hidden
    rejected = client.get("/requests?state=rejected&department=NYJ")
    assert "农业不予准入事项" in rejected.text and "民政不予准入事项" not in rejected.text
    assert "应急准入事项" not in rejected.text
    assert "No decided requests" in client.get("/requests?year=2001&lang=en").text
    sign_in(client, "mzj_reviewer")
    signed_in = client.get("/requests")
    assert "应急准入事项" in signed_in.text and "农业一审通过事项" not in signed_in.text  # the 公示 list only
