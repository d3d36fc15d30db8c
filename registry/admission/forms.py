"""The request form: a posted form turned into the JSON body's shape and back, and validation problems mapped
onto form fields. Every content field comes from the one list (registry.catalog.schemas.CONTENT_FIELDS)."""

import re
import unicodedata
from decimal import Decimal

from registry.admission.schemas import RequestPublic
from registry.catalog.schemas import CONTENT_FIELDS
from registry.choices import BURDEN_LISTS, ECHOING_KINDS, RequestKind
from registry.errors import Invalid
from registry.i18n import first_problem_of_each_input

# Nested body fields and the form inputs that carry them.
FIELD_FOR = {
    "funding.provided": "funding_provided",
    "funding.amount_yuan_per_year": "funding_amount",
    "funding.source": "funding_source",
    "burdens.meetings_per_year": "meetings_per_year",
}
NESTED = ("funding", "burdens")
FUNDING_CHOICES = {"1": True, "0": False}
# Units people type after a number (input syntax, not text shown to anyone): 元 and 万 (ten thousand).
YUAN, WAN = chr(0x5143), chr(0x4E07)
AMOUNT = re.compile(r"\d{1,15}(\.\d{1,4})?")
# The request's fields that a form carries as one text input each.
PLAIN_CONTENT_KEYS = tuple(name for name in CONTENT_FIELDS if name not in NESTED)
PLAIN_FORM_KEYS = ("duty_code", *PLAIN_CONTENT_KEYS, "justification", "start_date", "review_by")


def parse_amount(text: str) -> int | str:
    """Yuan as people write them: "3000", "3,000", "３，０００", "3万", "1.5万", "2000元". An empty field is 0;
    anything else is returned as typed, so that validation names the field."""
    plain = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")  # NFKC: ，→ ,
    plain = plain.removesuffix(YUAN)
    if not plain:
        return 0
    scale = 1
    if plain.endswith(WAN):
        plain, scale = plain[:-1], 10_000
    if not AMOUNT.fullmatch(plain):
        return text
    value = Decimal(plain) * scale
    return int(value) if value == value.to_integral_value() else text


def form_field(path: str) -> str:
    """The form input that carries the body field at *path* (a dotted path from validation)."""
    if path in FIELD_FOR:
        return FIELD_FOR[path]
    parts = path.split(".")
    if parts[0] == "burdens" and len(parts) > 1:
        return parts[1]
    return parts[0]


def errors_by_field(exc: Invalid) -> dict[str, str]:
    """The first problem of each form input, in the reader's language."""
    return first_problem_of_each_input(exc.problems, form_field)


def body_from_form(values: dict[str, str], offsets: list[str], kind: str) -> dict:
    """The same shape as the JSON body; empty fields are missing. Amend/retire keep the duty's values for blanks."""
    text = {k: (values.get(k) or "").strip() for k in values}
    body: dict = {}
    for name in PLAIN_FORM_KEYS:
        body[name] = text.get(name) or None
    body["funding"] = {
        # Two radio buttons, neither chosen at first: funding must be stated, yes or no (contract §2).
        "provided": FUNDING_CHOICES.get(values.get("funding_provided") or ""),
        "amount_yuan_per_year": parse_amount(text.get("funding_amount", "")),
        "source": text.get("funding_source", ""),
    }
    burdens: dict = {n: [line.strip() for line in text.get(n, "").splitlines() if line.strip()] for n in BURDEN_LISTS}
    burdens["meetings_per_year"] = text.get("meetings_per_year") or 0
    body["burdens"] = burdens
    body["offsets"] = [o.strip() for o in offsets if o.strip()]
    if kind in (RequestKind.AMEND, *ECHOING_KINDS):
        if body["funding"]["provided"] is None:
            body["funding"] = None
        for name in CONTENT_FIELDS:
            if body.get(name) is None:
                body.pop(name, None)
    return body


def funding_choice(provided: bool | None) -> str:
    """The funding radio button to check: "1" yes, "0" no, "" not stated."""
    return "" if provided is None else ("1" if provided else "0")


def form_values(item: RequestPublic | None, funding_provided: bool | None = None) -> dict:
    """Form field values from a REQUEST (for editing; *funding_provided* as stored, None = not stated);
    a new add request when None."""
    if item is None:
        return {"kind": RequestKind.ADD.value, "funding_provided": ""}
    values = {k: ("" if getattr(item, k) is None else getattr(item, k)) for k in ("kind", *PLAIN_FORM_KEYS)}
    values.update(
        funding_provided=funding_choice(funding_provided),
        funding_amount=item.funding.amount_yuan_per_year,
        funding_source=item.funding.source,
        meetings_per_year=item.burdens.meetings_per_year,
    )
    for name in BURDEN_LISTS:
        values[name] = "\n".join(getattr(item.burdens, name))
    values["offsets"] = [str(o) for o in item.offsets]
    values["row_version"] = item.row_version
    return values
