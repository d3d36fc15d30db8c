"""The ledger is public: its API, its pages."""

from tests.web.access import ALL_200

ROWS = [
    ("GET", "/api/v1/ledger", ALL_200),
    ("GET", "/ledger", ALL_200),
    ("GET", "/ledger/1", ALL_200),
]
