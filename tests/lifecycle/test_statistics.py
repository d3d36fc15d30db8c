"""The year's figures (contract §7) equal an independent recomputation from `GET /api/v1/ledger`, the request
list and the seed's region and holiday files, over a random year of activity (adds approved, rejected, returned
and refiled, withdrawn, left waiting; retirements; renewals; lapses by the daily job)."""

import csv
import random
from datetime import UTC, date, datetime, timedelta
from statistics import median

import pytest
from openpyxl import load_workbook

from registry.lifecycle.job import run_daily_job
from tests.admission.helpers import COUNTY, VILLAGE, add_body
from tests.conftest import ROOT
from tests.lifecycle.flows import today, tokens_for, years_ahead

SHANGHAI_OFFSET = timedelta(hours=8)
FILINGS = {"once": 1, "yearly": 1, "quarterly": 4, "monthly": 12, "weekly": 52, "daily": 365, "as_needed": 0}
LISTS = ("ledgers", "reports", "apps", "signboards", "wall_rules", "assessments", "campaigns")
PERFORMED = {"self_governance", "assisting", "certificate_allowed", "signboard", "mechanism", "campaign"}
CATEGORIES = ("self_governance", "assisting", "prohibited", "certificate_allowed", "certificate_prohibited",
              "signboard", "mechanism", "campaign")
FIT = {"village": {"all", "village"}, "community": {"all", "community"}}


# ---------------------------------------------------------------- the random year

def decide(client, tokens, who, request_id, decision, exemption=False):  # type: ignore[no-untyped-def]
    body = {"decision": decision, "reason": "审查意见"}
    if exemption:
        body["exemption_reason"] = "县委常委会研究同意"
    response = client.post(f"/api/v1/requests/{request_id}/decision", json=body, headers=tokens[who])
    assert response.status_code == 200, response.text
    return response.json()


def approve_all(client, tokens, item) -> dict:  # type: ignore[no-untyped-def]
    decide(client, tokens, "zzb_reviewer", item["id"], "approve")
    flagged = {f["kind"] for f in client.get(f"/api/v1/requests/{item['id']}", headers=tokens["admin"]).json()["flags"]}
    return decide(client, tokens, "sfj_reviewer", item["id"], "approve", bool(flagged & {"no_funding", "over_budget"}))


def random_add(rng: random.Random, n: int) -> dict:
    category = rng.choice(CATEGORIES)
    changes = {
        "title": f"随机事项{n}号：{rng.choice(['巡查', '统计', '培训', '宣传', '登记'])}{rng.randint(1, 10**6)}",
        "category": category,
        "applies_to": rng.choice(["all", "village", "community"]),
        "scope_code": rng.choice([COUNTY, "330122113000", VILLAGE]),
        "frequency": rng.choice(list(FILINGS)),
        "hours_per_month": rng.randint(0, 80) / 10,
        "funding": {"provided": rng.random() < 0.6, "amount_yuan_per_year": 0, "source": ""},
        "burdens": {name: [f"{name}{i}" for i in range(rng.randint(0, 2))] for name in LISTS}
        | {"meetings_per_year": rng.randint(0, 6)},
    }
    if category == "campaign" or rng.random() < 0.2:
        changes["ends_on"] = "2028-12-31"
    return add_body(**changes)


