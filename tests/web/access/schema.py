ALL_200 = dict.fromkeys(("anonymous", "cadre", "department", "reviewer", "admin"), 200)

ROWS = [
    ("GET", "/schema", ALL_200),
    ("GET", "/schema/openapi.json", ALL_200),
    ("GET", "/schema/openapi.yaml", ALL_200),
    ("GET", "/schema/openapi.yml", ALL_200),
    ("GET", "/healthz", ALL_200),
]
