"""The JSON API's OpenAPI document: bearer security and every error response each route can give.

Request bodies come from the handlers' typed `data`, responses from their return annotations; the error
responses follow from each route's access rule, method and path (`document_errors`), so that no route
can forget one. The error body is `Problem` (registry.web.errors writes it).
"""

import msgspec
from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, Schema, SecurityScheme
from litestar.plugins.pydantic import PydanticSchemaPlugin
from litestar.routes import HTTPRoute

from registry.web.guards import ACCESS_KEY, PUBLIC, WRITE_METHODS

BEARER = "bearerToken"
BEARER_SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]
COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(type="http", scheme="bearer", description="`registry tokens create NAME`"),
    }
)
ERROR_DESCRIPTIONS = {
    400: "The request is not valid: a query parameter out of range, a NUL character, a body that is not a JSON object.",
    401: "No valid bearer token.",
    403: "This role may never do this, or the record belongs to another department.",
    404: "No such record, or not visible to the caller.",
    405: "The method is not allowed here (the `Allow` header lists those that are).",
    409: "Conflicts with the current state (stale `row_version`, a lost race, a state that does not allow it).",
    413: "The body is larger than 1 MiB.",
    422: "The body breaks the schema or a rule; `errors` names each field.",
    503: "The server is overloaded or shutting down; retry after the `Retry-After` seconds.",
}


class StrictBodiesSchemaPlugin(PydanticSchemaPlugin):
    """Pydantic input models as Litestar documents them, plus `additionalProperties: false` where the model
    forbids unknown fields (they are refused with 422, so the document must not invite them)."""

    @classmethod
    def for_pydantic_model(cls, field_definition, schema_creator) -> Schema:  # type: ignore[no-untyped-def]
        schema = super().for_pydantic_model(field_definition, schema_creator)
        if field_definition.annotation.model_config.get("extra") == "forbid":
            schema.additional_properties = False
        return schema


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Every error answer of the API: a human-readable `detail` in the request's language."""

    detail: str
    status_code: int
    errors: list[FieldError] | None = None
    error_id: str | None = None


def errors(*codes: int) -> dict[int, ResponseSpec]:
    """Error responses a handler declares beyond those `document_errors` derives for it."""
    return {code: ResponseSpec(data_container=Problem, description=ERROR_DESCRIPTIONS.get(code, "Error"),
                               generate_examples=False) for code in codes}


def derived_error_codes(path: str, methods: set[str], rule: object) -> set[int]:
    """The errors any API route can give by its shape: 400 always (query, NUL), 405, 401/403 when restricted,
    413/422 for writes, 404 for a path that names a record, 409 for a write to a named record."""
    codes = {400, 405}
    if rule != PUBLIC:
        codes |= {401, 403}
    writes = bool(methods & WRITE_METHODS)
    if writes:
        codes |= {413, 422}
    if "{" in path:
        codes.add(404)
        if writes:
            codes.add(409)
    return codes


def document_errors(app: Litestar) -> None:
    """Add the derived error responses to every API handler (before the document is first built)."""
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", []):
            methods = set(getattr(handler, "http_methods", ()))
            codes = derived_error_codes(route.path, methods, handler.opt.get(ACCESS_KEY))
            declared = dict(handler.responses or {})
            handler.responses = {**errors(*sorted(codes - set(declared))), **declared}


def bind_options_to_their_routes(app: Litestar) -> None:
    """Make each automatic OPTIONS answer list every method of its path in `Allow`.

    Litestar 2 builds the OPTIONS handler with the first handler registered for a path and keeps it when later
    handlers join the path (as a new route object); its closure then still names the first route and `Allow`
    misses the later methods (GET /api/v1/budget listed, PUT not). Point each closure at the route that holds it.
    """
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            fn = getattr(handler, "fn", None)
            if getattr(fn, "__name__", "") != "options_handler" or not getattr(fn, "__closure__", None):
                continue
            for cell in fn.__closure__:
                if isinstance(cell.cell_contents, HTTPRoute):
                    cell.cell_contents = route
