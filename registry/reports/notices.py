"""Notifications of cases through the outbox (registry.notifications), written in the same transaction as the
change: the office hears of a new report, the department named of a case passed to it, the region of a closed
case. They name the case number, its title and departments or regions, never the person who filed."""

from sqlmodel import Session

from registry.choices import CLOSED_REPORT_STATES, N_, NotificationKind, ReportState
from registry.i18n import gettext, label
from registry.notifications.services import Audience, enqueue
from registry.regions.models import Department, Region
from registry.reports.models import Report

FILED = N_("New report %(number)s: %(title)s")
ASSIGNED = N_("Case %(number)s was passed to your department: %(title)s")
CONCLUDED = N_("Case %(number)s is closed (%(state)s): %(title)s")


def _text(message: str, report: Report, **extra: object) -> str:
    title = " ".join(report.title.split())[:120]  # one line: the outbox refuses carriage returns
    return gettext(message, number=report.number, title=title, **extra)


def on_filed(session: Session, report: Report) -> None:
    enqueue(session, NotificationKind.REPORT_FILED, Audience.office(), _text(FILED, report),
            link_path=f"/reports/{report.id}")


def on_moved(session: Session, report: Report) -> None:
    """After a transition: the department named hears when the case reaches it; the region when it closes."""
    department = session.get(Department, report.department_id) if report.department_id else None
    if report.state == ReportState.IN_PROGRESS and department is not None:
        enqueue(session, NotificationKind.REPORT_ASSIGNED, Audience.department(department.code),
                _text(ASSIGNED, report), link_path=f"/reports/{report.id}")
    region = session.get(Region, report.region_id) if report.region_id else None
    if report.state in CLOSED_REPORT_STATES and region is not None:
        enqueue(session, NotificationKind.REPORT_CONCLUDED, Audience.region(region.code),
                _text(CONCLUDED, report, state=label(ReportState(report.state))), link_path=f"/reports/{report.id}")
