"""The seed's form register (seed/indicators.csv, seed/forms.csv), carried by the seed duties' `duty.added`
entries: each duty's entry holds its forms and the indicators they use first, so the replay rebuilds it."""

import csv
from pathlib import Path

from registry.choices import FormPeriod, IndicatorType
from registry.forms.register import FORMS_KEY, INDICATORS_KEY


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def seed_register_payloads(seed_dir: Path, duty_order: list[str]) -> dict[str, dict]:
    """Duty code → the `forms` and new `indicators` its `duty.added` entry carries (absent: no forms)."""
    if not (seed_dir / "forms.csv").exists():
        return {}
    indicators = {}
    for row in _rows(seed_dir / "indicators.csv"):
        kind = IndicatorType(row["type"])
        choices = row["choices"].split("|") if kind == IndicatorType.CHOICE and row["choices"] else []
        indicators[row["code"]] = {"code": row["code"], "name": row["name"], "unit": row["unit"], "type": kind.value,
                                   "choices": choices, "definition": row["definition"]}
    by_duty: dict[str, list[dict]] = {}
    for row in _rows(seed_dir / "forms.csv"):
        codes = row["indicators"].split()
        unknown = [c for c in codes if c not in indicators]
        if unknown:
            raise ValueError(f"form {row['code']}: unknown indicators {unknown}")
        by_duty.setdefault(row["duty_code"], []).append({
            "code": row["code"], "title": row["title"], "department": row["department"],
            "duty_code": row["duty_code"], "period": FormPeriod(row["period"]).value, "indicators": codes})
    payloads: dict[str, dict] = {}
    introduced: set[str] = set()
    for duty_code in duty_order:
        forms = by_duty.pop(duty_code, [])
        if not forms:
            continue
        new = [code for form in forms for code in form["indicators"] if code not in introduced]
        new = list(dict.fromkeys(new))
        introduced.update(new)
        payloads[duty_code] = {INDICATORS_KEY: [indicators[c] for c in new], FORMS_KEY: forms}
    if by_duty:
        raise ValueError(f"forms of duties not in the seed catalog: {sorted(by_duty)}")
    return payloads
