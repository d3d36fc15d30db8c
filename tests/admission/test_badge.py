"""The nav badge counts in the database exactly what the review queue lists."""

from sqlmodel import select

from registry.admission import services
from registry.admission.models import AdmissionRequest, ReviewStage
from registry.regions.models import Department
from registry.timeutil import utcnow
from tests.admission.helpers import principal

FILERS = ("YJJ", "MZJ", "ZZB", "SFJ")
STAGES = ("substantive", "legality", None)
STATES = ("submitted", "returned", "draft")


def fill(db) -> None:  # type: ignore[no-untyped-def]
    """One request for every (filing department, stage, state)."""
    with db.write() as session:
        departments = {d.code: d.id for d in session.exec(select(Department))}
        stages = {s.code: s.id for s in session.exec(select(ReviewStage))}
        number = 0
        for filer in FILERS:
            for stage in STAGES:
                for state in STATES:
                    number += 1
                    session.add(AdmissionRequest(
                        number=f"T-{number:03d}", kind="add", state=state, title=f"事项{number}",
                        stage_id=stages[stage] if stage else None, department_id=departments[filer],
                        submitted_at=None if state == "draft" else utcnow(),
                    ))


def test_badge_equals_the_queue_for_reviewers_and_admins(db):  # type: ignore[no-untyped-def]
    fill(db)
    # substantive is served by MZJ and ZZB, legality by SFJ alone: one submitted request per (filer, stage)
    expected = {"mzj_reviewer": 3, "zzb_reviewer": 3, "sfj_reviewer": 3, "admin": 1}
    for name, count in expected.items():
        who = principal(db, name)
        with db.read() as session:
            queued = services.queue(session, who)
            assert services.badge_count(session, who) == len(queued) == count, name
            assert all(r.state == "submitted" for r in queued)


def test_an_empty_queue_counts_zero(db):  # type: ignore[no-untyped-def]
    for name in ("mzj_reviewer", "sfj_reviewer", "admin"):
        with db.read() as session:
            assert services.badge_count(session, principal(db, name)) == 0


def test_the_queue_is_exactly_what_the_principal_may_decide(db):  # type: ignore[no-untyped-def]
    """For random arrangements of who serves each stage and random requests, the queue (and the badge) hold
    exactly the requests whose decision the principal would be allowed to make (decision.authority)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from sqlmodel import delete

    from registry.admission.decision import decide_refusal
    from registry.admission.models import ReviewStageDepartment

    people = [principal(db, name) for name in ("mzj_reviewer", "zzb_reviewer", "sfj_reviewer", "admin")]
    with db.read() as session:
        departments = {d.code: d.id for d in session.exec(select(Department))}
        stages = [s.id for s in session.exec(select(ReviewStage))]
    serving = st.lists(st.sets(st.sampled_from(["MZJ", "ZZB", "SFJ", "YJJ"]), min_size=1), min_size=2, max_size=2)
    request = st.tuples(st.sampled_from(FILERS), st.sampled_from([0, 1, None]), st.sampled_from(STATES))
    counter = {"n": 0}

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(serving=serving, requests=st.lists(request, min_size=1, max_size=8))
    def check(serving, requests) -> None:  # type: ignore[no-untyped-def]
        with db.write() as session:
            session.exec(delete(ReviewStageDepartment))  # type: ignore[call-overload]
            for stage_id, codes in zip(stages, serving, strict=True):
                for code in codes:
                    session.add(ReviewStageDepartment(stage_id=stage_id, department_id=departments[code]))
            session.exec(delete(AdmissionRequest))  # type: ignore[call-overload]
            for filer, stage, state in requests:
                counter["n"] += 1
                session.add(AdmissionRequest(
                    number=f"Q-{counter['n']:05d}", kind="add", state=state, title="事项",
                    stage_id=stages[stage] if stage is not None else None, department_id=departments[filer],
                    submitted_at=None if state == "draft" else utcnow()))
        with db.read() as session:
            everything = list(session.exec(select(AdmissionRequest)))
            for who in people:
                queued = [r.id for r in services.queue(session, who)]
                allowed = {r.id for r in everything if decide_refusal(session, who, r) is None}
                assert set(queued) == allowed, (who.name, serving, requests)
                assert services.badge_count(session, who) == len(queued)

    check()
