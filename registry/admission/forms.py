"""The request form: reading a posted form, turning it into the JSON body's shape and back, and mapping
validation problems onto form fields."""

from litestar import Request

from registry.choices import BURDEN_LISTS, RequestKind
from registry.errors import Invalid
from registry.web.errors import translated_problems

FIELD_FOR = {
    "funding.provided": "funding_provided",
    "funding.amount_yuan_per_year": "funding_amount",
    "funding.source": "funding_source",
    "burdens.meetings_per_year": "meetings_per_year",
}
# The request's fields that a form carries as one text input each.
PLAIN_CONTENT_KEYS = (
    "title",
    "description",
    "category",
    "applies_to",
    "scope_code",
    "legal_basis",
    "frequency",
    "hours_per_month",
)
CONTENT_KEYS = (*PLAIN_CONTENT_KEYS, "funding", "burdens")
PLAIN_FORM_KEYS = ("duty_code", *PLAIN_CONTENT_KEYS, "justification", "start_date")


def form_field(path: str) -> str:
    if path in FIELD_FOR:
        return FIELD_FOR[path]
    parts = path.split(".")
    if parts[0] == "burdens" and len(parts) > 1:
        return parts[1]
    return parts[0]


def errors_by_field(exc: Invalid) -> dict[str, str]:
    found: dict[str, str] = {}
    for problem in translated_problems(exc.problems):
        found.setdefault(form_field(problem["field"]), problem["message"])
    return found


async def read_form(request: Request) -> tuple[dict[str, str], list[str]]:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "_csrf_token" and isinstance(v, str)}
    offsets = [str(v) for v in form.getall("offsets", []) if isinstance(v, str)]
    return values, offsets


def body_from_form(values: dict[str, str], offsets: list[str], kind: str) -> dict:
    """The same shape as the JSON body; empty fields are missing. Amend/retire keep the duty's values for blanks."""
    text = {k: (values.get(k) or "").strip() for k in values}
    body: dict = {}
    for name in PLAIN_FORM_KEYS:
        body[name] = text.get(name) or None
    body["funding"] = {
        "provided": values.get("funding_provided") == "1",
        "amount_yuan_per_year": text.get("funding_amount") or 0,
        "source": text.get("funding_source", ""),
    }
    burdens: dict = {n: [line.strip() for line in text.get(n, "").splitlines() if line.strip()] for n in BURDEN_LISTS}
    burdens["meetings_per_year"] = text.get("meetings_per_year") or 0
    body["burdens"] = burdens
    body["offsets"] = [o.strip() for o in offsets if o.strip()]
    if kind in (RequestKind.AMEND, RequestKind.RETIRE):
        for name in CONTENT_KEYS:
            if body.get(name) is None:
                body.pop(name, None)
    return body


def form_values(item: dict | None) -> dict:
    """Form field values from a REQUEST dict (for editing)."""
    if not item:
        return {"kind": "add", "funding_provided": False}
    values = {k: ("" if item.get(k) is None else item.get(k)) for k in ("kind", *PLAIN_FORM_KEYS)}
    funding, burdens = item.get("funding") or {}, item.get("burdens") or {}
    values.update(
        funding_provided=funding.get("provided"),
        funding_amount=funding.get("amount_yuan_per_year", 0),
        funding_source=funding.get("source", ""),
        meetings_per_year=burdens.get("meetings_per_year", 0),
    )
    for name in BURDEN_LISTS:
        values[name] = "\n".join(burdens.get(name) or [])
    values["offsets"] = [str(o) for o in item.get("offsets") or []]
    values["row_version"] = item.get("row_version")
    return values
