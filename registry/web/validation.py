"""Turn pydantic validation errors into translated field problems (for JSON and for HTML forms)."""

from pydantic import BaseModel, ValidationError

from registry.choices import N_
from registry.errors import FieldProblem, Invalid

# pydantic error type → msgid; unknown types fall back to a generic message.
MESSAGES = {
    "missing": N_("This field is required."),
    "extra_forbidden": N_("This field is not allowed."),
    "string_too_long": N_("At most %(max_length)s characters."),
    "string_too_short": N_("This field is required."),
    "too_long": N_("At most %(max_length)s items."),
    "string_type": N_("Must be text."),
    "string_pattern_mismatch": N_("Not in the expected format."),
    "int_type": N_("Must be a whole number."),
    "int_parsing": N_("Must be a whole number."),
    "int_from_float": N_("Must be a whole number."),
    "float_type": N_("Must be a number."),
    "float_parsing": N_("Must be a number."),
    "bool_type": N_("Must be true or false."),
    "bool_parsing": N_("Must be true or false."),
    "greater_than_equal": N_("Must be at least %(ge)s."),
    "less_than_equal": N_("Must be at most %(le)s."),
    "enum": N_("Not an allowed value; allowed: %(expected)s."),
    "literal_error": N_("Not an allowed value; allowed: %(expected)s."),
    "date_type": N_("Must be a date (YYYY-MM-DD)."),
    "date_parsing": N_("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": N_("Must be a date (YYYY-MM-DD)."),
    "list_type": N_("Must be a list."),
    "dict_type": N_("Must be an object."),
    "model_type": N_("Must be an object."),
    "model_attributes_type": N_("Must be an object."),
    "json_invalid": N_("The body is not valid JSON."),
    "json_type": N_("The body is not valid JSON."),
}
VALUE_ERRORS = {
    "nul_character": N_("NUL characters are not allowed."),
    "hours_range": N_("Must be between 0 and 744."),
    "hours_precision": N_("At most one decimal place."),
    "not_a_number": N_("Must be a number."),
}
FALLBACK = N_("Not a valid value.")


def field_problems(error: ValidationError) -> list[FieldProblem]:
    problems = []
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item.get("loc", ()) if part != "__root__")
        kind = item.get("type", "")
        context = dict(item.get("ctx") or {})
        message = MESSAGES.get(kind)
        if kind == "value_error":
            raw = str(context.get("error", ""))
            message = VALUE_ERRORS.get(raw, FALLBACK)
            context = {}
        context = {key: str(value) for key, value in context.items()}
        problems.append(FieldProblem(path or "body", message or FALLBACK, **context))
    return problems


def parse_data(model: type[BaseModel], data: dict) -> BaseModel:
    """Validate already-decoded data leniently (HTML forms send strings)."""
    try:
        return model.model_validate(data, strict=False)
    except ValidationError as exc:
        raise Invalid(field_problems(exc)) from exc
