"""REGISTRY_PUBLIC_URL: every absolute link the app writes starts with it, never with the request's Host."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings, SettingsError
from tests.conftest import HOST

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = "https://registry.tonglu.example.gov.cn"


def no_dotenv(tmp_path: Path) -> Path:
    return tmp_path / "absent.env"


def test_default_public_url_follows_the_contract(tmp_path):
    assert Settings.from_env(environ={}, dotenv=no_dotenv(tmp_path)).public_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize(("value", "expected"), [
    ("https://registry.example.gov.cn", "https://registry.example.gov.cn"),
    ("https://registry.example.gov.cn/", "https://registry.example.gov.cn"),
    (" http://10.0.0.5:8080/registry/ ", "http://10.0.0.5:8080/registry"),
])
def test_public_url_is_kept_without_its_trailing_slash(tmp_path, value, expected):
    settings = Settings.from_env(environ={"REGISTRY_PUBLIC_URL": value}, dotenv=no_dotenv(tmp_path))
    assert settings.public_url == expected
    assert settings.absolute_url("/duties/D00001") == expected + "/duties/D00001"


@pytest.mark.parametrize("value", [
    "registry.example.gov.cn", "ftp://registry.example.gov.cn", "https://", "javascript:alert(1)",
    "https://registry.example.gov.cn/?next=x", "https://registry.example.gov.cn/#top", "https://a b.example",
])
def test_a_public_url_that_cannot_prefix_links_is_refused(tmp_path, value):
    with pytest.raises(SettingsError, match="REGISTRY_PUBLIC_URL"):
        Settings.from_env(environ={"REGISTRY_PUBLIC_URL": value}, dotenv=no_dotenv(tmp_path))


@pytest.mark.parametrize("path", ["duties", "//evil.example/x", "https://evil.example/"])
def test_absolute_url_takes_site_paths_only(path):
    with pytest.raises(ValueError):
        Settings().absolute_url(path)


def test_feed_links_start_with_the_public_url_even_under_a_hostile_allowed_host(settings, db):
    # The hostile name is an allowed host (a misconfiguration, or a wildcard): it still must not leak into links.
    configured = settings.model_copy(update=dict(public_url=PUBLIC, allowed_hosts=("127.0.0.1", "evil.example")))
    with TestClient(create_app(configured, db), base_url=f"http://{HOST}") as client:
        response = client.get("/feed.atom", headers={"host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.text
    root = ET.fromstring(response.content)
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    ids = [element.text for element in root.iter(f"{ATOM}id")]
    assert len(links) == 52 and len(ids) == 51  # the feed's self and alternate links, then one per entry
    assert all(value.startswith(PUBLIC + "/") for value in links + ids)
    assert ids[0] == f"{PUBLIC}/feed.atom"
