"""An Atom feed per department of its closed cases: what the public ledger already says (`report.closed`: number,
kind, outcome, state, note), with links that start with REGISTRY_PUBLIC_URL. Open cases and regions stay out:
a department's open cases are for it and the office, and a region would point at the reporter."""

from xml.sax.saxutils import escape

from sqlmodel import Session, col, select

from registry.choices import CLOSED_REPORT_STATES, N_, ReportKind, ReportOutcome, ReportState
from registry.errors import NotFound
from registry.i18n import current_language, gettext, label_of
from registry.regions.models import Department
from registry.reports.models import Report, ReportEvent
from registry.timeutil import iso_utc

FEED_SIZE = 50
FEED_TITLE = N_("Closed cases naming %(name)s")


def department_feed(session: Session, code: str, base: str) -> bytes:
    """The newest FEED_SIZE closed cases naming department *code*, as Atom (NotFound for an unknown code)."""
    department = session.exec(select(Department).where(Department.code == code[:32])).first()
    if department is None:
        raise NotFound(N_("No department with the code %(code)s."), code=code[:32])
    reports = list(session.exec(
        select(Report).where(Report.department_id == department.id,
                             col(Report.state).in_([str(s) for s in CLOSED_REPORT_STATES]))
        .order_by(col(Report.closed_at).desc(), col(Report.id).desc()).limit(FEED_SIZE)))
    notes: dict[int, str] = {}
    if reports:
        events = session.exec(select(ReportEvent).where(col(ReportEvent.report_id).in_([r.id for r in reports]))
                              .order_by(col(ReportEvent.id)))
        for event in events:
            notes[event.report_id] = event.note  # the last event: the closing note
    self_link = f"{base}/reports/departments/{department.code}/feed.atom"
    updated = iso_utc(reports[0].closed_at) if reports and reports[0].closed_at else "1970-01-01T00:00:00.000000Z"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{current_language()}">',
        f"<title>{escape(gettext(FEED_TITLE, name=department.name))}</title>",
        f"<id>{escape(self_link)}</id>",
        f'<link rel="self" href="{escape(self_link)}"/>',
        f'<link href="{escape(base)}/reports/stats"/>',
        f"<updated>{escape(updated or '')}</updated>",
        f"<author><name>{escape(department.name)}</name></author>",
    ]
    for report in reports:
        state = label_of(ReportState, report.state)
        outcome = label_of(ReportOutcome, report.outcome) if report.outcome else ""
        title = " · ".join(t for t in (report.number, label_of(ReportKind, report.kind), state, outcome) if t)
        parts += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f"<id>{escape(base)}/reports/{report.id}</id>",
            f"<updated>{escape(iso_utc(report.closed_at) or '')}</updated>",
            f"<summary>{escape(notes.get(report.id, ''))}</summary>",  # type: ignore[arg-type]
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")
