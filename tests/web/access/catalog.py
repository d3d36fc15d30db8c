"""Catalog routes: every read is public, for every role."""

from tests.web.access import ALL_200

ROWS = [
    ("GET", "/api/v1/regions/330122101201/duties", ALL_200),
    ("GET", "/api/v1/duties", ALL_200),
    ("GET", "/api/v1/duties/D00001", ALL_200),
    ("GET", "/regions/330122101201", ALL_200),
    ("GET", "/regions/330122101201/print", ALL_200),
    ("GET", "/regions/330122101201/export.csv", ALL_200),
    ("GET", "/regions/330122101201/export.xlsx", ALL_200),
    ("GET", "/regions/330122101201/export.json", ALL_200),
    ("GET", "/duties", ALL_200),
    ("GET", "/duties/D00001", ALL_200),
    ("GET", "/feed.atom", ALL_200),
]
