"""The form register as catalog content: what a `duty.*` ledger payload holds about forms and indicators, how
such a payload enters the tables, and the register rebuilt from the ledger (`registry ledger verify`)."""

import unicodedata
from collections.abc import Iterable

from sqlmodel import Session, select

from registry.catalog.models import Duty
from registry.forms.models import Form, Indicator
from registry.regions.models import Department

INDICATORS_KEY = "indicators"
FORMS_KEY = "forms"


def name_key(name: str) -> str:
    """A name as the duplicate check compares it: NFKC, case-folded, without spaces and punctuation."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")


def indicator_payload(indicator: Indicator) -> dict:
    """An indicator as a ledger payload (and the replay) holds it."""
    return {"code": indicator.code, "name": indicator.name, "unit": indicator.unit, "type": indicator.type,
            "choices": list(indicator.choices or []), "definition": indicator.definition}


def form_payload(form: Form, department_code: str, duty_code: str) -> dict:
    """A form as a ledger payload (and the replay) holds it."""
    return {"code": form.code, "title": form.title, "department": department_code, "duty_code": duty_code,
            "period": form.period, "indicators": list(form.indicators)}


def next_code(codes: Iterable[str], prefix: str) -> str:
    """Codes run I001, I002, … (F001 … for forms); never reused."""
    numbers = [int(c[len(prefix):]) for c in codes if c.startswith(prefix) and c[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers) + 1) if numbers else 1:03d}"


def apply_payload(session: Session, payload: dict, seq: int) -> None:
    """Enter the indicators and forms a ledger payload holds, inside the caller's transaction."""
    for item in payload.get(INDICATORS_KEY) or []:
        session.add(Indicator(code=item["code"], name=item["name"], unit=item["unit"], type=item["type"],
                              choices=list(item["choices"]), definition=item["definition"],
                              name_key=name_key(item["name"]), registered_seq=seq))
    forms = payload.get(FORMS_KEY) or []
    if not forms:
        session.flush()
        return
    departments = {d.code: d.id for d in session.exec(select(Department))}
    duty_ids = {code: duty_id for code, duty_id in session.exec(select(Duty.code, Duty.id).where(
        Duty.code.in_({f["duty_code"] for f in forms})))}  # type: ignore[attr-defined]
    for item in forms:
        session.add(Form(code=item["code"], title=item["title"], department_id=departments[item["department"]],
                         duty_id=duty_ids[item["duty_code"]], period=item["period"],
                         indicators=list(item["indicators"]), registered_seq=seq))
    session.flush()


def current_register(session: Session) -> tuple[dict[str, dict], dict[str, dict]]:
    """The tables' indicators and forms, as payloads, by code."""
    departments = {d.id: d.code for d in session.exec(select(Department))}
    duties = dict(session.exec(select(Duty.id, Duty.code)).all())
    indicators = {i.code: indicator_payload(i) for i in session.exec(select(Indicator))}
    forms = {f.code: form_payload(f, departments[f.department_id], duties[f.duty_id])
             for f in session.exec(select(Form))}
    return indicators, forms


def register_difference(session: Session, replayed: tuple[dict[str, dict], dict[str, dict]]) -> str | None:
    """Why the register differs from its replay, or None when they are equal."""
    current = current_register(session)
    for what, now, then in (("indicator", current[0], replayed[0]), ("form", current[1], replayed[1])):
        for code in sorted(set(now) | set(then)):
            if code not in now:
                return f"{what} {code} is in the ledger but not in the register"
            if code not in then:
                return f"{what} {code} is in the register but not in the ledger"
            if now[code] != then[code]:
                fields = sorted(k for k in set(now[code]) | set(then[code]) if now[code].get(k) != then[code].get(k))
                return f"{what} {code} differs from the ledger in {', '.join(fields)}"
    return None
