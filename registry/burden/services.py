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
from registry.regions.services import region_index

__all__ = ["budget_public", "caps_by_county", "current_caps", "region_burden", "replace_caps", "set_budget",
           "village_totals"]


def _county_id(session: Session, county_id: int | None) -> int | None:
    """The county whose caps are meant: *county_id*, else the deployment's default county (contract §10)."""
    if county_id is not None:
        return county_id
    owner = region_index(session).default_owner()
    return owner.id if owner else None


def current_caps(session: Session, county_id: int | None = None) -> dict[str, int | float]:
    """The caps in force in one county (default: the default county), {TOTALS field: maximum per village}."""
    statement = select(BudgetCap).where(BudgetCap.region_id == _county_id(session, county_id))
    return {cap.field: _number(cap.maximum) for cap in session.exec(statement.order_by(BudgetCap.field))}


def caps_by_county(session: Session) -> dict[int, dict[str, int | float]]:
    """Every county's caps, {county id: {TOTALS field: maximum per village}} (one statement)."""
    found: dict[int, dict[str, int | float]] = {}
    for cap in session.exec(select(BudgetCap).order_by(BudgetCap.region_id, BudgetCap.field)):
        found.setdefault(cap.region_id, {})[cap.field] = _number(cap.maximum)
    return found


def budget_public(session: Session, county_id: int | None = None) -> BudgetPublic:
    """The BUDGET shape, fields in TOTALS order."""
    caps = current_caps(session, county_id)
    return BudgetPublic(caps={name: caps[name] for name in TOTALS_FIELDS if name in caps})


def replace_caps(session: Session, caps: dict[str, int | float],
                 county_id: int | None = None) -> dict[str, int | float]:
    """Replace every cap of one county (default: the default county) and append one budget.changed entry,
    inside the caller's write transaction. The entry names the county only when it is not the default one, so
    a one-county deployment's entries keep their shape."""
    unknown = set(caps) - set(TOTALS_FIELDS)
    if unknown:
        raise ValueError(f"unknown budget fields: {sorted(unknown)}")
    index = region_index(session)
    default = index.default_owner()
    region_id = _county_id(session, county_id)
    if region_id is None:
        raise ValueError("budget caps need a county")
    for row in session.exec(select(BudgetCap).where(BudgetCap.region_id == region_id)):
        session.delete(row)
    session.flush()
    for field, maximum in caps.items():
        session.add(BudgetCap(region_id=region_id, field=field, maximum=float(maximum)))
    shaped = {field: _number(value) for field, value in sorted(caps.items())}
    payload: dict = {"caps": shaped}
    if default is None or region_id != default.id:
        county = index.by_id.get(region_id)
        payload["region_code"] = county.code if county else None
    chain.append(session, LedgerKind.BUDGET_CHANGED, payload)
    session.flush()
    return shaped


def set_budget(db: Database, caps: dict[str, int | float], actor: str = "",
               county_id: int | None = None) -> BudgetPublic:
    """Replace one county's caps in one write transaction (one budget.changed entry, and an audit record naming
    the administrator *actor*); the new BUDGET."""
    with db.write() as session:
        shaped = replace_caps(session, caps, county_id)
        session.add(AuditEvent(kind=AuditKind.BUDGET_CAPS_CHANGED, actor=actor[:64],
                               detail=", ".join(f"{k}={v}" for k, v in shaped.items())[:500]))
        return budget_public(session, county_id)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 1)


from registry.burden.profile import region_burden, village_totals  # noqa: E402  (re-export)
