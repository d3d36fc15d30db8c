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
