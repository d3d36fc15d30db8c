"""Shared builders for admission tests."""

import json

from sqlmodel import func, select

from registry.accounts.models import User
from registry.accounts.services import principal_for
from registry.admission.models import AdmissionRequest
from registry.ledger.models import LedgerEntry

VILLAGE = "330122101201"  # 芦茨村 (a 村 below 富春江镇)
COUNTY = "330122000000"


def add_body(title: str = "协助开展地震应急避险演练", **changes) -> dict:  # type: ignore[no-untyped-def]
    body = {
        "kind": "add",
        "title": title,
        "description": "每年组织村民开展一次地震应急避险演练，记录参加人数并上报乡镇。",
        "category": "assisting",
        "applies_to": "all",
        "scope_code": COUNTY,
        "legal_basis": "《中华人民共和国防震减灾法》第四十四条",
        "frequency": "yearly",
        "hours_per_month": 1.5,
        "funding": {"provided": True, "amount_yuan_per_year": 2000, "source": "县财政"},
        "burdens": {"ledgers": ["演练台账"], "reports": ["演练情况表"], "meetings_per_year": 1},
        "justification": "落实防震减灾法，提高群众避险能力。",
        "start_date": "2027-06-01",
    }
    body.update(changes)
    return body


def counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        requests = session.exec(select(func.count()).select_from(AdmissionRequest)).one()
        entries = session.exec(select(func.count()).select_from(LedgerEntry)).one()
        return int(requests), int(entries)


def principal(db, name: str):  # type: ignore[no-untyped-def]
    with db.read() as session:
        user = session.exec(select(User).where(User.name == name)).one()
        return principal_for(session, user)


def last_entry(db) -> dict:  # type: ignore[no-untyped-def]
    with db.read() as session:
        entry = session.exec(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1)).one()  # type: ignore[attr-defined]
        return {"seq": entry.seq, "kind": entry.kind, "payload": json.loads(entry.payload), "hash": entry.hash}


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
