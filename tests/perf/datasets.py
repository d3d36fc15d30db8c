"""Data-set builders for the benchmark. A builder takes a database URL, fills it and returns `Facts`:
the codes and editions the rows of the table need. More scales (province, national, PostgreSQL) are
added by writing another builder with the same signature and naming it on the command line
(`--scale module:function`), see `tests/perf/bench.py`.

`county_builder` keeps the ledger valid: the Tonglu seed through `load_seed`, then synthetic towns and
villages bulk-inserted (regions are not in the ledger), then every duty through `record_change`.
`ledger_builder` appends `request.decided` entries with the hashing of `chain.append`, in bulk.
"""

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import insert, make_url

COUNTY = "330122000000"
SEARCH_TERM = "台账"
CATEGORIES = ("self_governance", "assisting", "prohibited", "certificate_allowed", "certificate_prohibited",
              "signboard", "mechanism", "campaign")


@dataclass
class Facts:
    """What a built data set offers the rows: sample codes, catalog editions, sizes, tokens."""

    label: str
    villages: int
    duties: int
    county: str
    town: str
    village: str
    village_codes: list[str]
    editions: list[int]
    search: str = SEARCH_TERM
    tokens: dict[str, str] = field(default_factory=dict)
    ledger_entries: int = 0
    build_seconds: float | None = 0.0  # None: an existing set, not built by this run


Builder = Callable[[str], Facts]


def _town_code(t: int) -> str:
    return f"330122{600 + t:03d}000"


def _village_code(t: int, v: int) -> str:
    return f"330122{600 + t:03d}{100 + v:03d}"


