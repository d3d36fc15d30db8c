"""A NUL character anywhere a user can put one is a 400, never a 500 (PostgreSQL refuses NUL in text)."""

import pytest

from tests.conftest import csrf_token

GETS = [
    "/api/v1/duties/a%00b",
    "/api/v1/duties?q=%00",
    "/api/v1/regions/3301%0022000000",
    "/api/v1/regions/330122000000/duties?category=%00",
    "/duties/a%00b",
    "/duties?q=a%00",
    "/regions/330122000000?since=%00",
    "/ledger?page=%00",
]


@pytest.mark.parametrize("path", GETS)
def test_nul_in_a_path_or_query_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400


def test_nul_in_a_form_field_is_a_400(client):
    token = csrf_token(client)
    response = client.post("/login", data={"name": "adm\x00in", "password": "x", "_csrf_token": token})
    assert response.status_code == 400
    assert "Traceback" not in response.text