def a_year_of_activity(client, db, settings, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    tokens = tokens_for(db)
    clerks = ["yjj_clerk", "nyj_clerk", "mzj_clerk"]
    for n in range(rng.randint(8, 12)):
        clerk = rng.choice(clerks)
        filed = client.post("/api/v1/requests", json={**random_add(rng, n), "submit": rng.random() < 0.9},
                            headers=tokens[clerk])
        assert filed.status_code == 201, filed.text
        item = filed.json()
        if item["state"] == "draft":
            continue
        fate = rng.choice(["approve", "approve", "reject", "return", "withdraw", "wait", "reject_late"])
        reviewer = "mzj_reviewer" if clerk != "mzj_clerk" else "zzb_reviewer"
        if fate == "approve":
            approve_all(client, tokens, item)
        elif fate == "reject":
            decide(client, tokens, reviewer, item["id"], "reject")
        elif fate == "reject_late":
            decide(client, tokens, reviewer, item["id"], "approve")
            decide(client, tokens, "sfj_reviewer", item["id"], "reject")
        elif fate == "return":
            decide(client, tokens, reviewer, item["id"], "return")
            again = client.post(f"/api/v1/requests/{item['id']}/submit", headers=tokens[clerk])
            assert again.status_code == 200, again.text
            if rng.random() < 0.5:
                approve_all(client, tokens, item)
        elif fate == "withdraw":
            assert client.post(f"/api/v1/requests/{item['id']}/withdraw", headers=tokens[clerk]).status_code == 200
    # Retirements and renewals of seed duties; then the daily job, with its clock past the seed's review dates.
    for clerk, department in (("yjj_clerk", "YJJ"), ("nyj_clerk", "NYJ")):
        owned = client.get("/api/v1/duties", params={"department": department, "per_page": 100}).json()["items"]
        retire, renew = rng.sample(owned, 2)
        item = client.post("/api/v1/requests", json={"kind": "retire", "duty_code": retire["code"],
                                                     "justification": "已无必要", "submit": True},
                           headers=tokens[clerk]).json()
        approve_all(client, tokens, item)
        item = client.post("/api/v1/requests", json={"kind": "renew", "duty_code": renew["code"],
                                                     "justification": "继续保留", "submit": True,
                                                     "review_by": years_ahead(today(), 3).isoformat()},
                           headers=tokens[clerk]).json()
        approve_all(client, tokens, item)
    for village in rng.sample(["330122113201", "330122113202", "330122113203", "330122113204", "330122113205"], 3):
        assert client.post("/api/v1/ratings", json={"year": today().year, "department": "MZJ",
                                                    "score": rng.randint(1, 5), "region_code": village},
                           headers=tokens["jiangnan_cadre"]).status_code == 201
    run_daily_job(db, date(2029, 1, 1) + timedelta(days=rng.randint(90, 95)), settings)


# ---------------------------------------------------------------- the independent recomputation

def everything(client, path, headers=None, key="items") -> list:  # type: ignore[no-untyped-def]
    found, page = [], 1
    while True:
        body = client.get(path, params={"page": page, "per_page": 100}, headers=headers).json()
        found += body[key]
        if page * 100 >= body["total"]:
            return found
        page += 1


def ledger(client) -> list[dict]:  # type: ignore[no-untyped-def]
    entries, after = [], 0
    while batch := client.get("/api/v1/ledger", params={"after": after, "limit": 1000}).json()["entries"]:
        entries += batch
        after = batch[-1]["seq"]
    return entries


def local_day(stamp: str) -> date:
    return (datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC) + SHANGHAI_OFFSET).date()


def year_start(year: int) -> str:
    return f"{year - 1}-12-31T16:00:00.000000Z"


def working_days(start: date, end: date) -> int:
    special = {row["date"]: row["kind"] for row in csv.DictReader((ROOT / "seed" / "holidays.csv").open())}
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        kind = special.get(day.isoformat())
        count += kind == "workday" or (kind != "holiday" and day.weekday() < 5)
    return count


def replay(entries: list[dict], edition: int) -> dict[str, dict]:
    catalog = {}
    for entry in entries:
        if entry["seq"] <= edition and entry["kind"].startswith("duty."):
            catalog[entry["payload"]["duty"]["code"]] = entry["payload"]["duty"]
    return {code: duty for code, duty in catalog.items() if duty["status"] == "active"}


def median_village(catalog: dict[str, dict]) -> dict[str, float]:
    regions = {row["code"]: row for row in csv.DictReader((ROOT / "seed" / "regions.csv").open())}

    def chain(code: str) -> set[str]:
        found = set()
        while code:
            found.add(code)
            code = regions[code]["parent_code"]
        return found

    rows = []
    for code, region in regions.items():
        if region["level"] != "village":
            continue
        scopes = chain(code)
        totals = dict.fromkeys(("duties", *LISTS, "filings_per_year", "meetings_per_year", "hours_per_month"), 0.0)
        for duty in catalog.values():
            if duty["scope_code"] in scopes and duty["applies_to"] in FIT[region["kind"]] \
                    and duty["category"] in PERFORMED:
                totals["duties"] += 1
                for name in LISTS:
                    totals[name] += len(duty["burdens"][name])
                totals["filings_per_year"] += len(duty["burdens"]["reports"]) * FILINGS[duty["frequency"]]
                totals["meetings_per_year"] += duty["burdens"]["meetings_per_year"]
                totals["hours_per_month"] += duty["hours_per_month"]
        rows.append(totals)
    return {name: median([row[name] for row in rows]) for name in rows[0]}


