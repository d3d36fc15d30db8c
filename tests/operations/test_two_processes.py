"""Two server processes on two ports against one database, as a deployment behind a proxy runs them:
a session, a sign-in throttle and a catalog change made through one are in force at once through the other."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.chaos.clients import DECISION, request_body
from tests.conftest import PASSWORD, bearer, registry_server

LUCUN = "330122101201"  # 芦茨村
SESSION = "registry_session"


@contextmanager
def two_servers(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two `registry run` processes sharing the database, the secret and the var directory (uploads)."""
    with registry_server(database_url, tmp_path) as first, registry_server(database_url, tmp_path) as second:
        yield first, second


def sign_in(client: httpx.Client, base: str, name: str, password: str) -> httpx.Response:
    client.get(f"{base}/login")
    return client.post(f"{base}/login", data={"name": name, "password": password,
                                              "_csrf_token": client.cookies.get("csrftoken")})


def signed_in_as(client: httpx.Client, base: str, name: str) -> bool:
    page = client.get(f"{base}/").text
    return f'<strong class="user-name">{name}</strong>' in page and 'action="/logout"' in page


def test_a_session_begun_on_one_process_is_in_force_and_ended_on_the_other(database_url, tmp_path):
    # Cookies are per host, not per port: one browser, two processes.
    with two_servers(database_url, tmp_path) as (first, second), httpx.Client(timeout=30) as client:
        assert sign_in(client, first, "mzj_reviewer", PASSWORD).status_code == 303
        assert signed_in_as(client, second, "mzj_reviewer")
        signed_out = client.post(f"{second}/logout", data={"_csrf_token": client.cookies.get("csrftoken")})
        assert signed_out.status_code in (302, 303)
        assert not signed_in_as(client, first, "mzj_reviewer")


def test_failed_sign_ins_on_one_process_throttle_the_other(database_url, tmp_path):
    with two_servers(database_url, tmp_path) as (first, second), httpx.Client(timeout=30) as client:
        for _ in range(5):
            assert sign_in(client, first, "nyj_clerk", "wrong-password").status_code == 400
        refused = sign_in(client, second, "nyj_clerk", PASSWORD)
        assert refused.status_code == 429
        assert "失败次数过多" in refused.text
        assert not signed_in_as(client, second, "nyj_clerk")


def test_an_approval_through_one_process_is_served_at_once_by_the_other(database_url, db, tmp_path):
    clerk, first_stage, second_stage = (bearer(db, n) for n in ("yjj_clerk", "mzj_reviewer", "sfj_reviewer"))
    with (two_servers(database_url, tmp_path) as (first, second), httpx.Client(timeout=30) as reader,
          httpx.Client(timeout=30) as writer):
        page = reader.get(f"{second}/regions/{LUCUN}")
        listed = reader.get(f"{second}/api/v1/regions/{LUCUN}/duties")
        assert page.status_code == listed.status_code == 200
        cached = reader.get(f"{second}/regions/{LUCUN}", headers={"If-None-Match": page.headers["etag"]})
        assert cached.status_code == 304  # the page is in the second process's cache

        body = request_body(424242)
        filed = writer.post(f"{first}/api/v1/requests", json=body, headers=clerk)
        assert filed.status_code == 201, filed.text
        number = filed.json()["id"]
        for stage, base in ((first_stage, first), (second_stage, first)):
            decided = writer.post(f"{base}/api/v1/requests/{number}/decision", json=DECISION, headers=stage)
            assert decided.status_code == 200, decided.text
        assert decided.json()["state"] == "approved"

        fresh = reader.get(f"{second}/regions/{LUCUN}", headers={"If-None-Match": page.headers["etag"]})
        assert fresh.status_code == 200
        assert fresh.headers["etag"] != page.headers["etag"]
        assert body["title"] in fresh.text
        relisted = reader.get(f"{second}/api/v1/regions/{LUCUN}/duties",
                              headers={"If-None-Match": listed.headers["etag"]})
        assert relisted.status_code == 200
        titles = [item["title"] for item in relisted.json()["duties"]]
        assert body["title"] in titles
        assert len(titles) == len(listed.json()["duties"]) + 1
