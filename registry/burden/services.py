"""Burden accounting and the burden budget."""

from sqlmodel import Session, select

from registry.burden.models import BudgetCap
from registry.choices import TOTALS_FIELDS, LedgerKind
from registry.ledger import chain


def current_caps(session: Session) -> dict[str, int | float]:
    """The caps in force, {TOTALS field: maximum per village}."""
    return {cap.field: _number(cap.maximum) for cap in session.exec(select(BudgetCap).order_by(BudgetCap.field))}


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


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 1)
