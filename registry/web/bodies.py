"""Typed JSON request bodies: handlers declare `data: SomeInput` and Litestar validates it for them.

Litestar's pydantic plugin reads `data` after the access guard has run (401/403 before the body is
looked at). Two things are ours:
- the body is decoded by the standard library, so that `NaN` or `1e400` reach validation and get a field
  error (422), while invalid UTF-8, invalid JSON or a recursion bomb is a 400;
- every input model (`registry.catalog.schemas.StrictModel`) is validated strictly, as JSON ("5" is not 5),
  and a failure is `registry.errors.Invalid`: a 422 whose field messages are in the reader's language.
"""

import json
from typing import Any

from litestar import Request
from litestar.plugins.pydantic import PydanticInitPlugin
from litestar.utils.empty import Empty
from pydantic import BaseModel, ValidationError

from registry.choices import N_
from registry.errors import BadRequest, Invalid
from registry.web.validation import field_problems

NOT_JSON = N_("The body is not valid JSON.")
EMPTY_BODY = N_("The request body is empty: send a JSON object.")
NOT_AN_OBJECT = N_("The body must be a JSON object.")


def decode_json_body(raw: bytes) -> Any:
    """The body as a Python value; BadRequest for an empty body, invalid UTF-8 or JSON, or absurd nesting."""
    if not raw.strip():
        raise BadRequest(EMPTY_BODY)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise BadRequest(NOT_JSON) from None


class RegistryRequest(Request):
    """Litestar's Request with the standard library's JSON decoding (see the module docstring)."""

    async def json(self) -> Any:
        if self._json is Empty:
            self._json = decode_json_body(await self.body())
        return self._json


def is_input_model(target: Any) -> bool:
    from registry.catalog.schemas import StrictModel

    return isinstance(target, type) and issubclass(target, StrictModel)


def decode_input(model: type[BaseModel], value: Any) -> BaseModel:
    """Validate a decoded body against *model* as strict JSON; BadRequest unless it is an object, else Invalid."""
    if not isinstance(value, dict):
        raise BadRequest(NOT_AN_OBJECT)
    try:
        # Re-encoded so that pydantic validates in JSON mode: dates from strings, enums from values, no coercion.
        return model.model_validate_json(json.dumps(value), strict=True)
    except ValidationError as exc:  # not a ValueError to Litestar: ours, translated, 422
        raise Invalid(field_problems(exc)) from None


class InputModelsPlugin(PydanticInitPlugin):
    """Litestar's pydantic plugin, with our decoder for input models placed before its own."""

    @classmethod
    def decoders(cls, validate_strict: bool = False) -> list:
        return [(is_input_model, decode_input), *super().decoders(validate_strict=validate_strict)]
