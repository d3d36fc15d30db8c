"""Burden accounting and the burden budget.

Read functions take a Session; `replace_caps` runs inside the caller's write transaction and
`set_budget` owns one. Profiles live in registry.burden.profile (re-exported here).
"""

from sqlmodel import Session, select

from registry.accounts.models import AuditEvent
from registry.burden.models import BudgetCap
from registry.burden.schemas import BudgetPublic
from registry.choices import TOTALS_FIELDS, AuditKind, LedgerKind
from registry.db import Database
from registry.ledger import chain

__all__ = ["budget_public", "current_caps", "region_burden", "replace_caps", "set_budget", "village_totals"]


def current_caps(session: Session) -> dict[str, int | float]:
    """The caps in force, {TOTALS field: maximum per village}."""
    return {cap.field: _number(cap.maximum) for cap in session.exec(select(BudgetCap).order_by(BudgetCap.field))}


def budget_public(session: Session) -> BudgetPublic:
    """The BUDGET shape, fields in TOTALS order."""
    caps = current_caps(session)
    return BudgetPublic(caps={name: caps[name] for name in TOTALS_FIELDS if name in caps})


def replace_caps(session: Session, caps: dict[str, int | float]) -> dict[str, int | float]:
    """Replace every cap and append one budget.changed entry, inside the caller's write transaction."""
    unknown = set(caps) - set(TOTALS_FIELDS)
    if unknown:
        raise ValueError(f"unknown budget fields: {sorted(unknown)}")
    for row in session.exec(select(BudgetCap)):
        session.delete(row)
    session.flush()
    for field, maximum in caps.items():
        session.add(BudgetCap(field=field, maximum=float(maximum)))
    shaped = {field: _number(value) for field, value in sorted(caps.items())}
    chain.append(session, LedgerKind.BUDGET_CHANGED, {"caps": shaped})
    session.flush()
    return shaped


def set_budget(db: Database, caps: dict[str, int | float], actor: str = "") -> BudgetPublic:
    """Replace the caps in one write transaction (one budget.changed entry, and an audit record naming the
    administrator *actor*); the new BUDGET."""
    with db.write() as session:
        shaped = replace_caps(session, caps)
        session.add(AuditEvent(kind=AuditKind.BUDGET_CAPS_CHANGED, actor=actor[:64],
                               detail=", ".join(f"{k}={v}" for k, v in shaped.items())[:500]))
        return budget_public(session)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 1)


from registry.burden.profile import region_burden, village_totals  # noqa: E402  (re-export)
