"""Consents given at the same moment: both parties' answers count and the secondment is approved; the same
party racing itself is recorded once and the other attempt gets 409."""

import threading

from sqlmodel import select

from registry.accounts.models import User
from registry.accounts.services import create_user, principal_for
from registry.choices import ConsentDecision, SecondmentState
from registry.errors import Conflict
from registry.secondments import workflow
from registry.secondments.models import Secondment, SecondmentConsent
from registry.secondments.schemas import ConsentIn, SecondmentCreate
from tests.conftest import PASSWORD
from tests.secondments.helpers import BAIJIANG, body


def principal(db, name: str):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return principal_for(session, session.exec(select(User).where(User.name == name)).one())


def race(calls) -> list[object]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001  (the outcome of each racer is what the test reads)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_parties_at_once_approve_and_one_party_twice_is_recorded_once(db):
    create_user(db, "baijiang_cadre", "cadre", PASSWORD, region_code=BAIJIANG)
    create_user(db, "baijiang_cadre2", "cadre", PASSWORD, region_code=BAIJIANG)
    clerk, town, town2, zzb = (principal(db, n) for n in ("yjj_clerk", "baijiang_cadre", "baijiang_cadre2",
                                                          "zzb_reviewer"))
    yes = ConsentIn(decision=ConsentDecision.APPROVE, reason="同意")
    for _ in range(3):
        secondment_id = workflow.file_secondment(db, clerk, SecondmentCreate(**body()))
        results = race([lambda: workflow.consent(db, town, secondment_id, yes),
                        lambda: workflow.consent(db, town2, secondment_id, yes),
                        lambda: workflow.consent(db, zzb, secondment_id, yes)])
        assert sum(isinstance(r, Conflict) for r in results) == 1, results
        assert sum(r == secondment_id for r in results) == 2, results
        with db.read() as session:
            assert session.get(Secondment, secondment_id).state == SecondmentState.APPROVED
            answers = session.exec(select(SecondmentConsent).where(
                SecondmentConsent.secondment_id == secondment_id)).all()
            assert len(answers) == 2
