"""The ledger is public: its API, its pages."""

ALL_200 = dict.fromkeys(("anonymous", "cadre", "department", "reviewer", "admin"), 200)

ROWS = [
    ("GET", "/api/v1/ledger", ALL_200),
    ("GET", "/ledger", ALL_200),
    ("GET", "/ledger/1", ALL_200),
]
