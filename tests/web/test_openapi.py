"""The OpenAPI document describes the JSON API only, with its request bodies and bearer security."""

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
