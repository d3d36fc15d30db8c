"""The negative-list and duplicate checks catch rewordings (tests/catalog/rewordings.csv) and leave unrelated
tasks alone; the API raises exactly the flags the table was measured with."""

from registry.admission.checks import similar_flags
from tests.admission.helpers import add_body
from tests.catalog.rewording_report import UNRELATED, evaluate, seed_catalog, table
from tests.conftest import bearer

SIMILARITY_KINDS = {"negative_list", "duplicate"}


def test_the_table_is_large_enough_and_names_real_items():
    rows = table()
    codes = {code for code, *_ in seed_catalog()}
    assert sum(r.kind != UNRELATED for r in rows) >= 40 and sum(r.kind == UNRELATED for r in rows) >= 40
    for row in rows:
        assert row.title.strip() and row.kind in SIMILARITY_KINDS | {UNRELATED}, row
        assert (not row.codes) == (row.kind == UNRELATED) and row.codes <= codes, row


def test_rewordings_are_caught_and_unrelated_tasks_are_not():
    figures = evaluate()
    misses = [(name, row.title) for name, kind in figures.kinds.items() for row, _flags in kind.misses]
    assert figures.recall >= 0.9, misses
    assert len(figures.false_matches) <= 2, [row.title for row, _flags in figures.false_matches]
    for name, kind in figures.kinds.items():  # neither kind may hide behind the other
        assert kind.recall >= 0.85, (name, misses)


def test_the_api_raises_the_flags_the_table_measures(client, db):
    clerk = bearer(db, "yjj_clerk")
    catalog = seed_catalog()
    for row in table()[::3]:
        body = add_body(title=row.title, description=row.description or None)
        response = client.post("/api/v1/requests", json=body, headers=clerk)
        assert response.status_code == 201, response.text
        raised = [(f["kind"], f["duty_code"]) for f in response.json()["flags"] if f["kind"] in SIMILARITY_KINDS]
        expected = [(f["kind"], f["duty_code"]) for f in similar_flags(row.title, row.description or None, catalog)]
        assert raised == expected, row.title
