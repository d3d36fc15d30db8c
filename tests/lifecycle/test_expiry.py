"""The lapse task (contract §5, §7) with the clock set by `--today`: a duty more than 90 days past its review
date lapses and one past its end date ends, each exactly once (also across two processes at the same moment);
a renewed one does not; a stopped run is finished by the next; the ledger verifies and replays to the catalog."""

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlmodel import select

from registry.catalog.integrity import verify_ledger_and_catalog
from registry.catalog.models import Duty, DutyVersion
from registry.choices import DutyStatus
from registry.ledger.models import LedgerEntry
from registry.lifecycle.expiry import LAPSE_AFTER, expire
from registry.lifecycle.job import Stopped, run_daily_job
from registry.lifecycle.tasks import DailyTask
from registry.notifications.models import Notification
from tests.admission.helpers import VILLAGE, add_body
from tests.conftest import ROOT
from tests.lifecycle.flows import approve, file, own_duty, today, tokens_for, years_ahead
from tests.test_cli import cli, ok

SEED_REVIEW = date(2028, 12, 31)  # the seed's review date (the rest: 2026-01-01 + 3 years)
EXPIRY = [DailyTask("expiry", 100, expire)]


def active_reviews(db) -> dict[str, tuple[date | None, date | None]]:  # type: ignore[no-untyped-def]
    """code → (review_by, ends_on) of every active duty."""
    with db.read() as session:
        rows = session.exec(select(Duty.code, DutyVersion.review_by, DutyVersion.ends_on)
                            .join(DutyVersion, DutyVersion.duty_id == Duty.id)  # type: ignore[arg-type]
                            .where(DutyVersion.to_edition.is_(None), DutyVersion.status == DutyStatus.ACTIVE))  # type: ignore[union-attr]
        return {code: (review, ends) for code, review, ends in rows}


def retirements(db) -> list[dict]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        entries = session.exec(select(LedgerEntry).where(LedgerEntry.kind == "duty.retired")
                               .order_by(LedgerEntry.seq)).all()  # type: ignore[arg-type]
        return [{"seq": e.seq, **json.loads(e.payload)} for e in entries]


def verified(db) -> bool:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return verify_ledger_and_catalog(session).ok


def due_on(reviews: dict, day: date) -> dict[str, str]:
    """The oracle: what must retire on `day`, and why."""
    due = {}
    for code, (review, ends) in reviews.items():
        if ends is not None and ends < day:
            due[code] = "ended"
        elif review is not None and review + timedelta(days=90) < day:
            due[code] = "lapsed"
    return due


def test_every_seed_duty_has_a_review_date(db):
    assert all(review is not None for review, _ends in active_reviews(db).values())


def test_duties_lapse_the_day_after_ninety_days_past_review_and_only_once(client, db, settings):
    before = active_reviews(db)
    last_grace_day = SEED_REVIEW + LAPSE_AFTER
    quiet = run_daily_job(db, last_grace_day, settings, tasks=EXPIRY)
    assert str(quiet[0]) == "expiry: nothing to change" and retirements(db) == []

    edition = client.get(f"/api/v1/regions/{VILLAGE}/duties").json()["edition"]
    day = last_grace_day + timedelta(days=1)
    expected = due_on(before, day)
    assert expected and set(expected.values()) == {"lapsed"}
    lines = run_daily_job(db, day, settings, tasks=EXPIRY)
    assert str(lines[0]) == f"expiry: lapsed={len(expected)}"
    found = retirements(db)
    assert {e["duty"]["code"]: e["retired_because"] for e in found} == expected
    assert all("request_number" not in e and "decision" not in e and e["duty"]["status"] == "retired" for e in found)
    assert set(active_reviews(db)) == set(before) - set(expected)
    listed = client.get(f"/api/v1/regions/{VILLAGE}/duties").json()
    assert listed["edition"] == found[-1]["seq"] > edition
    assert not set(expected) & {d["code"] for d in listed["duties"]}

    # The same day again (the task is done), and a run of the task itself: nothing more.
    assert str(run_daily_job(db, day, settings, tasks=EXPIRY)[0]) == "expiry: already done for 2029-04-01"
    assert str(run_daily_job(db, day, settings, tasks=[DailyTask("again", 1, expire)])[0]) == "again: nothing to change"
    assert len(retirements(db)) == len(expected) and verified(db)
    with db.read() as session:
        notices = session.exec(select(Notification).where(Notification.kind == "lifecycle.retired")).all()
    assert len(notices) == len(expected) and all(n.audience_kind == "department" for n in notices)


