"""The JSON API's OpenAPI document: request bodies from the pydantic input schemas, and bearer security.

Handlers read their bodies raw (so that validation errors are ours, translated), which hides the body
from Litestar's generator; `json_body(Model)` puts the model's JSON schema back into the operation.
"""

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import Components, Operation, RequestBody, SecurityScheme
from litestar.openapi.spec import OpenAPIMediaType as MediaTypeObject
from pydantic import BaseModel

BEARER = "bearerToken"
BEARER_SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]
COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(type="http", scheme="bearer", description="`registry tokens create NAME`"),
    }
)


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its `$defs` references resolved in place (OpenAPI has no `$defs`)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


def json_body(model: type[BaseModel]) -> type[Operation]:
    """An Operation class whose request body is *model*, as JSON."""
    schema = inline_schema(model)

    @dataclass
    class WithJsonBody(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                content={"application/json": MediaTypeObject(schema=schema)},  # type: ignore[arg-type]
                required=True,
            )

    WithJsonBody.__name__ = f"{model.__name__}Operation"
    return WithJsonBody
