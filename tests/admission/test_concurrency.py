"""Racing decisions: of 20 reviewers approving the same stage at once exactly one wins; the rest get 409."""

import threading

import pytest

from registry.accounts.services import create_user
from registry.admission import decision, workflow
from registry.admission.schemas import DecisionIn, RequestCreate, RequestUpdate
from registry.errors import Conflict
from tests.admission.helpers import add_body, counts, principal

RACERS = 20
ROUNDS = 50


@pytest.fixture
def reviewers(db):  # type: ignore[no-untyped-def]
    names = ["mzj_reviewer", "zzb_reviewer"]
    for n in range(RACERS - len(names)):
        name = f"race_reviewer_{n}"
        create_user(db, name, "reviewer", "demo-pass-2026", department_code="MZJ" if n % 2 else "ZZB")
        names.append(name)
    return [principal(db, name) for name in names]


def race(db, reviewers, request_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(reviewers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(who) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            decision.decide(db, who, request_id, DecisionIn(decision="approve", reason="同意"))
            result = "ok"
        except Conflict:
            result = "409"
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=(who,)) for who in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_concurrent_approvals_one_wins(db, reviewers):
    clerk = principal(db, "yjj_clerk")
    for round_number in range(ROUNDS):
        request_id = workflow.create(
            db, clerk, RequestCreate.model_validate(add_body(title=f"并发测试事项{round_number}", submit=True))
        )
        _, entries_before = counts(db)
        outcomes = race(db, reviewers, request_id)
        assert sorted(outcomes) == ["409"] * (RACERS - 1) + ["ok"], outcomes
        assert counts(db)[1] == entries_before + 1


def test_saving_a_returned_request_from_a_stale_copy_conflicts(db):
    clerk = principal(db, "yjj_clerk")
    request_id = workflow.create(db, clerk, RequestCreate.model_validate(add_body(submit=True)))
    decision.decide(db, principal(db, "mzj_reviewer"), request_id, DecisionIn(decision="return", reason="请补充说明"))
    with db.read() as session:
        current = workflow.load(session, request_id).row_version
    workflow.update(db, clerk, request_id, RequestUpdate(title="第一次修改", row_version=current))
    with pytest.raises(Conflict):
        workflow.update(db, clerk, request_id, RequestUpdate(title="基于旧版本的修改", row_version=current))
    with db.read() as session:
        assert workflow.load(session, request_id).title == "第一次修改"


def test_final_approvals_of_different_requests_at_once_all_change_the_catalog(db):
    """Several add requests approved at the last stage at the same moment: every one lands, each with its own
    new duty code and its own catalog entry, and the ledger still verifies."""
    from registry.catalog.integrity import verify_ledger_and_catalog

    clerk = principal(db, "yjj_clerk")
    legality = [principal(db, "sfj_reviewer")]
    for n in range(5):
        create_user(db, f"race_legal_{n}", "reviewer", "demo-pass-2026", department_code="SFJ")
        legality.append(principal(db, f"race_legal_{n}"))
    request_ids = []
    for n in range(len(legality)):
        request_id = workflow.create(
            db, clerk, RequestCreate.model_validate(add_body(title=f"并行终审事项{n}", submit=True))
        )
        decision.decide(db, principal(db, "mzj_reviewer"), request_id, DecisionIn(decision="approve", reason="同意"))
        request_ids.append(request_id)
    _, entries_before = counts(db)
    barrier = threading.Barrier(len(legality))
    outcomes: list[str] = []

    def approve(who, request_id: int) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            decision.decide(db, who, request_id, DecisionIn(decision="approve", reason="合法", exemption_reason="专项"))
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            outcomes.append(f"error: {exc!r}")

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(legality, request_ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * len(legality)
    assert counts(db)[1] == entries_before + len(legality)
    with db.read() as session:
        assert verify_ledger_and_catalog(session).ok


def test_saving_and_submitting_an_incomplete_request_saves_nothing(db):
    """Save-and-submit is one transaction: when the submit is refused, the edit is not kept either."""
    from registry.errors import Invalid

    clerk = principal(db, "yjj_clerk")
    request_id = workflow.create(db, clerk, RequestCreate.model_validate(add_body(title="原标题", description=None)))
    with pytest.raises(Invalid):
        workflow.update(db, clerk, request_id, RequestUpdate(title="改过的标题"), submit=True)
    with db.read() as session:
        stored = workflow.load(session, request_id)
        assert (stored.title, stored.state) == ("原标题", "draft")
