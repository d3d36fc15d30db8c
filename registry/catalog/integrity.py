"""`registry ledger verify`: the chain holds, and the catalog tables equal the replay of the ledger."""

import json
from dataclasses import dataclass

import msgspec
from sqlmodel import Session, col, select

from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import duty_public
from registry.choices import CATALOG_KINDS
from registry.forms.register import FORMS_KEY, INDICATORS_KEY, register_difference
from registry.ledger import chain
from registry.regions.services import department_lookup, region_index

ABSENT_MEANS_NULL = {"ends_on": None}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    line: str  # what the command prints


def verify_ledger_and_catalog(session: Session) -> Verdict:
    """Check every hash and link, then replay duty.* entries and compare with the current catalog."""
    replayed: dict[str, dict] = {}
    editions: dict[str, int] = {}
    register: tuple[dict[str, dict], dict[str, dict]] = ({}, {})  # the form register (indicators, forms)

    def entries():  # type: ignore[no-untyped-def]
        for entry in chain.iter_entries(session):
            if entry.kind in CATALOG_KINDS:
                payload = json.loads(entry.payload)
                # Entries written before DUTY had `ends_on` hold no such key: it was null then.
                duty = {**ABSENT_MEANS_NULL, **payload["duty"]}
                replayed[duty["code"]] = duty
                register[0].update((i["code"], i) for i in payload.get(INDICATORS_KEY) or [])
                register[1].update((f["code"], f) for f in payload.get(FORMS_KEY) or [])
                editions[duty["code"]] = entry.seq
            yield entry

    head, problem = chain.verify_chain(entries())
    if problem:
        return Verdict(False, f"bad seq={problem[0]}: {problem[1]}")
    index = region_index(session)
    departments = department_lookup(session)
    current = {}
    rows = session.exec(
        select(Duty.code, DutyVersion).join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(col(DutyVersion.to_edition).is_(None))
    )
    for code, version in rows:
        # Compared as the ledger holds it: the DUTY shape as plain JSON values.
        current[code] = (msgspec.to_builtins(duty_public(code, version, departments, index)), version.from_edition)
    for code in sorted(set(replayed) | set(current)):
        if code not in current:
            return Verdict(False, f"bad catalog: duty {code} is in the ledger but not in the catalog")
        if code not in replayed:
            return Verdict(False, f"bad catalog: duty {code} is in the catalog but not in the ledger")
        duty, edition = current[code]
        if duty != replayed[code]:
            fields = sorted(k for k in set(duty) | set(replayed[code]) if duty.get(k) != replayed[code].get(k))
            return Verdict(False, f"bad catalog: duty {code} differs from the ledger in {', '.join(fields)}")
        if edition != editions[code]:
            return Verdict(
                False, f"bad catalog: duty {code} version entered at {edition}, ledger says {editions[code]}"
            )
    difference = register_difference(session, register)
    if difference:
        return Verdict(False, f"bad catalog: {difference}")
    return Verdict(True, f"ok seq={head.seq} hash={head.hash}")
