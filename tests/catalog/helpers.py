"""Independent oracles over the public API: all duties (by paging the search) and the region tree."""

from registry.catalog.schemas import DutyContent
from registry.catalog.services import record_change


def all_duties(client, status: str = "active") -> list[dict]:
    items, page = [], 1
    while True:
        data = client.get("/api/v1/duties", params={"status": status, "per_page": 100, "page": page}).json()
        items += data["items"]
        if page * data["per_page"] >= data["total"]:
            return items
        page += 1


def region_tree(client, root: str = "330122000000") -> dict[str, dict]:
    """code → REGION (with children codes), walked through GET /api/v1/regions/{code}."""
    regions, todo = {}, [root]
    while todo:
        data = client.get(f"/api/v1/regions/{todo.pop()}").json()
        regions[data["code"]] = data
        todo += [c["code"] for c in data["children"]]
    return regions


def expected_codes(region: dict, regions: dict[str, dict], duties: list[dict],
                   category: str | None = None) -> list[str]:
    """The ancestor-and-kind rule, written from the contract's words."""
    chain, code = set(), region["code"]
    while code:
        chain.add(code)
        code = regions[code]["parent_code"]
    fits = {"all", "village"} if region["kind"] == "village" else {"all", "community"}
    return sorted(
        d["code"] for d in duties
        if d["scope_code"] in chain and (region["level"] != "village" or d["applies_to"] in fits)
        and (category is None or d["category"] == category)
    )


def content(**changes) -> DutyContent:
    base = {
        "title": "测试事项", "description": "用于测试的事项说明。", "category": "assisting", "applies_to": "all",
        "scope_code": "330122000000", "department": "MZJ", "legal_basis": "《测试条例》第一条",
        "frequency": "monthly", "hours_per_month": 2.5, "funding": {"provided": True, "amount_yuan_per_year": 1000},
        "burdens": {"ledgers": ["测试台账"], "reports": ["月报"]},
    }
    base.update(changes)
    return DutyContent.model_validate(base)


def change(db, kind: str, code: str | None = None, **changes):  # type: ignore[no-untyped-def]
    """Change the catalog the only way it changes: record_change inside one write transaction."""
    with db.write() as session:
        if kind == "retired":
            return record_change(session, "retired", duty_code=code)[2].seq
        return record_change(session, kind, content(**changes), duty_code=code)[2].seq
