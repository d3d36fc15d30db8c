from tests.web.access import ALL_200

ROWS = [
    ("GET", "/schema", ALL_200),
    ("GET", "/schema/openapi.json", ALL_200),
    ("GET", "/schema/openapi.yaml", ALL_200),
    ("GET", "/schema/openapi.yml", ALL_200),
    ("GET", "/healthz", ALL_200),
]
