"""A clerk's request form offers only the regions their department files for (contract §10: a department files
only within its own county, province or city)."""

import re

import pytest

from tests.conftest import sign_in
from tests.counties import deployment


@pytest.fixture
def two_counties(db):  # type: ignore[no-untyped-def]
    deployment.build(db)


def offered(client) -> set[str]:  # type: ignore[no-untyped-def]
    page = client.get("/requests/new")
    assert page.status_code == 200, page.text
    select = re.search(r'<select class="input" id="field-scope_code".*?</select>', page.text, re.S)
    assert select, "the form has the region picker"
    return set(re.findall(r'<option value="(\d+)"', select.group(0)))


def test_a_county_clerk_is_offered_their_county_only(client, two_counties):
    sign_in(client, "yjj_clerk")  # 桐庐县应急管理局
    codes = offered(client)
    assert {deployment.A_COUNTY, deployment.A_VILLAGE} <= codes
    assert not {deployment.B_COUNTY, deployment.B_VILLAGE, deployment.PROVINCE} & codes


def test_a_clerk_of_the_other_county_is_offered_theirs(client, two_counties):
    sign_in(client, "syn_yjj_clerk")
    assert offered(client) == {deployment.B_COUNTY, deployment.B_TOWN, deployment.B_VILLAGE, deployment.B_COMMUNITY}


def test_a_province_clerk_is_offered_the_province_and_everything_below(client, two_counties):
    sign_in(client, "prov_clerk")
    codes = offered(client)
    assert {deployment.PROVINCE, deployment.A_VILLAGE, deployment.B_VILLAGE} <= codes
