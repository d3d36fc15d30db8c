"""Imports every table model so that SQLModel.metadata is complete (Alembic and tests use this)."""

from registry.accounts.models import ApiToken, AuditEvent, LoginAttempt, StoredValue, User
from registry.admission.models import (
    AdmissionRequest,
    Decision,
    RequestOffset,
    ReviewStage,
    ReviewStageDepartment,
)
from registry.assessments.models import JointAssessment, JointAssessmentMember
from registry.burden.models import BudgetCap
from registry.cadres.models import ListVisit
from registry.catalog.models import Duty, DutyVersion
from registry.forms.models import Form, Indicator, VillageValue, VillageValueHistory
from registry.ledger.models import LedgerEntry
from registry.lifecycle.models import DailyTaskRun, JobLock
from registry.meetings.models import Meeting, MeetingAudience
from registry.notifications.models import Notification
from registry.ratings.models import Rating
from registry.regions.models import Department, Holiday, Region
from registry.reports.models import Report, ReportEvent, ReportFile
from registry.secondments.models import (
    Secondment,
    SecondmentCheck,
    SecondmentConsent,
    TemporaryBody,
    TownStaff,
)

__all__ = [
    "AdmissionRequest",
    "ApiToken",
    "AuditEvent",
    "BudgetCap",
    "DailyTaskRun",
    "Decision",
    "Department",
    "Duty",
    "DutyVersion",
    "Form",
    "Holiday",
    "Indicator",
    "JobLock",
    "JointAssessment",
    "JointAssessmentMember",
    "LedgerEntry",
    "ListVisit",
    "LoginAttempt",
    "Meeting",
    "MeetingAudience",
    "Notification",
    "Rating",
    "Region",
    "Report",
    "ReportEvent",
    "ReportFile",
    "RequestOffset",
    "ReviewStage",
    "ReviewStageDepartment",
    "Secondment",
    "SecondmentCheck",
    "SecondmentConsent",
    "StoredValue",
    "TemporaryBody",
    "TownStaff",
    "User",
    "VillageValue",
    "VillageValueHistory",
]
