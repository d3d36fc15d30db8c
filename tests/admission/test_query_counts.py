"""Listing requests costs a fixed number of SQL statements, however many requests the page holds (no N+1)."""

from contextlib import contextmanager

from sqlalchemy import event

from tests.admission.helpers import add_body
from tests.conftest import bearer


@contextmanager
def counting(db):  # type: ignore[no-untyped-def]
    """Count the statements sent to the database inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def file_requests(client, clerk, reviewer, offset_id: int, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """*count* submitted add requests, each offsetting *offset_id*; every other one approved at the first stage."""
    for number in range(start, start + count):
        body = add_body(title=f"协助开展第{number}次专项演练登记", offsets=[offset_id], submit=True)
        created = client.post("/api/v1/requests", json=body, headers=clerk)
        assert created.status_code == 201, created.text
        if number % 2 == 0:
            decided = client.post(f"/api/v1/requests/{created.json()['id']}/decision",
                                  json={"decision": "approve", "reason": "符合规定"}, headers=reviewer)
            assert decided.status_code == 200, decided.text


def listed(client, reviewer) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/requests?per_page=100", headers=reviewer)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_request_list_does_not_query_per_request(client, db):  # type: ignore[no-untyped-def]
    clerk, reviewer = bearer(db, "yjj_clerk"), bearer(db, "mzj_reviewer")
    offset = client.post("/api/v1/requests", headers=clerk,
                         json={"kind": "retire", "duty_code": "D00022", "justification": "职能调整", "submit": True})
    assert offset.status_code == 201, offset.text
    offset_id = offset.json()["id"]

    file_requests(client, clerk, reviewer, offset_id, 0, 5)
    listed(client, reviewer)  # warm the per-process caches (regions, sessions) out of the count
    with counting(db) as few:
        small = listed(client, reviewer)
    file_requests(client, clerk, reviewer, offset_id, 5, 25)
    with counting(db) as many:
        large = listed(client, reviewer)

    assert small["total"] == 6 and len(small["items"]) == 6
    assert large["total"] == 31 and len(large["items"]) == 31
    # The page really carries decisions and offsets (the data an N+1 would fetch one request at a time).
    adds = [item for item in large["items"] if item["kind"] == "add"]
    assert all(item["offsets"] == [offset_id] for item in adds)
    assert sum(1 for item in adds if item["decisions"]) == 15
    assert all(d["department"]["code"] == "MZJ" for item in adds for d in item["decisions"])
    assert len(many) == len(few), (len(few), len(many))
