"""Every enumeration of the registry, each member with its translatable label, in one place.

A member is declared as `NAME = "value", N_("Label")`: the value is what the API, the database and the
ledger hold; the label is a msgid, translated when shown (`registry.i18n.label_of`). No enumeration value
is written as a string literal anywhere else (tests/test_choices.py greps for them).
"""

from enum import StrEnum


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated when shown."""
    return message


class Labelled(StrEnum):
    """A string enumeration whose members carry a translatable label (a msgid)."""

    label: str

    def __new__(cls, value: str, label: str = "") -> "Labelled":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict["Labelled", str]:
        return {member: member.label for member in cls}


class Category(Labelled):
    SELF_GOVERNANCE = "self_governance", N_("Self-governance duties")
    ASSISTING = "assisting", N_("Duties assisting the government")
    PROHIBITED = "prohibited", N_("Duties not to be borne (negative list)")
    CERTIFICATE_ALLOWED = "certificate_allowed", N_("Certificates that may be issued")
    CERTIFICATE_PROHIBITED = "certificate_prohibited", N_("Certificates not to be issued")
    SIGNBOARD = "signboard", N_("Signboards")
    MECHANISM = "mechanism", N_("Work mechanisms")
    CAMPAIGN = "campaign", N_("Creation and ranking campaigns")


NOT_PERFORMED = frozenset({Category.PROHIBITED, Category.CERTIFICATE_PROHIBITED})
PERFORMED = tuple(c for c in Category if c not in NOT_PERFORMED)
# Categories whose items the admission check compares with as the negative list.
NEGATIVE_LIST = NOT_PERFORMED
# Categories that change what the government asks of villages: they need a legal basis (and assisting, funding).
NEEDS_LEGAL_BASIS = frozenset({Category.SELF_GOVERNANCE, Category.ASSISTING})


class AppliesTo(Labelled):
    VILLAGE = "village", N_("Villages")
    COMMUNITY = "community", N_("Communities")
    ALL = "all", N_("Villages and communities")


class RegionLevel(Labelled):
    COUNTY = "county", N_("County")
    TOWN = "town", N_("Town")
    VILLAGE = "village", N_("Village")
    PROVINCE = "province", N_("Province")
    CITY = "city", N_("City")


class RegionKind(Labelled):
    COUNTY = "county", N_("County")
    SUBDISTRICT = "subdistrict", N_("Subdistrict")
    TOWN = "town", N_("Town")
    TOWNSHIP = "township", N_("Township")
    ETHNIC_TOWNSHIP = "ethnic_township", N_("Ethnic township")
    VILLAGE = "village", N_("Village")
    COMMUNITY = "community", N_("Community")
    PROVINCE = "province", N_("Province")
    CITY = "city", N_("City")
    DISTRICT = "district", N_("District")
    COUNTY_CITY = "county_city", N_("County-level city")


KINDS_BY_LEVEL = {
    RegionLevel.PROVINCE: frozenset({RegionKind.PROVINCE}),
    RegionLevel.CITY: frozenset({RegionKind.CITY}),
    RegionLevel.COUNTY: frozenset({RegionKind.COUNTY, RegionKind.DISTRICT, RegionKind.COUNTY_CITY}),
    RegionLevel.TOWN: frozenset({RegionKind.SUBDISTRICT, RegionKind.TOWN, RegionKind.TOWNSHIP,
                                 RegionKind.ETHNIC_TOWNSHIP}),
    RegionLevel.VILLAGE: frozenset({RegionKind.VILLAGE, RegionKind.COMMUNITY}),
}
# Levels from the top of the tree down (a tree is rooted at a province, a city or a county, §10).
LEVEL_ORDER = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE)
# The levels whose regions may own departments, review stages and budget caps (a county, or a city or province).
OWNING_LEVELS = frozenset({RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY})
# Which `applies_to` values reach a village of each kind (towns and counties take every value).
APPLIES_TO_FITTING = {
    RegionKind.VILLAGE: frozenset({AppliesTo.ALL, AppliesTo.VILLAGE}),
    RegionKind.COMMUNITY: frozenset({AppliesTo.ALL, AppliesTo.COMMUNITY}),
}


class Frequency(Labelled):
    ONCE = "once", N_("Once")
    YEARLY = "yearly", N_("Yearly")
    QUARTERLY = "quarterly", N_("Quarterly")
    MONTHLY = "monthly", N_("Monthly")
    WEEKLY = "weekly", N_("Weekly")
    DAILY = "daily", N_("Daily")
    AS_NEEDED = "as_needed", N_("As needed")


FILINGS_PER_YEAR = {
    Frequency.ONCE: 1,
    Frequency.YEARLY: 1,
    Frequency.QUARTERLY: 4,
    Frequency.MONTHLY: 12,
    Frequency.WEEKLY: 52,
    Frequency.DAILY: 365,
    Frequency.AS_NEEDED: 0,
}


class DutyStatus(Labelled):
    ACTIVE = "active", N_("In force")
    RETIRED = "retired", N_("Retired")


class ChangeKind(Labelled):
    """How a catalog version came to be (DutyVersion.change)."""

    ADDED = "added", N_("Added")
    AMENDED = "amended", N_("Amended")
    RETIRED = "retired", N_("Retired")


class SearchReach(Labelled):
    """What a duty search looks in."""

    TITLE_DESCRIPTION = "title_description", N_("Title and description")
    ALL = "all", N_("Everything an item names (codes, burdens, departments)")


class SearchOrder(Labelled):
    CODE = "code", N_("By code")
    RELEVANCE = "relevance", N_("Best match first")


class ListChangeKind(Labelled):
    """What a reader of an older list must learn about one item (a list's `since` view)."""

    ADDED = "added", N_("Added")
    AMENDED = "amended", N_("Amended")
    REMOVED = "removed", N_("Removed")


class RequestKind(Labelled):
    ADD = "add", N_("Add a duty")
    AMEND = "amend", N_("Amend a duty")
    RETIRE = "retire", N_("Retire a duty")
    RENEW = "renew", N_("Renew a duty's review date")


# The catalog change that approving a request of each kind makes.
CHANGE_FOR_REQUEST = {RequestKind.ADD: ChangeKind.ADDED, RequestKind.AMEND: ChangeKind.AMENDED,
                      RequestKind.RETIRE: ChangeKind.RETIRED, RequestKind.RENEW: ChangeKind.AMENDED}
# Request kinds that name an existing duty and echo its content (the department writes only the reasons).
ECHOING_KINDS = frozenset({RequestKind.RETIRE, RequestKind.RENEW})


class RequestState(Labelled):
    DRAFT = "draft", N_("Draft")
    SUBMITTED = "submitted", N_("Under review")
    RETURNED = "returned", N_("Returned for correction")
    APPROVED = "approved", N_("Approved")
    REJECTED = "rejected", N_("Rejected")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


EDITABLE_STATES = frozenset({RequestState.DRAFT, RequestState.RETURNED})
UNDECIDED_STATES = frozenset({RequestState.DRAFT, RequestState.SUBMITTED, RequestState.RETURNED})
DECIDED_PUBLIC_STATES = frozenset({RequestState.APPROVED, RequestState.REJECTED})


class DecisionKind(Labelled):
    APPROVE = "approve", N_("Approve")
    REJECT = "reject", N_("Reject")
    RETURN = "return", N_("Return for correction")


class DecidedBy(Labelled):
    """Who decided, as the ledger records it: a reviewer's department, or an administrator (no department)."""

    REVIEWER = "reviewer", N_("Reviewer")
    ADMIN = "admin", N_("Administrator")


class FlagKind(Labelled):
    NEGATIVE_LIST = "negative_list", N_("Like a negative-list item")
    DUPLICATE = "duplicate", N_("Like a duty in force")
    NO_FUNDING = "no_funding", N_("No funding")
    NO_LEGAL_BASIS = "no_legal_basis", N_("No legal basis")
    LATE_FILING = "late_filing", N_("Filed late")
    OVER_BUDGET = "over_budget", N_("Over the burden budget")
    DUPLICATE_INDICATOR = "duplicate_indicator", N_("Proposes an indicator the dictionary already has")


EXEMPTION_FLAGS = frozenset({FlagKind.NO_FUNDING, FlagKind.OVER_BUDGET})


class Role(Labelled):
    ADMIN = "admin", N_("Administrator")
    REVIEWER = "reviewer", N_("Reviewer")
    DEPARTMENT = "department", N_("Department clerk")
    CADRE = "cadre", N_("Village cadre")
    OFFICE = "office", N_("County office serving the grassroots")


# Roles whose accounts act for a department (contract §1, §5): `registry users create` needs `--department`.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT, Role.REVIEWER, Role.OFFICE})


class AuditKind(Labelled):
    """A security or administration event in the audit trail (accounts.AuditEvent.kind)."""

    ACCOUNT_CREATED = "account.created", N_("Account created")
    ACCOUNT_DISABLED = "account.disabled", N_("Account disabled")
    TOKEN_CREATED = "token.created", N_("API token issued")
    TOKEN_REVOKED = "token.revoked", N_("API token revoked")
    LOGIN_SUCCEEDED = "login.succeeded", N_("Signed in")
    LOGIN_FAILED = "login.failed", N_("Sign-in failed")
    LOGIN_THROTTLED = "login.throttled", N_("Sign-in throttled")
    LOGOUT = "logout", N_("Signed out")
    NOTIFICATION_RETRIED = "notification.retried", N_("Notification sent again")
    ACCOUNT_ENABLED = "account.enabled", N_("Account enabled")
    PASSWORD_RESET = "account.password_reset", N_("Password reset")
    DEPARTMENT_CREATED = "department.created", N_("Department created")
    DEPARTMENT_RENAMED = "department.renamed", N_("Department renamed")
    REVIEW_STAGES_CHANGED = "review_stages.changed", N_("Review stages changed")
    BUDGET_CAPS_CHANGED = "budget.caps_changed", N_("Budget caps changed")
    REPORTER_VIEWED = "report.reporter_viewed", N_("Reporter of a report looked up")
    ASSESSMENTS_JOINED = "assessments.joined", N_("Assessments merged into a joint assessment")


class DepartmentKind(Labelled):
    PARTY = "party", N_("Party committee department")
    GOVERNMENT = "government", N_("Government department")
    MASS = "mass", N_("Mass organisation")
    VERTICAL = "vertical", N_("Vertically managed or other body")


class HolidayKind(Labelled):
    """A special day in seed/holidays.csv: a day off, or a make-up working day (调休)."""

    HOLIDAY = "holiday", N_("Holiday")
    WORKDAY = "workday", N_("Make-up working day")


class TotalsField(Labelled):
    """The fields of TOTALS (contract §2), in the contract's order."""

    DUTIES = "duties", N_("Duties")
    LEDGERS = "ledgers", N_("Ledgers")
    REPORTS = "reports", N_("Reports and forms")
    FILINGS_PER_YEAR = "filings_per_year", N_("Filings per year")
    APPS = "apps", N_("Government apps")
    SIGNBOARDS = "signboards", N_("Signboards")
    WALL_RULES = "wall_rules", N_("Rules on walls")
    ASSESSMENTS = "assessments", N_("Assessments and inspections")
    CAMPAIGNS = "campaigns", N_("Creation and ranking campaigns")
    MEETINGS_PER_YEAR = "meetings_per_year", N_("Meetings per year")
    HOURS_PER_MONTH = "hours_per_month", N_("Hours per month")


TOTALS_FIELDS = TotalsField.values()
# The burden lists of a duty (each a list of names); a TOTALS field of the same name counts each list's length.
BURDEN_LISTS = (
    TotalsField.LEDGERS.value, TotalsField.REPORTS.value, TotalsField.APPS.value, TotalsField.SIGNBOARDS.value,
    TotalsField.WALL_RULES.value, TotalsField.ASSESSMENTS.value, TotalsField.CAMPAIGNS.value,
)


class LedgerKind(Labelled):
    DUTY_ADDED = "duty.added", N_("Duty admitted")
    DUTY_AMENDED = "duty.amended", N_("Duty amended")
    DUTY_RETIRED = "duty.retired", N_("Duty retired")
    REQUEST_DECIDED = "request.decided", N_("Review decision")
    BUDGET_CHANGED = "budget.changed", N_("Burden budget changed")
    REPORT_CLOSED = "report.closed", N_("Report closed")
    STAGES_CHANGED = "stages.changed", N_("Review stages changed")
    ASSESSMENTS_JOINED = "assessments.joined", N_("Assessments merged into a joint assessment")


CATALOG_KINDS = frozenset({LedgerKind.DUTY_ADDED, LedgerKind.DUTY_AMENDED, LedgerKind.DUTY_RETIRED})
LEDGER_KIND_FOR_CHANGE = {ChangeKind.ADDED: LedgerKind.DUTY_ADDED, ChangeKind.AMENDED: LedgerKind.DUTY_AMENDED,
                          ChangeKind.RETIRED: LedgerKind.DUTY_RETIRED}


class DailyTaskState(Labelled):
    """How far one daily task got on one day (an operator's record)."""

    RUNNING = "running", N_("Running")
    DONE = "done", N_("Done")
    FAILED = "failed", N_("Failed")


class TaskOutcome(Labelled):
    """What one daily task did in one run."""

    RAN = "ran", N_("Ran")
    SKIPPED = "skipped", N_("Already done for the day")
    FAILED = "failed", N_("Failed")


class DeliveryOutcome(Labelled):
    """What one attempt to post a notification led to."""

    SENT = "sent", N_("Sent")
    RETRY = "retry", N_("To be retried")
    DEAD = "dead", N_("Failed (dead letter)")


class NotificationKind(Labelled):
    """What a notification is about; each area adds its own kinds here."""

    WEBHOOK_TEST = "webhook.test", N_("Test message")
    DUTY_RETIRED = "lifecycle.retired", N_("A duty ended or lapsed")
    REVIEW_DUE = "lifecycle.review_due", N_("A duty is due for review")
    REPORT_FILED = "report.filed", N_("A report was filed")
    REPORT_ASSIGNED = "report.assigned", N_("A case was passed to a department")
    REPORT_CONCLUDED = "report.concluded", N_("A case was closed")


class AudienceKind(Labelled):
    """Who a notification is for: a department (by code), a region (by code), or the county's office."""

    DEPARTMENT = "department", N_("Department")
    REGION = "region", N_("Region")
    OFFICE = "office", N_("County office serving the grassroots")


class NotificationState(Labelled):
    PENDING = "pending", N_("Waiting to be sent")
    SENT = "sent", N_("Sent")
    DEAD = "dead", N_("Failed (dead letter)")


# --- reports ---

class ReportKind(Labelled):
    """What a report is about (contract §6)."""

    UNLISTED_TASK = "unlisted_task", N_("Task pushed without admission")
    PROBLEM = "problem", N_("Problem for the county to solve")


class ReportSource(Labelled):
    """Where the county's office collected a report."""

    VILLAGE = "village", N_("From a village or community")
    TOWN = "town", N_("From a town")
    ENTERPRISE = "enterprise", N_("From an enterprise")
    PUBLIC = "public", N_("From the public")


class ReportChannel(Labelled):
    """How the task was demanded of the village."""

    DOCUMENT = "document", N_("Official document")
    MEETING = "meeting", N_("Meeting")
    PHONE = "phone", N_("Phone call")
    MESSAGE_GROUP = "message_group", N_("Message group")
    APP = "app", N_("App or platform")
    OTHER = "other", N_("Other channel")


class ReportState(Labelled):
    """A case's state: received → in_progress → (advanced) → resolved | dismissed."""

    RECEIVED = "received", N_("Received")
    IN_PROGRESS = "in_progress", N_("In progress")
    ADVANCED = "advanced", N_("Substantively advanced")
    RESOLVED = "resolved", N_("Resolved")
    DISMISSED = "dismissed", N_("Dismissed")


class ReportOutcome(Labelled):
    """How a resolved case ended."""

    WITHDRAWN = "withdrawn", N_("Task withdrawn by the department")
    ADMITTED = "admitted", N_("Admission request filed")
    COORDINATED = "coordinated", N_("Solved by coordination")
    NOT_VIOLATION = "not_violation", N_("Not a violation (the task is on the list)")


class ReportActor(Labelled):
    """Who wrote an event of a case (never a person)."""

    OFFICE = "office", N_("The county office")
    DEPARTMENT = "department", N_("The department")
    REPORTER = "reporter", N_("The reporter")


OPEN_REPORT_STATES = frozenset({ReportState.RECEIVED, ReportState.IN_PROGRESS, ReportState.ADVANCED})
CLOSED_REPORT_STATES = frozenset({ReportState.RESOLVED, ReportState.DISMISSED})
# The forward moves of a case (contract §6): anything else is a conflict.
REPORT_MOVES = {
    ReportState.RECEIVED: frozenset({ReportState.IN_PROGRESS}),
    ReportState.IN_PROGRESS: frozenset({ReportState.ADVANCED, ReportState.RESOLVED, ReportState.DISMISSED}),
    ReportState.ADVANCED: frozenset({ReportState.RESOLVED, ReportState.DISMISSED}),
    ReportState.RESOLVED: frozenset(),
    ReportState.DISMISSED: frozenset(),
}
# A department sees a case naming it from in_progress on.
DEPARTMENT_VISIBLE_REPORT_STATES = frozenset(
    {ReportState.IN_PROGRESS, ReportState.ADVANCED, ReportState.RESOLVED, ReportState.DISMISSED})
# --- people (secondments, temporary bodies, meetings: contract §9) ---

class SecondmentState(Labelled):
    REQUESTED = "requested", N_("Awaiting consent")
    APPROVED = "approved", N_("Consented (active)")
    REJECTED = "rejected", N_("Refused")
    ENDED = "ended", N_("Ended")


class SecondmentOutcome(Labelled):
    """What the 组织部's clean-up decided for a secondment."""

    RETURNED = "returned", N_("Returned to the home unit")
    TRANSFERRED = "transferred", N_("Transferred to the post held")
    EXTENDED = "extended", N_("Extended")


# Outcomes that clear a secondment (the person is no longer on loan).
CLEARING_OUTCOMES = frozenset({SecondmentOutcome.RETURNED, SecondmentOutcome.TRANSFERRED})


class HomeKind(Labelled):
    """What a seconded person's home unit is: a town or village, or a county department."""

    REGION = "region", N_("Town or village")
    DEPARTMENT = "department", N_("County department")


class ConsentParty(Labelled):
    """Whose written consent a secondment needs."""

    HOME = "home", N_("Home unit")
    ORGANISATION = "organisation", N_("Organisation department (组织部)")


class ConsentDecision(Labelled):
    APPROVE = "approve", N_("Consent")
    REJECT = "reject", N_("Refuse")


class SecondmentFlagKind(Labelled):
    LONG = "long", N_("Longer than 6 months")
    HEAVY_SHARE = "heavy_share", N_("More than a tenth of the home town's staff away")
    REPEAT = "repeat", N_("Seconded again within 12 months")


class Attendee(Labelled):
    """Whom a meeting asks a town or village to send."""

    MAIN_LEADER = "main_leader", N_("Main leader")
    DEPUTY = "deputy", N_("Deputy in charge")
    BUSINESS_LEAD = "business_lead", N_("Business lead")


# Ranks that need a reason (能由分管领导参加的不安排主要领导，能由业务负责人参加的不安排分管领导).
RANKS_NEEDING_REASON = frozenset({Attendee.MAIN_LEADER, Attendee.DEPUTY})


class MeetingFlagKind(Labelled):
    UNRELATED_AUDIENCE = "unrelated_audience", N_("Invites a unit not directly concerned")
    RANK = "rank", N_("Asks a higher rank than needed")
    MERGEABLE = "mergeable", N_("Could be merged with another meeting")
# --- lifecycle ---


class RetiredBecause(Labelled):
    """Why the daily job retired a duty (`retired_because` of its duty.retired entry; contract §5, §7)."""

    LAPSED = "lapsed", N_("Lapsed: not reviewed within 90 days after its review date")
    ENDED = "ended", N_("Ended: past its end date")


class ReviewState(Labelled):
    """Where an active duty stands against its review date (the review queue, contract §7)."""

    DUE = "due", N_("Due for review")
    OVERDUE = "overdue", N_("Overdue: in the 90 days of grace")
    LAPSING = "lapsing", N_("Lapsing within 30 days")
# --- forms ---


class IndicatorType(Labelled):
    """What kind of value an indicator of the dictionary takes (contract §8)."""

    INTEGER = "integer", N_("Whole number")
    DECIMAL = "decimal", N_("Decimal number")
    TEXT = "text", N_("Text")
    BOOLEAN = "boolean", N_("Yes or no")
    DATE = "date", N_("Date")
    CHOICE = "choice", N_("One of a list")


class FormPeriod(Labelled):
    """How often a form is filled (contract §8); a `once` form is filed under a year."""

    MONTHLY = "monthly", N_("Every month")
    QUARTERLY = "quarterly", N_("Every quarter")
    YEARLY = "yearly", N_("Every year")
    ONCE = "once", N_("One time")


# Entries per village per year of one form of each period (GET /api/v1/forms/stats).
PERIOD_FILINGS = {FormPeriod.MONTHLY: 12, FormPeriod.QUARTERLY: 4, FormPeriod.YEARLY: 1, FormPeriod.ONCE: 1}
# The seed (seed/README.md): a duty's frequency decides its forms' period; weekly and daily reports monthly.
PERIOD_FOR_FREQUENCY = {
    Frequency.MONTHLY: FormPeriod.MONTHLY, Frequency.WEEKLY: FormPeriod.MONTHLY, Frequency.DAILY: FormPeriod.MONTHLY,
    Frequency.QUARTERLY: FormPeriod.QUARTERLY, Frequency.YEARLY: FormPeriod.YEARLY, Frequency.ONCE: FormPeriod.ONCE,
    Frequency.AS_NEEDED: FormPeriod.ONCE,
}

