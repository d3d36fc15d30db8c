"""/healthz says the process answers; /readyz says whether it can serve (database reachable, schema at the
migration head), for anyone, without a session, whatever the Host header."""


import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import Database
from registry.migrations.runner import upgrade
from tests.conftest import HOST, free_port

READY = {"status": "ready", "database": "ok", "migrations": "current"}


def probe(settings, url: str, path: str, host: str = HOST):  # type: ignore[no-untyped-def]
    database = Database(url)
    try:
        configured = settings.model_copy(update={"database_url": url})
        with TestClient(create_app(configured, database), base_url=f"http://{HOST}") as c:
            return c.get(path, headers={"host": host})
    finally:
        database.dispose()


def test_healthz_says_only_that_the_process_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_readyz_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, READY)
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_readyz_is_503_while_migrations_are_pending(settings, empty_database_url):
    empty = probe(settings, empty_database_url, "/readyz")
    assert (empty.status_code, empty.json()) == (503, {"status": "not_ready", "database": "ok",
                                                        "migrations": "pending"})
    upgrade(empty_database_url, "0001")
    behind = probe(settings, empty_database_url, "/readyz")
    assert (behind.status_code, behind.json()["migrations"]) == (503, "pending")
    upgrade(empty_database_url)
    at_head = probe(settings, empty_database_url, "/readyz")
    assert (at_head.status_code, at_head.json()) == (200, READY)
    alive = probe(settings, empty_database_url, "/healthz")
    assert alive.status_code == 200


def test_readyz_is_503_when_the_database_does_not_answer(settings):
    nobody = f"postgresql+psycopg://postgres@{HOST}:{free_port()}/registry"  # a port nothing listens on
    response = probe(settings, nobody, "/readyz")
    assert (response.status_code, response.json()) == (
        503, {"status": "not_ready", "database": "unreachable", "migrations": "unknown"})
    assert probe(settings, nobody, "/healthz").status_code == 200  # the process itself still answers


@pytest.mark.parametrize("host", ["10.0.0.5:8000", "pod-7.internal", "evil.example"])
def test_probes_answer_whatever_the_host_but_pages_do_not(client, host):
    assert client.get("/readyz", headers={"host": host}).status_code == 200
    assert client.get("/healthz", headers={"host": host}).status_code == 200
    assert client.get("/", headers={"host": host}).status_code == 400
    assert client.get("/readyz/", headers={"host": host}).status_code == 400
