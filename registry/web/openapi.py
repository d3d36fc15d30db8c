"""The JSON API's OpenAPI document: bearer security (request bodies come from the handlers' typed `data`)."""

from litestar.openapi.spec import Components, SecurityScheme

BEARER = "bearerToken"
BEARER_SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]
COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(type="http", scheme="bearer", description="`registry tokens create NAME`"),
    }
)
