"""Every enumeration of the contract with its translatable label (labels are msgids; see i18n)."""

from enum import StrEnum


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated when shown."""
    return message


class Category(StrEnum):
    SELF_GOVERNANCE = "self_governance"
    ASSISTING = "assisting"
    PROHIBITED = "prohibited"
    CERTIFICATE_ALLOWED = "certificate_allowed"
    CERTIFICATE_PROHIBITED = "certificate_prohibited"
    SIGNBOARD = "signboard"
    MECHANISM = "mechanism"
    CAMPAIGN = "campaign"


CATEGORY_LABELS = {
    Category.SELF_GOVERNANCE: N_("Self-governance duties"),
    Category.ASSISTING: N_("Duties assisting the government"),
    Category.PROHIBITED: N_("Duties not to be borne (negative list)"),
    Category.CERTIFICATE_ALLOWED: N_("Certificates that may be issued"),
    Category.CERTIFICATE_PROHIBITED: N_("Certificates not to be issued"),
    Category.SIGNBOARD: N_("Signboards"),
    Category.MECHANISM: N_("Work mechanisms"),
    Category.CAMPAIGN: N_("Creation and ranking campaigns"),
}
NOT_PERFORMED = frozenset({Category.PROHIBITED, Category.CERTIFICATE_PROHIBITED})
PERFORMED = tuple(c for c in Category if c not in NOT_PERFORMED)


class AppliesTo(StrEnum):
    VILLAGE = "village"
    COMMUNITY = "community"
    ALL = "all"


APPLIES_TO_LABELS = {
    AppliesTo.VILLAGE: N_("Villages"),
    AppliesTo.COMMUNITY: N_("Communities"),
    AppliesTo.ALL: N_("Villages and communities"),
}


class RegionLevel(StrEnum):
    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"


class RegionKind(StrEnum):
    COUNTY = "county"
    SUBDISTRICT = "subdistrict"
    TOWN = "town"
    TOWNSHIP = "township"
    ETHNIC_TOWNSHIP = "ethnic_township"
    VILLAGE = "village"
    COMMUNITY = "community"


REGION_KIND_LABELS = {
    RegionKind.COUNTY: N_("County"),
    RegionKind.SUBDISTRICT: N_("Subdistrict"),
    RegionKind.TOWN: N_("Town"),
    RegionKind.TOWNSHIP: N_("Township"),
    RegionKind.ETHNIC_TOWNSHIP: N_("Ethnic township"),
    RegionKind.VILLAGE: N_("Village"),
    RegionKind.COMMUNITY: N_("Community"),
}
KINDS_BY_LEVEL = {
    RegionLevel.COUNTY: {RegionKind.COUNTY},
    RegionLevel.TOWN: {RegionKind.SUBDISTRICT, RegionKind.TOWN, RegionKind.TOWNSHIP, RegionKind.ETHNIC_TOWNSHIP},
    RegionLevel.VILLAGE: {RegionKind.VILLAGE, RegionKind.COMMUNITY},
}


class Frequency(StrEnum):
    ONCE = "once"
    YEARLY = "yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    DAILY = "daily"
    AS_NEEDED = "as_needed"


FILINGS_PER_YEAR = {
    Frequency.ONCE: 1,
    Frequency.YEARLY: 1,
    Frequency.QUARTERLY: 4,
    Frequency.MONTHLY: 12,
    Frequency.WEEKLY: 52,
    Frequency.DAILY: 365,
    Frequency.AS_NEEDED: 0,
}
FREQUENCY_LABELS = {
    Frequency.ONCE: N_("Once"),
    Frequency.YEARLY: N_("Yearly"),
    Frequency.QUARTERLY: N_("Quarterly"),
    Frequency.MONTHLY: N_("Monthly"),
    Frequency.WEEKLY: N_("Weekly"),
    Frequency.DAILY: N_("Daily"),
    Frequency.AS_NEEDED: N_("As needed"),
}


class DutyStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


DUTY_STATUS_LABELS = {DutyStatus.ACTIVE: N_("In force"), DutyStatus.RETIRED: N_("Retired")}


class RequestKind(StrEnum):
    ADD = "add"
    AMEND = "amend"
    RETIRE = "retire"


REQUEST_KIND_LABELS = {
    RequestKind.ADD: N_("Add a duty"),
    RequestKind.AMEND: N_("Amend a duty"),
    RequestKind.RETIRE: N_("Retire a duty"),
}


class RequestState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


REQUEST_STATE_LABELS = {
    RequestState.DRAFT: N_("Draft"),
    RequestState.SUBMITTED: N_("Under review"),
    RequestState.RETURNED: N_("Returned for correction"),
    RequestState.APPROVED: N_("Approved"),
    RequestState.REJECTED: N_("Rejected"),
    RequestState.WITHDRAWN: N_("Withdrawn"),
}
EDITABLE_STATES = frozenset({RequestState.DRAFT, RequestState.RETURNED})
UNDECIDED_STATES = frozenset({RequestState.DRAFT, RequestState.SUBMITTED, RequestState.RETURNED})
DECIDED_PUBLIC_STATES = frozenset({RequestState.APPROVED, RequestState.REJECTED})


class DecisionKind(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


DECISION_LABELS = {
    DecisionKind.APPROVE: N_("Approve"),
    DecisionKind.REJECT: N_("Reject"),
    DecisionKind.RETURN: N_("Return for correction"),
}


class FlagKind(StrEnum):
    NEGATIVE_LIST = "negative_list"
    DUPLICATE = "duplicate"
    NO_FUNDING = "no_funding"
    NO_LEGAL_BASIS = "no_legal_basis"
    LATE_FILING = "late_filing"
    OVER_BUDGET = "over_budget"


EXEMPTION_FLAGS = frozenset({FlagKind.NO_FUNDING, FlagKind.OVER_BUDGET})


class Role(StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    DEPARTMENT = "department"
    CADRE = "cadre"
    OFFICE = "office"


ROLE_LABELS = {
    Role.ADMIN: N_("Administrator"),
    Role.REVIEWER: N_("Reviewer"),
    Role.DEPARTMENT: N_("Department clerk"),
    Role.CADRE: N_("Village cadre"),
    Role.OFFICE: N_("County office serving the grassroots"),
}
# Roles whose accounts act for a department (contract §1, §5): `registry users create` needs `--department`.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT, Role.REVIEWER, Role.OFFICE})


class DepartmentKind(StrEnum):
    PARTY = "party"
    GOVERNMENT = "government"
    MASS = "mass"
    VERTICAL = "vertical"


BURDEN_LISTS = ("ledgers", "reports", "apps", "signboards", "wall_rules", "assessments", "campaigns")
TOTALS_FIELDS = (
    "duties",
    "ledgers",
    "reports",
    "filings_per_year",
    "apps",
    "signboards",
    "wall_rules",
    "assessments",
    "campaigns",
    "meetings_per_year",
    "hours_per_month",
)
TOTALS_LABELS = {
    "duties": N_("Duties"),
    "ledgers": N_("Ledgers"),
    "reports": N_("Reports and forms"),
    "filings_per_year": N_("Filings per year"),
    "apps": N_("Government apps"),
    "signboards": N_("Signboards"),
    "wall_rules": N_("Rules on walls"),
    "assessments": N_("Assessments and inspections"),
    "campaigns": N_("Creation and ranking campaigns"),
    "meetings_per_year": N_("Meetings per year"),
    "hours_per_month": N_("Hours per month"),
}


class LedgerKind(StrEnum):
    DUTY_ADDED = "duty.added"
    DUTY_AMENDED = "duty.amended"
    DUTY_RETIRED = "duty.retired"
    REQUEST_DECIDED = "request.decided"
    BUDGET_CHANGED = "budget.changed"


CATALOG_KINDS = frozenset({LedgerKind.DUTY_ADDED, LedgerKind.DUTY_AMENDED, LedgerKind.DUTY_RETIRED})


class DailyTaskState(StrEnum):
    """How far one daily task got on one day (an operator's record; not shown in the UI)."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class NotificationKind(StrEnum):
    """What a notification is about; each area adds its own kinds here."""

    WEBHOOK_TEST = "webhook.test"


NOTIFICATION_KIND_LABELS = {
    NotificationKind.WEBHOOK_TEST: N_("Test message"),
}


class AudienceKind(StrEnum):
    """Who a notification is for: a department (by code), a region (by code), or the county's office."""

    DEPARTMENT = "department"
    REGION = "region"
    OFFICE = "office"


AUDIENCE_KIND_LABELS = {
    AudienceKind.DEPARTMENT: N_("Department"),
    AudienceKind.REGION: N_("Region"),
    AudienceKind.OFFICE: N_("County office serving the grassroots"),
}


class NotificationState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


NOTIFICATION_STATE_LABELS = {
    NotificationState.PENDING: N_("Waiting to be sent"),
    NotificationState.SENT: N_("Sent"),
    NotificationState.DEAD: N_("Failed (dead letter)"),
}
