"""Imports every table model so that SQLModel.metadata is complete (Alembic and tests use this)."""

from registry.accounts.models import ApiToken, AuditEvent, LoginAttempt, StoredValue, User
from registry.admission.models import (
    AdmissionRequest,
    Decision,
    RequestOffset,
    ReviewStage,
    ReviewStageDepartment,
)
from registry.burden.models import BudgetCap
from registry.catalog.models import Duty, DutyVersion
from registry.ledger.models import LedgerEntry
from registry.lifecycle.models import DailyTaskRun, JobLock
from registry.notifications.models import Notification
from registry.regions.models import Department, Holiday, Region
from registry.reports.models import Report, ReportEvent, ReportFile

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
    "Holiday",
    "JobLock",
    "LedgerEntry",
    "LoginAttempt",
    "Notification",
    "Region",
    "Report",
    "ReportEvent",
    "ReportFile",
    "RequestOffset",
    "ReviewStage",
    "ReviewStageDepartment",
    "StoredValue",
    "User",
]
