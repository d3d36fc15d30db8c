"""Languages: ?lang= first, then the remembered cookie, then Accept-Language, then the default (zh-Hans);
a language switch on every page; dates and numbers per language; complete catalogs; no hard-coded
Chinese in the code."""

import ast
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from registry import i18n
from tests.accounts.probe import probe_client
from tests.conftest import ROOT, sign_in


def page_language(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<html lang="([^"]+)"', response.text)
    assert found, response.text[:300]
    return found[1]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("zh-CN", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-TW", "zh-Hans"),
        ("zh-Hans-CN,zh;q=0.9", "zh-Hans"),
        ("en-US", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("en;q=0.5, zh-CN;q=0.9", "zh-Hans"),
        ("zh;q=0.1, en", "en"),
        ("fr-FR, en;q=0.3", "en"),
        ("fr-FR, de", "zh-Hans"),
        ("en;q=0, zh;q=0.2", "zh-Hans"),
        ("", "zh-Hans"),
        ("*", "zh-Hans"),
    ],
)
def test_accept_language(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept})
    assert page_language(response) == expected
    assert response.headers["content-language"] == expected


def test_default_without_any_hint_is_chinese(client):
    response = client.get("/")
    assert page_language(response) == "zh-Hans"
    assert "村（社区）工作事项准入登记系统" in response.text


def test_configured_default_language_is_used_without_hints(settings, db):
    with probe_client(settings.model_copy(update=dict(language="en")), db) as client:
        assert page_language(client.get("/")) == "en"
        assert page_language(client.get("/", headers={"Accept-Language": "zh-CN"})) == "zh-Hans"


def test_query_beats_cookie_beats_accept_language(client):
    english = client.get("/?lang=en", headers={"Accept-Language": "zh-CN"})
    assert page_language(english) == "en"
    assert "Village Duty Admission Registry" in english.text
    assert client.cookies.get("lang") == "en"
    # Remembered: the next page without ?lang= is English though the browser asks for Chinese.
    assert page_language(client.get("/login", headers={"Accept-Language": "zh-CN"})) == "en"
    # ?lang= beats the cookie, and is remembered in its turn.
    assert page_language(client.get("/login?lang=zh-Hans")) == "zh-Hans"
    assert page_language(client.get("/", headers={"Accept-Language": "en"})) == "zh-Hans"


@pytest.mark.parametrize("value", ["fr", "", "<script>", "en'"])
def test_an_unknown_lang_is_ignored_not_an_error(client, value):
    response = client.get("/", params={"lang": value}, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert page_language(response) == "en"
    assert "<script>" not in (client.cookies.get("lang") or "")


def test_language_applies_to_json_errors(client):
    chinese = client.get("/api/v1/regions/999999999999").json()["detail"]
    english = client.get("/api/v1/regions/999999999999?lang=en").json()["detail"]
    assert chinese != english
    assert re.search(r"[\u4e00-\u9fff]", chinese)
    assert not re.search(r"[\u4e00-\u9fff]", english)


def switch_links(html: str) -> set[str]:
    nav = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S)
    assert nav, "no language switch"
    return set(re.findall(r'href="([^"]+)"', nav[0]))


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/?lang=en", "/login?next=/ledger"])
def test_every_page_has_a_language_switch(client, path):
    links = switch_links(client.get(path).text)
    assert any("lang=en" in link for link in links), links
    assert any("lang=zh-Hans" in link for link in links), links


def test_language_switch_keeps_the_page(client):
    links = switch_links(client.get("/login?next=/ledger").text)
    english = next(link for link in links if "lang=en" in link)
    assert english.startswith("/login") and "next" in english
    assert page_language(client.get(english.replace("&amp;", "&"))) == "en"


def test_signed_in_pages_have_the_switch_too(client):
    sign_in(client, "mzj_reviewer")
    links = switch_links(client.get("/").text)
    assert len(links) == 2


# ---------------------------------------------------------------- formatting

@pytest.mark.parametrize(
    ("language", "day", "number", "big"),
    [
        ("zh-Hans", "2026年3月5日", "1,234.5", "1,234,567"),
        ("en", "Mar 5, 2026", "1,234.5", "1,234,567"),
    ],
)
def test_dates_and_numbers_per_language(language, day, number, big):
    token = i18n.set_language(language)
    try:
        assert i18n.format_day(date(2026, 3, 5)) == day
        assert i18n.format_number(1234.5) == number
        assert i18n.format_number(1234567) == big
        assert i18n.format_number(None) == ""
        assert i18n.format_day(None) == ""
        # A moment late on 4 March UTC is already 5 March in Asia/Shanghai.
        assert i18n.format_day(datetime(2026, 3, 4, 20, 30, tzinfo=UTC)) == day
    finally:
        i18n.reset_language(token)


def test_moments_are_shown_in_shanghai_time():
    token = i18n.set_language("en")
    try:
        assert "4:30" in i18n.format_moment(datetime(2026, 3, 4, 20, 30, tzinfo=UTC))
    finally:
        i18n.reset_language(token)
    token = i18n.set_language("zh-Hans")
    try:
        text = i18n.format_moment(datetime(2026, 3, 4, 20, 30, tzinfo=UTC))
        assert "2026年3月5日" in text and "04:30" in text
    finally:
        i18n.reset_language(token)


def test_translations_fill_parameters_in_each_language():
    token = i18n.set_language("zh-Hans")
    try:
        assert i18n.gettext("Error %(code)s", code=404) == "错误 404"
    finally:
        i18n.reset_language(token)
    token = i18n.set_language("en")
    try:
        assert i18n.gettext("Error %(code)s", code=404) == "Error 404"
    finally:
        i18n.reset_language(token)


# ---------------------------------------------------------------- catalogs and hard-coded text

def test_catalogs_are_complete_and_compiled():
    result = subprocess.run([sys.executable, "-m", "registry.locale.catalogs", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert result.returncode == 0, result.stdout + result.stderr


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Data, not UI text: the OpenAPI document's title (shown by API tools, not by our pages).
ALLOWED = {("registry/app.py", "村（社区）工作事项准入登记系统 API")}


MSGID_FUNCTIONS = {"_", "N_", "gettext", "ngettext"}


def skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, and msgids (the catalogs hold those: a msgid may quote a Chinese term of art)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in MSGID_FUNCTIONS:
                found.update(id(arg) for arg in node.args[:2])
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_chinese_string_literals_outside_the_catalogs():
    offenders = []
    package = ROOT / "registry"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("registry/locale/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = skipped_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and id(node) not in docstrings:
                value = node.value.decode("utf-8", "replace") if isinstance(node.value, bytes) else node.value
                if CJK.search(value) and (relative, value) not in ALLOWED:
                    offenders.append(f"{relative}:{node.lineno}: {value[:60]!r}")
    assert not offenders, "user-facing Chinese belongs in the catalogs:\n" + "\n".join(offenders)


def test_the_scan_finds_chinese_literals(tmp_path: Path):
    """The scanner above can fail: it sees a Chinese literal and ignores a docstring and a msgid."""
    source = '"""桐庐县"""\nLABEL = "村"\nTERM = N_("Funding (费随事转)")\n'
    tree = ast.parse(source)
    docstrings = skipped_nodes(tree)
    found = [n.value for n in ast.walk(tree)
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
             and CJK.search(n.value)]
    assert found == ["村"]
