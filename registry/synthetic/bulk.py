"""Recording many `duty.added` changes at once, exactly as `record_change` records each.

Per item, the same functions make the same rows: `version_columns` (the version), `search_columns`
(search), `duty_public` (the entry's payload), `normalise`/`canonical`/`entry_hash` (the chain). What differs
is only how the rows reach the database: ids and seqs assigned here, one multi-row insert per table and batch,
no per-item reads. Meant for a database no one else writes to (the synthetic seed checks that it is empty);
the writer's transaction still takes the ledger lock.
"""

from types import SimpleNamespace

import msgspec
from sqlalchemy import func, insert
from sqlmodel import Session, select

from registry.catalog.models import Duty, DutyVersion
from registry.catalog.schemas import DutyContent
from registry.catalog.search_index import search_columns
from registry.catalog.services import duty_public, version_columns
from registry.choices import LEDGER_KIND_FOR_CHANGE, ChangeKind, DutyStatus
from registry.ledger import chain
from registry.ledger.models import LedgerEntry
from registry.ledger.verifier import canonical, canonical_entry_hash, normalise
from registry.regions.services import DepartmentLookup, RegionIndex
from registry.timeutil import ledger_timestamp, utcnow

KIND = LEDGER_KIND_FOR_CHANGE[ChangeKind.ADDED]


class CatalogWriter:
    """Appends `duty.added` entries for new duties, batch by batch, continuing the chain it finds."""

    def __init__(self, index: RegionIndex, departments: DepartmentLookup):
        self.index = index
        self.departments = departments

    def write(self, session: Session, batch: list[tuple[str, dict]]) -> None:
        """Record each (duty code, DutyContent fields) of *batch* as a new duty, in order, in the caller's
        write transaction."""
        chain.lock_ledger(session)
        top = chain.head(session)
        next_duty = (session.exec(select(func.max(Duty.id))).one() or 0) + 1
        next_version = (session.exec(select(func.max(DutyVersion.id))).one() or 0) + 1
        recorded_at = ledger_timestamp(utcnow())
        seq, prev = top.seq, top.hash
        duties, versions, entries = [], [], []
        for offset, (code, fields) in enumerate(batch):
            content = DutyContent.model_validate(fields)
            # Plain columns, not a DutyVersion: building 600,000 instrumented ORM objects cost a third of the seed.
            columns = version_columns(content, self.index, self.departments.by_code)
            columns.update(id=next_version + offset, duty_id=next_duty + offset, version=1,
                           status=DutyStatus.ACTIVE.value, change=ChangeKind.ADDED.value, to_edition=None,
                           request_number=None)
            owner = self.departments.by_id[columns["department_id"]].code
            (columns["search_text"], columns["search_reach"], columns["search_title"],
             columns["search_words"]) = search_columns(code, columns["title"], columns["description"],
                                                       columns["burdens"], [owner, *columns["co_departments"]])
            version = SimpleNamespace(**columns)
            body = normalise(msgspec.to_builtins({"duty": duty_public(code, version, self.departments, self.index)}))
            payload = canonical(body)
            seq += 1
            digest = canonical_entry_hash(prev, seq, recorded_at, KIND, payload)
            columns["from_edition"] = seq
            duties.append({"id": columns["duty_id"], "code": code})
            versions.append(columns)
            entries.append({"seq": seq, "recorded_at": recorded_at, "kind": KIND, "payload": payload.decode("utf-8"),
                            "prev_hash": prev, "hash": digest})
            prev = digest
        # Core inserts of the tables: the ORM's bulk path adds nothing here but per-row bookkeeping.
        session.execute(insert(Duty.__table__), duties)  # type: ignore[arg-type]
        session.execute(insert(DutyVersion.__table__), versions)  # type: ignore[arg-type]
        session.execute(insert(LedgerEntry.__table__), entries)  # type: ignore[arg-type]
