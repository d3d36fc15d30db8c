"""The OpenAPI document describes the JSON API only, with its request bodies and bearer security."""

import re

WRITES = {
    ("/api/v1/requests", "post"): {"kind", "title", "offsets", "submit"},
    ("/api/v1/requests/{request_id}", "patch"): {"title", "row_version"},
    ("/api/v1/requests/{request_id}/decision", "post"): {"decision", "reason", "exemption_reason"},
    ("/api/v1/budget", "put"): {"caps"},
}


def resolve(doc: dict, schema: dict) -> dict:
    """Follow a `#/components/schemas/...` reference."""
    ref = schema.get("$ref")
    return doc["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def test_the_document_lists_the_api_with_bodies_and_bearer_security(client):
    doc = client.get("/schema/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in doc["paths"]), "pages must not be in the API document"
    assert doc["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer", "description": "`registry tokens create NAME`"}
    for (path, method), fields in WRITES.items():
        operation = doc["paths"][path][method]
        schema = resolve(doc, operation["requestBody"]["content"]["application/json"]["schema"])
        assert fields <= set(schema["properties"]), (path, method)
        assert operation["security"] == [{"bearerToken": []}]
    assert "security" not in doc["paths"]["/api/v1/duties"]["get"]


def concrete(path: str) -> str:
    """A documented path with its parameters filled (the answer's headers do not depend on the record)."""
    return re.sub(r"\{[a-z_]+\}", "1", path.replace("{code}", "330122000000"))


def test_options_and_405_list_exactly_the_documented_methods_of_each_path(client):
    doc = client.get("/schema/openapi.json").json()
    for path, operations in doc["paths"].items():
        documented = {m.upper() for m in operations if m != "options"}
        answer = client.options(concrete(path))
        assert answer.status_code == 204, path
        assert set(answer.headers["allow"].replace(" ", "").split(",")) == documented | {"OPTIONS"}, path
        unused = next(m for m in ("DELETE", "PUT", "PATCH", "POST") if m not in documented)
        refused = client.request(unused, concrete(path))
        assert refused.status_code == 405, (path, unused)
        assert set(refused.headers["allow"].replace(" ", "").split(",")) >= documented, (path, unused)
