"""Anonymous list pages are cached per edition; nothing from one visitor's URL may reach another's page."""


def test_a_query_parameter_does_not_leak_into_another_visitors_page(client):
    poisoned = client.get("/regions/330122000000?utm=INJECTED-MARKER")
    assert poisoned.status_code == 200
    clean = client.get("/regions/330122000000")
    assert clean.status_code == 200
    assert "INJECTED-MARKER" not in clean.text


def test_the_print_view_tag_names_the_day(client):
    page = client.get("/regions/330122101201/print")
    listing = client.get("/regions/330122101201")
    assert page.headers["etag"] != listing.headers["etag"]


def test_each_region_list_has_its_own_tag(client):
    first = client.get("/api/v1/regions/330122101201/duties")
    second = client.get("/api/v1/regions/330122113201/duties")
    assert first.headers["etag"] != second.headers["etag"]
    crossed = client.get("/api/v1/regions/330122113201/duties", headers={"If-None-Match": first.headers["etag"]})
    assert crossed.status_code == 200


def test_csv_download_names_its_charset_once(client):
    response = client.get("/regions/330122101201/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].count("charset") == 1


def test_an_entry_number_beyond_any_integer_is_not_found(client):
    for seq in ("99999999999999999999", "18446744073709551616", "9223372036854775808", "0"):
        assert client.get(f"/ledger/{seq}").status_code == 404