def recompute(client, tokens, year: int) -> dict:  # type: ignore[no-untyped-def]
    entries = [e for e in ledger(client) if e["kind"].startswith("duty.")]
    start = max((e["seq"] for e in entries if e["recorded_at"] < year_start(year)), default=0)
    end = max((e["seq"] for e in entries if e["recorded_at"] < year_start(year + 1)), default=0)
    catalogs = {"start": replay(entries, start), "end": replay(entries, end)}
    changes = dict.fromkeys(("added", "amended", "retired", "lapsed", "ended"), 0)
    for entry in entries:
        if year_start(year) <= entry["recorded_at"] < year_start(year + 1):
            kind = entry["kind"].split(".")[1]
            changes[entry["payload"].get("retired_because", kind)] += 1
    requests = [r for r in everything(client, "/api/v1/requests", tokens["admin"])
                if r["submitted_at"] and local_day(r["submitted_at"]).year == year]
    decided = [r for r in requests if r["state"] in ("approved", "rejected")]
    days = [working_days(local_day(r["submitted_at"]), local_day(r["decisions"][-1]["at"])) for r in decided]
    departments = {}
    for r in requests:
        row = departments.setdefault(r["department"]["code"], {"filed": 0, "approved": 0, "rejected": 0})
        row["filed"] += 1
        row["approved"] += r["state"] == "approved"
        row["rejected"] += r["state"] == "rejected"
    active = {}
    for duty in catalogs["end"].values():
        active[duty["department"]["code"]] = active.get(duty["department"]["code"], 0) + 1
    names = {d["code"]: d["name"] for d in client.get("/api/v1/departments").json()}
    return {
        "catalog": {key: {"edition": edition, "active": len(catalog),
                          "by_category": {c: sum(d["category"] == c for d in catalog.values()) for c in CATEGORIES}}
                    for (key, catalog), edition in zip(catalogs.items(), (start, end), strict=True)},
        "changes": changes,
        "requests": {
            "filed": len(requests),
            "approved": sum(r["state"] == "approved" for r in requests),
            "rejected": sum(r["state"] == "rejected" for r in requests),
            "returned": sum(any(d["decision"] == "return" for d in r["decisions"]) for r in requests),
            "withdrawn": sum(r["state"] == "withdrawn" for r in requests),
            "exemptions": sum(r["state"] == "approved" and any(d["exemption_reason"] for d in r["decisions"])
                              for r in requests),
            "median_working_days_to_decision": median(days) if days else None,
            "decided_late": sum(r["decisions"][-1]["at"] > r["due_at"] for r in decided),
        },
        "by_department": [{"code": code, "name": names[code], **departments.get(code, dict.fromkeys(
            ("filed", "approved", "rejected"), 0)), "active_duties": active.get(code, 0)}
            for code in sorted(set(departments) | set(active))],
        "burden": {"start": median_village(catalogs["start"]), "end": median_village(catalogs["end"])},
        "ratings": client.get("/api/v1/ratings/summary", params={"year": year}).json(),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_the_years_figures_equal_a_recomputation_from_the_public_record(client, db, settings, seed):
    a_year_of_activity(client, db, settings, seed)
    year = today().year
    tokens = tokens_for(db)
    served = client.get(f"/api/v1/statistics/{year}")
    assert served.status_code == 200, served.text
    stats = served.json()
    expected = recompute(client, tokens, year)
    assert stats["year"] == year
    for key in ("catalog", "changes", "requests", "by_department", "ratings"):
        assert stats[key] == expected[key], key
    for moment in ("start", "end"):
        assert stats["burden"][moment] == pytest.approx(expected["burden"][moment], abs=0.01), moment
    assert stats["changes"]["lapsed"] > 0 and stats["requests"]["filed"] > 0
    start, end, changes = stats["catalog"]["start"], stats["catalog"]["end"], stats["changes"]
    assert start["active"] + changes["added"] - changes["retired"] - changes["lapsed"] - changes["ended"] \
        == end["active"]
    assert set(stats["reports"]) >= {"collected", "resolved", "advanced", "open", "dismissed", "overdue"}
    assert stats["reports"] == client.get("/api/v1/reports/stats", params={"year": year}).json()
    assert stats["by_month"][-1]["active"] == end["active"]


def test_a_year_before_the_catalog_is_empty(client):
    stats = client.get("/api/v1/statistics/2001").json()
    assert stats["catalog"]["start"]["active"] == stats["catalog"]["end"]["active"] == 0
    assert stats["requests"]["filed"] == 0 and stats["requests"]["median_working_days_to_decision"] is None
    assert stats["burden"]["end"]["duties"] == 0
    assert client.get("/api/v1/statistics/1999").status_code == 400


def test_the_page_and_the_workbook(client):
    year = today().year
    page = client.get(f"/statistics/{year}")
    assert page.status_code == 200 and f"/statistics/{year}/export.xlsx" in page.text
    book = client.get(f"/statistics/{year}/export.xlsx")
    assert book.status_code == 200
    import io

    sheets = load_workbook(io.BytesIO(book.content)).worksheets
    assert len(sheets) == 5 and sheets[0].max_row > 10  # four parts, then the edition stamp
