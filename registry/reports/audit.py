"""The office's audit view of a report: the one place that names who filed it (contract §6 keeps the reporter out
of every other page, export, feed and API answer). Only the office and admins may look, and every look is itself
recorded (AuditKind.REPORTER_VIEWED, naming who looked and the report's number, never the reporter), so the view
lists who looked before."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from registry.accounts.models import AuditEvent, User
from registry.accounts.services import Principal
from registry.choices import AuditKind, Role
from registry.db import Database
from registry.errors import Forbidden
from registry.regions.services import region_index
from registry.reports.services import SEES_ALL, find

LOOKUPS_SHOWN = 50


@dataclass(frozen=True)
class Lookup:
    at: datetime
    actor: str


@dataclass(frozen=True)
class ReporterAudit:
    report_id: int
    number: str
    title: str
    filed_at: datetime
    reporter: str | None  # the account name; None when the report was not filed by an account (seeded examples)
    reporter_role: Role | None
    reporter_region: str | None
    lookups: list[Lookup]  # earlier looks, newest first (this one included)


def reporter_audit(db: Database, principal: Principal, report_id: int) -> ReporterAudit:
    """Who filed the report, for the office and admins (Forbidden for others; NotFound for no such report);
    the look is recorded in the same transaction."""
    if principal.role not in SEES_ALL:
        raise Forbidden()
    with db.write() as session:
        report = find(session, principal, report_id)
        user = session.get(User, report.reporter_id) if report.reporter_id is not None else None
        region = region_index(session).by_id.get(user.region_id) if user and user.region_id is not None else None
        session.add(AuditEvent(kind=AuditKind.REPORTER_VIEWED, actor=principal.name[:64], detail=report.number))
        session.flush()
        rows = session.exec(select(AuditEvent).where(AuditEvent.kind == AuditKind.REPORTER_VIEWED,
                                                     AuditEvent.detail == report.number)
                            .order_by(col(AuditEvent.id).desc()).limit(LOOKUPS_SHOWN))
        lookups = [Lookup(at=row.at, actor=row.actor) for row in rows]
        return ReporterAudit(report_id=report.id, number=report.number, title=report.title,  # type: ignore[arg-type]
                             filed_at=report.created_at, reporter=user.name if user else None,
                             reporter_role=Role(user.role) if user else None,
                             reporter_region=region.name if region is not None else None, lookups=lookups)
