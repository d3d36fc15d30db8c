"""Values exactly at the contract's limits are accepted and stored as typed, on every backend."""

import pytest

from tests.admission.helpers import add_body
from tests.conftest import bearer

AT_THE_LIMIT = [
    ("title", "题" * 200),
    ("legal_basis", "法" * 1000),
    ("description", "述" * 5000),
    ("justification", "由" * 5000),
    ("hours_per_month", 744),
    ("hours_per_month", 0.1),
    ("funding", {"provided": True, "amount_yuan_per_year": 10**12, "source": "县财政"}),
    ("burdens", {"ledgers": [f"{n:03d}" + "账" * 97 for n in range(50)], "meetings_per_year": 0}),
]


@pytest.mark.parametrize(("field", "value"), AT_THE_LIMIT, ids=[f"{f}-{i}" for i, (f, _) in enumerate(AT_THE_LIMIT)])
def test_a_value_at_the_limit_is_accepted_and_echoed(client, db, field, value):
    response = client.post("/api/v1/requests", json=add_body(**{field: value}), headers=bearer(db, "yjj_clerk"))
    assert response.status_code == 201, response.text
    stored = client.get(f"/api/v1/requests/{response.json()['id']}", headers=bearer(db, "yjj_clerk")).json()
    if field == "burdens":
        assert stored["burdens"]["ledgers"] == value["ledgers"]
    else:
        assert stored[field] == value