def test_a_renewed_duty_does_not_lapse_and_a_campaign_ends(client, db, settings):
    tokens = tokens_for(db)
    renewed = own_duty(client, "YJJ")["code"]
    item = file(client, tokens, "yjj_clerk", {"kind": "renew", "duty_code": renewed, "justification": "仍需保留",
                                               "review_by": years_ahead(today(), 3).isoformat()})
    approve(client, tokens, item["id"])
    campaign = file(client, tokens, "yjj_clerk", add_body(category="campaign", ends_on="2027-12-31", scope_code=VILLAGE,
                                                          title="开展“平安家庭”创建评比活动"))
    code = approve(client, tokens, campaign["id"])["duty_code"]
    elsewhere = client.get("/api/v1/regions/330122113000").json()["children"][0]["code"]  # a village of 江南镇

    def edition(region: str) -> int:
        return client.get(f"/api/v1/regions/{region}/duties").json()["edition"]

    untouched = edition(elsewhere)
    run_daily_job(db, date(2027, 12, 31), settings, tasks=EXPIRY)
    assert code in active_reviews(db)
    run_daily_job(db, date(2028, 1, 1), settings, tasks=EXPIRY)
    assert code not in active_reviews(db)
    assert [(e["duty"]["code"], e["retired_because"]) for e in retirements(db)] == [(code, "ended")]
    # The end moves the edition of the lists that carried the campaign (§10) and of no other.
    assert edition(VILLAGE) == retirements(db)[-1]["seq"] and edition(elsewhere) == untouched

    run_daily_job(db, date(2029, 4, 2), settings, tasks=EXPIRY)
    assert renewed in active_reviews(db)
    codes = Counter(e["duty"]["code"] for e in retirements(db))
    assert set(codes.values()) == {1} and renewed not in codes
    assert verified(db)


def test_a_stopped_run_is_finished_by_the_next_and_nothing_retires_twice(db, settings):
    day = date(2029, 4, 2)
    expected = due_on(active_reviews(db), day)
    calls = {"n": 0}

    def stop_after_five() -> bool:
        calls["n"] += 1
        return calls["n"] > 5

    with pytest.raises(Stopped):
        run_daily_job(db, day, settings, tasks=EXPIRY, should_stop=stop_after_five)
    assert len(retirements(db)) == 5 and verified(db)  # each retirement committed whole, the rest not begun
    lines = run_daily_job(db, day, settings, tasks=EXPIRY)
    assert str(lines[0]) == f"expiry: lapsed={len(expected) - 5}"
    assert {e["duty"]["code"]: e["retired_because"] for e in retirements(db)} == expected
    assert verified(db)


def test_the_cli_retires_with_the_day_given(database_url, db, tmp_path):
    out = ok(cli(database_url, tmp_path, "lifecycle", "run", "--today", "2029-04-02")).stdout
    assert out.splitlines()[0].startswith("expiry: lapsed=")
    assert active_reviews(db) == {} or all(r + timedelta(days=90) >= date(2029, 4, 2)
                                           for r, _e in active_reviews(db).values())
    assert ok(cli(database_url, tmp_path, "ledger", "verify")).stdout.startswith("ok seq=")


@pytest.mark.parametrize("mode", ["job", "bare"])
def test_two_processes_at_the_same_moment_retire_each_duty_once(database_url, db, tmp_path, mode):
    """Two `registry lifecycle run` at once (the job's lock), and two bare runs of the task (its own re-checks)."""
    day = date(2029, 4, 2)
    expected = due_on(active_reviews(db), day)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    extra = ["bare"] if mode == "bare" else []
    racers = [subprocess.Popen([sys.executable, "-m", "tests.lifecycle.racer", database_url, day.isoformat(),
                                str(tmp_path), *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
              for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outputs = [racer.communicate(timeout=300) for racer in racers]
    assert all(racer.returncode == 0 for racer in racers), outputs
    printed = [line for out, _err in outputs for line in out.splitlines() if line.startswith("expiry")]
    if mode == "job":
        assert sorted(printed) == ["expiry: already done for 2029-04-02", f"expiry: lapsed={len(expected)}"]
    else:  # each process counts what it retired: together, every due duty once
        assert sum(int(line.rsplit("lapsed=", 1)[1]) for line in printed) == len(expected)
    found = retirements(db)
    assert Counter(e["duty"]["code"] for e in found) == Counter(list(expected))
    assert verified(db)
