"""Forms proposed by admission requests (contract §8): stored with the request, checked for indicators the
dictionary already has (`duplicate_indicator`), counted in the impact, and registered on final approval in
the same transaction as the `duty.*` entry whose payload carries them."""

import msgspec
from sqlmodel import Session, col, select

from registry.catalog.similarity import bigrams, dice
from registry.choices import N_, FlagKind, FormPeriod, IndicatorType
from registry.errors import FieldProblem, Invalid
from registry.forms.models import Form, Indicator, RequestForms
from registry.forms.register import FORMS_KEY, INDICATORS_KEY, name_key, next_code
from registry.forms.schemas import FormIn

CODE = "code"  # the key of a question that reuses an indicator of the dictionary
SIMILAR = 0.75  # bigram Dice of normalised names (低保户数 ~ 低保户的户数); equal names always count
DUPLICATE_INDICATOR_MESSAGE = N_("The proposed indicator “%(name)s” is already in the dictionary as %(code)s "
                                 "“%(existing)s” (%(unit)s): use it instead.")


class QuestionPublic(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One question of a proposed form: an existing indicator's code, or a new indicator."""

    code: str | None = None
    name: str | None = None
    unit: str | None = None
    type: IndicatorType | None = None
    definition: str | None = None
    choices: list[str] | None = None


class ProposedFormPublic(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    period: FormPeriod
    indicators: list[QuestionPublic]


def stored(session: Session, request_id: int | None) -> list[dict]:
    """The forms a request proposes (plain JSON values), [] when none."""
    row = session.get(RequestForms, request_id) if request_id is not None else None
    return list(row.forms) if row else []


def proposed_by_request(session: Session, request_ids: list[int]) -> dict[int, list[ProposedFormPublic]]:
    """The proposed forms of these requests, in one statement."""
    if not request_ids:
        return {}
    rows = session.exec(select(RequestForms).where(col(RequestForms.request_id).in_(request_ids)))
    return {row.request_id: msgspec.convert(row.forms, list[ProposedFormPublic]) for row in rows if row.forms}


def store(session: Session, request_id: int, forms: list[FormIn] | None) -> None:
    """Replace the request's proposed forms; every reused code must be in the dictionary (422 otherwise)."""
    plain = [form.model_dump(exclude_none=True, mode="json") for form in forms or []]
    known = set(session.exec(select(Indicator.code)))
    problems = [FieldProblem(f"forms.{i}.indicators.{j}.code", N_("There is no indicator %(code)s."), code=q[CODE])
                for i, form in enumerate(plain) for j, q in enumerate(form["indicators"])
                if CODE in q and q[CODE] not in known]
    if problems:
        raise Invalid(problems)
    row = session.get(RequestForms, request_id)
    if row is None:
        row = RequestForms(request_id=request_id, forms=plain)
    else:
        row.forms = plain
    session.add(row)
    session.flush()


def _new_questions(forms: list[dict]) -> list[dict]:
    return [q for form in forms for q in form["indicators"] if CODE not in q]


def duplicate_of(question: dict, dictionary: list[Indicator]) -> Indicator | None:
    """The dictionary's indicator a proposed one repeats: the same normalised name and unit, or a similar name
    with the same unit (an empty unit fits any)."""
    key, unit = name_key(question["name"]), question.get("unit") or ""
    best: tuple[float, str, Indicator] | None = None
    for indicator in dictionary:
        same_unit = unit == indicator.unit or not unit or not indicator.unit
        if not same_unit:
            continue
        score = 1.0 if key == indicator.name_key else dice(bigrams(key), bigrams(indicator.name_key))
        if score >= SIMILAR and (best is None or (-score, indicator.code) < (-best[0], best[1])):
            best = (score, indicator.code, indicator)
    return best[2] if best else None


def flags(session: Session, request_id: int | None) -> list[dict]:
    """`duplicate_indicator` for each proposed indicator the dictionary already covers, naming it."""
    questions = _new_questions(stored(session, request_id))
    if not questions:
        return []
    dictionary = list(session.exec(select(Indicator).order_by(col(Indicator.code))))
    found = []
    for question in questions:
        existing = duplicate_of(question, dictionary)
        if existing is not None:
            found.append({"kind": str(FlagKind.DUPLICATE_INDICATOR), "indicator_code": existing.code,
                          "params": {"name": question["name"], "code": existing.code, "existing": existing.name,
                                     "unit": existing.unit}})
    return found


def counts(session: Session, request_id: int | None) -> tuple[int, int]:
    """(new forms, new indicators) the request adds for each village it reaches."""
    forms = stored(session, request_id)
    names = {name_key(q["name"]) for q in _new_questions(forms)}
    return len(forms), len(names)


def register_payload(session: Session, request_id: int | None, duty_code: str, department_code: str) -> dict | None:
    """What the final approval registers, as the `duty.*` payload holds it (codes assigned now); None: nothing."""
    forms = stored(session, request_id)
    if not forms:
        return None
    indicator_codes = list(session.exec(select(Indicator.code)))
    form_codes = list(session.exec(select(Form.code)))
    new_indicators: list[dict] = []
    by_key: dict[str, str] = {}
    registered = []
    for form in forms:
        codes = []
        for question in form["indicators"]:
            if CODE in question:
                codes.append(question[CODE])
                continue
            key = name_key(question["name"]) + "\x1f" + (question.get("unit") or "")
            if key not in by_key:  # the same new indicator on two proposed forms is one indicator
                code = next_code(indicator_codes, "I")
                indicator_codes.append(code)
                by_key[key] = code
                new_indicators.append({"code": code, "name": question["name"], "unit": question.get("unit") or "",
                                       "type": question["type"], "choices": list(question.get("choices") or []),
                                       "definition": question["definition"]})
            codes.append(by_key[key])
        code = next_code(form_codes, "F")
        form_codes.append(code)
        registered.append({"code": code, "title": form["title"], "department": department_code,
                           "duty_code": duty_code, "period": form["period"],
                           "indicators": list(dict.fromkeys(codes))})
    return {INDICATORS_KEY: new_indicators, FORMS_KEY: registered}
