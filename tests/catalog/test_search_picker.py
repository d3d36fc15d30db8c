"""The search page's region choice: every village (grouped by town) in a county-sized deployment; beyond
FULL_LIST_VILLAGES one level at a time, so that a province's or the country's page stays small."""

import re

import pytest

from registry.regions import picker

COUNTY, FUCHUNJIANG, LUCUN = "330122000000", "330122101000", "330122101201"
JIANGNAN_VILLAGE = "330122113201"


def offered(client, **params) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """The region select's options: code → selected."""
    page = client.get("/duties", params={"q": "台账", **params})
    assert page.status_code == 200
    select = re.search(r'<select class="input" id="field-region".*?</select>', page.text, re.S)
    assert select, "the page has a region choice"
    return {code: bool(sel) for code, sel in re.findall(r'<option value="(\d*)"( selected)?', select.group(0))}


def below(client, code: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {r["code"] for r in client.get(f"/api/v1/regions/{code}").json()["children"]}


def test_a_county_sized_deployment_offers_every_village(client):
    options = offered(client)
    assert {LUCUN, JIANGNAN_VILLAGE} <= set(options)


@pytest.fixture
def large(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(picker, "FULL_LIST_VILLAGES", 10)


def test_beyond_the_limit_the_choice_starts_at_the_root(client, large):
    assert offered(client) == {"": False, COUNTY: False}


def test_a_chosen_town_offers_its_path_and_its_villages_only(client, large):
    options = offered(client, region=FUCHUNJIANG)
    villages = {code: False for code in below(client, FUCHUNJIANG)}
    assert options == {"": False, COUNTY: False, FUCHUNJIANG: True} | villages
    assert LUCUN in options and JIANGNAN_VILLAGE not in options


def test_a_chosen_village_stays_chosen_beside_its_neighbours(client, large):
    options = offered(client, region=LUCUN)
    assert options[LUCUN] is True and sum(options.values()) == 1
    assert set(options) == {"", COUNTY, FUCHUNJIANG} | below(client, FUCHUNJIANG)
