"""The demo cases reproduce the seed's sentence (30 collected, 19 resolved, 4 advanced), are marked
illustrative, load once, and keep the ledger verifiable."""

from sqlalchemy import func
from sqlmodel import select

from registry.catalog.integrity import verify_ledger_and_catalog
from registry.ledger.models import LedgerEntry
from registry.reports.demo import load_demo_reports
from registry.reports.models import Report
from registry.seeding import SEED_DIR, load_seed


def test_demo_reports_reproduce_the_sentence(client, db):
    assert load_seed(db, demo=True, demo_reports=True).created.get("reports") is None  # accounts exist already
    assert load_demo_reports(db, SEED_DIR / "demo_reports.json") == 30
    assert load_demo_reports(db, SEED_DIR / "demo_reports.json") == 0  # once
    figures = client.get("/api/v1/reports/stats?year=2026").json()
    assert (figures["collected"], figures["resolved"], figures["advanced"]) == (30, 19, 4)
    assert figures["by_outcome"] == {"withdrawn": 7, "admitted": 2, "coordinated": 7, "not_violation": 3}
    assert figures["dismissed"] == 2 and figures["open"] == 9
    page = client.get("/reports/stats?year=2026")
    assert "共收集问题 30 个，已协调解决 19 个，实质性推进 4 个" in page.text
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(Report).where(Report.illustrative)).one() == 30
        assert session.exec(select(func.count()).select_from(LedgerEntry)
                            .where(LedgerEntry.kind == "report.closed")).one() == 21
        assert verify_ledger_and_catalog(session).ok
