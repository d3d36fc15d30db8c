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