def county_builder(towns: int, villages_per_town: int, duties: int, label: str | None = None,
                   tokens: bool = False) -> Builder:
    """A Tonglu county grown to towns × villages_per_town synthetic villages and about *duties* duties.

    Duties: 3% county-wide, 40% on towns (round robin), the rest on villages (spread by a stride).
    `tokens` also creates the demo accounts and bearer tokens for a clerk and the two stages' reviewers.
    """
    if towns > 400 or villages_per_town > 899:
        raise ValueError("the synthetic codes allow at most 400 towns of 899 villages")

    def build(url: str) -> Facts:
        from registry.catalog.schemas import DutyContent
        from registry.catalog.services import record_change
        from registry.db import Database
        from registry.migrations.runner import upgrade
        from registry.regions.models import Region
        from registry.regions.services import forget_regions
        from registry.seeding import load_seed

        began = time.perf_counter()
        upgrade(url)
        db = Database(url)
        load_seed(db, demo=tokens)
        table = Region.__table__  # type: ignore[attr-defined]
        with db.write() as session:
            county = session.execute(table.select().where(Region.code == COUNTY)).first()
            session.execute(insert(Region), [
                {"code": _town_code(t), "name": f"测试镇{t}", "level": "town", "kind": "town", "parent_id": county.id}
                for t in range(towns)])
            town_ids = {row.code: row.id for row in session.execute(table.select().where(Region.level == "town"))}
            rows = [{"code": _village_code(t, v), "name": f"测试村{t}-{v}", "level": "village",
                     "kind": "village" if v % 4 else "community", "parent_id": town_ids[_town_code(t)]}
                    for t in range(towns) for v in range(villages_per_town)]
            for start in range(0, len(rows), 20_000):
                session.execute(insert(Region), rows[start:start + 20_000])
        forget_regions()
        county_duties = max(1, duties * 3 // 100)
        town_duties = duties * 2 // 5
        scopes = [COUNTY] * county_duties
        scopes += [_town_code(n % towns) for n in range(town_duties)]
        scopes += [_village_code(n % towns, (n * 7) % villages_per_town)
                   for n in range(duties - county_duties - town_duties)]
        for start in range(0, len(scopes), 500):
            with db.write() as session:
                for n in range(start, min(start + 500, len(scopes))):
                    item = DutyContent.model_validate({
                        "title": f"基准测试事项{n}", "description": f"第{n}个用于基准测试的事项，含台账和报表。",
                        "category": CATEGORIES[n % 8], "applies_to": ("all", "village", "community")[n % 3],
                        "scope_code": scopes[n], "department": "MZJ", "legal_basis": "《测试条例》",
                        "frequency": "monthly", "hours_per_month": 1.5,
                        "burdens": {"ledgers": [f"台账{n}"], "reports": [f"报表{n}"], "apps": ["某APP"]},
                    })
                    record_change(session, "added", item, duty_code=f"B{n:05d}")
        editions = _catalog_editions(db)
        made_tokens = {}
        if tokens:
            from registry.accounts.services import create_token

            made_tokens = {name: create_token(db, name) for name in ("yjj_clerk", "mzj_reviewer", "sfj_reviewer")}
        db.dispose()
        codes = [_village_code(t, v) for t in range(towns) for v in range(villages_per_town)]
        return Facts(label or f"county {len(codes):,} villages", len(codes), duties, COUNTY, _town_code(towns // 2),
                     _village_code(17 % towns, 42 % villages_per_town), codes, editions, tokens=made_tokens,
                     build_seconds=time.perf_counter() - began)

    return build


def _catalog_editions(db) -> list[int]:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from registry.catalog.models import DutyVersion

    with db.read() as session:
        return sorted(set(session.exec(select(DutyVersion.from_edition))))


DECISION_PAYLOAD = {
    "kind": "add", "duty_code": None, "stage": "substantive", "decision": "approve",
    "reason": "符合《村民委员会组织法》的规定，经实质审查同意进入合法性审查。", "exemption_reason": None,
    "department": {"code": "MZJ", "name": "县民政局"}, "decided_by": "reviewer", "state": "in_review",
    "next_stage": "legality",
}


def ledger_builder(entries: int) -> Builder:
    """The Tonglu seed, then `request.decided` entries up to *entries* in all, hashed exactly as
    `chain.append` hashes them (canonical payload, sha256 chain), inserted in bulk."""

    def build(url: str) -> Facts:
        from registry.db import Database
        from registry.ledger.verifier import canonical, entry_hash, normalise
        from registry.migrations.runner import upgrade
        from registry.seeding import load_seed
        from registry.timeutil import ledger_timestamp, utcnow

        began = time.perf_counter()
        upgrade(url)
        db = Database(url)
        load_seed(db, demo=False)
        db.dispose()
        path = make_url(url).database
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode=WAL")
        seq, prev = connection.execute("SELECT seq, hash FROM ledger_entries ORDER BY seq DESC LIMIT 1").fetchone()
        recorded_at = ledger_timestamp(utcnow())
        batch = []
        while seq < entries:
            seq += 1
            body = normalise({**DECISION_PAYLOAD, "request_number": f"R2027-{seq:07d}",
                              "title": f"协助开展第{seq}次专项演练登记"})
            digest = entry_hash(prev, seq, recorded_at, "request.decided", body)
            batch.append((seq, recorded_at, "request.decided", canonical(body).decode("utf-8"), prev, digest))
            prev = digest
            if len(batch) == 50_000 or seq == entries:
                connection.executemany("INSERT INTO ledger_entries (seq, recorded_at, kind, payload, prev_hash, hash)"
                                       " VALUES (?, ?, ?, ?, ?, ?)", batch)
                connection.commit()
                batch.clear()
        connection.close()
        return Facts(f"ledger {entries:,} entries", 0, 0, COUNTY, "", "", [], [], ledger_entries=entries,
                     build_seconds=time.perf_counter() - began)

    return build


def bare_hash_loop(url: str) -> tuple[int, float]:
    """The reference for `ledger verify`: read every entry's stored bytes, sha256 them as the chain
    rule says, compare with the stored hash and link. (entries, seconds)."""
    import hashlib

    began = time.perf_counter()
    connection = sqlite3.connect(make_url(url).database)
    prev, count = "0" * 64, 0
    cursor = connection.execute("SELECT seq, recorded_at, kind, payload, prev_hash, hash FROM ledger_entries "
                                "ORDER BY seq")
    for seq, recorded_at, kind, payload, prev_hash, stored in cursor:
        head = f"{prev}\n{seq}\n{recorded_at}\n{kind}\n".encode()
        digest = hashlib.sha256(head + payload.encode()).hexdigest()
        if prev_hash != prev or digest != stored:
            raise RuntimeError(f"bare loop: bad entry {seq}")
        prev, count = digest, count + 1
    connection.close()
    return count, time.perf_counter() - began


def village_list_rows(document: dict) -> list[dict]:
    """The duties of a list document, reduced to what the reference Jinja page prints."""
    return [{"code": d["code"], "title": d["title"], "description": d["description"], "category": d["category"],
             "department": d["department"]["name"], "frequency": d["frequency"],
             "hours": d["hours_per_month"], "ledgers": "、".join(d["burdens"]["ledgers"])}
            for d in document["duties"]]


def dump_rows(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)


def synthetic_builder(scale: str, seed: int = 1, existing: bool = False) -> Builder:
    """A `registry seed --synthetic SCALE` set (contract §10): the many-county data the province and national
    rows run on. Sample codes: a village (with its county and town) drawn by the seed, 10,000 villages for the
    distinct-village row, every catalog edition for `as_of`. No accounts (the approvals row is county-only).
    *existing*: the set is already in the database (a kept database of an earlier run): read its facts only."""

    def build(url: str) -> Facts:
        import random

        from sqlmodel import select

        from registry.db import Database
        from registry.migrations.runner import upgrade
        from registry.regions.models import Region
        from registry.synthetic.build import build as build_synthetic

        began = time.perf_counter()
        db = Database(url)
        items = None
        if not existing:
            upgrade(url)
            items = build_synthetic(db, scale, seed).counts.get("items", 0)
        with db.read() as session:
            regions = session.exec(select(Region.id, Region.code, Region.level, Region.parent_id)).all()
        by_id = {r.id: r for r in regions}
        villages = sorted(r.code for r in regions if r.level == "village")
        rng = random.Random(seed)
        village = rng.choice(villages)
        chain = [by_id[next(r.id for r in regions if r.code == village)]]
        while chain[-1].parent_id is not None:
            chain.append(by_id[chain[-1].parent_id])
        town = next(r.code for r in chain if r.level == "town")
        county = next(r.code for r in chain if r.level == "county")
        editions = _catalog_editions(db)
        db.dispose()
        sample = rng.sample(villages, min(10_000, len(villages)))
        return Facts(f"{scale} synthetic, {url.split(':', 1)[0].split('+')[0]}", len(villages),
                     len(editions) if items is None else items, county, town, village, sample, editions,
                     search="台账", build_seconds=None if existing else time.perf_counter() - began)

    return build
