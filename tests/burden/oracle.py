"""An independent oracle for BURDEN: plain sums over DUTY JSON, written from the contract's words."""

from decimal import Decimal

FILINGS = {"once": 1, "yearly": 1, "quarterly": 4, "monthly": 12, "weekly": 52, "daily": 365, "as_needed": 0}
NOT_PERFORMED = {"prohibited", "certificate_prohibited"}
LISTS = ["ledgers", "reports", "apps", "signboards", "wall_rules", "assessments", "campaigns"]
FIELDS = ["duties", "ledgers", "reports", "filings_per_year", "apps", "signboards", "wall_rules", "assessments",
          "campaigns", "meetings_per_year", "hours_per_month"]
CATEGORIES = ["self_governance", "assisting", "prohibited", "certificate_allowed", "certificate_prohibited",
              "signboard", "mechanism", "campaign"]


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def oracle_totals(duties: list[dict]) -> dict:
    sums = {name: Decimal(0) for name in FIELDS}
    for duty in duties:
        if duty["category"] in NOT_PERFORMED:
            continue
        sums["duties"] += 1
        for name in LISTS:
            sums[name] += len(duty["burdens"][name])
        sums["filings_per_year"] += len(duty["burdens"]["reports"]) * FILINGS[duty["frequency"]]
        sums["meetings_per_year"] += duty["burdens"]["meetings_per_year"]
        sums["hours_per_month"] += Decimal(str(duty["hours_per_month"]))
    return {name: number(value) for name, value in sums.items()}


def region_list(duties: list[dict], region: dict, chain: list[str]) -> list[dict]:
    """chain: codes of the region and its ancestors. Villages filter applies_to by kind."""
    fits = {"village": {"all", "village"}, "community": {"all", "community"}}.get(region["kind"])
    return [d for d in duties if d["scope_code"] in chain and (fits is None or d["applies_to"] in fits)]


def median(values: list) -> int | float:
    ordered = sorted(Decimal(str(v)) for v in values)
    n = len(ordered)
    middle = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return number(middle)


def oracle_burden(duties: list[dict], region: dict, chain: list[str], villages: list[tuple[dict, list[str]]]) -> dict:
    own = region_list(duties, region, chain)
    by_department: dict[str, list[dict]] = {}
    for duty in own:
        by_department.setdefault(duty["department"]["code"], []).append(duty)
    names = {d["department"]["code"]: d["department"]["name"] for d in own}
    result = {
        "totals": oracle_totals(own),
        "by_category": {c: sum(1 for d in own if d["category"] == c) for c in CATEGORIES},
        "by_department": [{"code": code, "name": names[code], "totals": oracle_totals(by_department[code])}
                          for code in sorted(by_department)],
    }
    if region["level"] != "village":
        rows = [(v, oracle_totals(region_list(duties, v, c))) for v, c in villages]
        result["villages"] = {
            "count": len(rows),
            "min": {f: min(t[f] for _, t in rows) for f in FIELDS},
            "median": {f: median([t[f] for _, t in rows]) for f in FIELDS},
            "max": {f: max(t[f] for _, t in rows) for f in FIELDS},
            "heaviest": [{"code": v["code"], "name": v["name"], "totals": t}
                         for v, t in sorted(rows, key=lambda r: (-Decimal(str(r[1]["hours_per_month"])),
                                                                  r[0]["code"]))[:10]],
        }
    return result
