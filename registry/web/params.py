"""Query parameters shared by every area: whole numbers within bounds (HTTP 400 with a translated detail)."""

from typing import Annotated

from litestar.params import Parameter

from registry.catalog.schemas import NO_NUL
from registry.choices import N_
from registry.errors import BadRequest

MAX_DIGITS = 18  # fits a signed 64-bit column

# A free-text query parameter; NUL is refused everywhere (400 before any handler), so the document says so.
QueryText = Annotated[str | None, Parameter(schema_extra={"pattern": NO_NUL})]


def whole_number(raw: str | None, name: str, default: int | None, minimum: int = 1, maximum: int | None = None,
                 *, max_digits: int = MAX_DIGITS) -> int | None:
    """*raw* as an integer in [minimum, maximum] (*default* when blank), else BadRequest naming *name*."""
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > max_digits:
        raise BadRequest(N_("The parameter %(name)s must be a whole number."), name=name)
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise BadRequest(N_("The parameter %(name)s must be at least %(minimum)s."), name=name, minimum=minimum)
        raise BadRequest(N_("The parameter %(name)s must be between %(minimum)s and %(maximum)s."),
                           name=name, minimum=minimum, maximum=maximum)
    return value
