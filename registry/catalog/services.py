"""The catalog: editions, the public DUTY shape, and the one way the catalog changes (record_change)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from registry.catalog.models import Duty, DutyContentColumns, DutyVersion
from registry.catalog.schemas import (
    BurdensPublic,
    ContentPublic,
    DutyContent,
    DutyPublic,
    FundingPublic,
    hours_to_tenths,
    tenths_to_hours,
)
from registry.catalog.search_index import fill_search_columns
from registry.choices import (
    BURDEN_LISTS,
    LEDGER_KIND_FOR_CHANGE,
    N_,
    AppliesTo,
    Category,
    ChangeKind,
    DutyStatus,
    Frequency,
)
from registry.errors import Conflict
from registry.ledger import chain
from registry.ledger.models import LedgerEntry
from registry.regions.models import Department
from registry.regions.services import DepartmentLookup, RegionIndex, department_lookup, department_public, region_index

REVIEW_YEARS = 3  # contract §7: a duty is reviewed at most three years after it takes effect (or is renewed)
CATALOG_ERRORS = {
    "duty_exists": N_("The catalog already has a duty %(code)s."),
    "duty_not_active": N_("Duty %(code)s is not in force."),
    "unknown_region": N_("There is no region %(code)s."),
    "unknown_department": N_("There is no department %(code)s."),
    "content_missing": N_("The change carries no content."),
}


class CatalogError(Conflict):
    """A change the catalog cannot take (unknown duty, region or department; retired duty); `code` names which."""

    def __init__(self, code: str, **params: object):
        super().__init__(CATALOG_ERRORS[code], **params)
        self.code = code


@dataclass(frozen=True)
class Edition:
    """The catalog's edition: the seq of the newest catalog-changing entry, and that entry's hash."""

    number: int
    hash: str | None


def current_edition(session: Session) -> Edition:
    """The current edition and its hash in ONE statement (an indexed MAX, then a primary-key lookup)."""
    newest = select(func.max(DutyVersion.from_edition)).scalar_subquery()
    row = session.exec(select(LedgerEntry.seq, LedgerEntry.hash).where(LedgerEntry.seq == newest)).first()
    return Edition(row[0], row[1]) if row else Edition(0, None)


def burdens_public(raw: dict | None) -> BurdensPublic:
    raw = raw or {}
    lists = {name: list(raw.get(name) or []) for name in BURDEN_LISTS}
    return BurdensPublic(**lists, meetings_per_year=int(raw.get("meetings_per_year") or 0))


def content_fields(columns: DutyContentColumns, index: RegionIndex) -> dict:
    """The CONTENT_FIELDS of a version or a request as the contract shows them (drafts may hold None)."""
    scope = index.by_id.get(columns.scope_region_id) if columns.scope_region_id else None
    return {
        "title": columns.title,
        "description": columns.description,
        "category": _member(Category, columns.category),
        "applies_to": _member(AppliesTo, columns.applies_to),
        "scope_code": scope.code if scope else None,
        "legal_basis": columns.legal_basis or "",
        "frequency": _member(Frequency, columns.frequency),
        "hours_per_month": tenths_to_hours(columns.hours_tenths),
        "funding": FundingPublic(
            provided=bool(columns.funding_provided),
            amount_yuan_per_year=int(columns.funding_amount or 0),
            source=columns.funding_source or "",
        ),
        "burdens": burdens_public(columns.burdens),
        "ends_on": _iso(columns.ends_on),
    }


def content_public(columns: DutyContentColumns, index: RegionIndex) -> ContentPublic:
    """The content shared by DUTY and REQUEST, alone (a request shows the duty it amends or retires with it)."""
    return ContentPublic(**content_fields(columns, index))


def duty_public(code: str, version: DutyVersion, departments: DepartmentLookup, index: RegionIndex) -> DutyPublic:
    """The DUTY shape of the contract for one version (also what a duty.* ledger entry holds)."""
    return DutyPublic(
        code=code,
        **content_fields(version, index),
        department=department_public(departments.by_id[version.department_id]),
        co_departments=[department_public(departments.by_code[c]) for c in version.co_departments
                        if c in departments.by_code],
        version=version.version,
        status=DutyStatus(version.status),
        effective_from=_iso(version.effective_from),
        review_by=_iso(version.review_by),
    )


def review_limit(start: date) -> date:
    """The latest review date of a duty in force from *start*: three years on (29 February → 28 February)."""
    try:
        return start.replace(year=start.year + REVIEW_YEARS)
    except ValueError:
        return start.replace(year=start.year + REVIEW_YEARS, day=28)


def _member(enumeration, value):  # type: ignore[no-untyped-def]
    return None if value is None else enumeration(value)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def current_version(session: Session, duty_id: int | None) -> DutyVersion | None:
    """The version of duty *duty_id* in force now (active or retired), or None."""
    if duty_id is None:
        return None
    statement = select(DutyVersion).where(DutyVersion.duty_id == duty_id, col(DutyVersion.to_edition).is_(None))
    return session.exec(statement).first()


def next_duty_code(session: Session) -> str:
    """Codes run D00001, D00002, …; they never change across versions."""
    codes = session.exec(select(Duty.code).where(col(Duty.code).like("D%"))).all()
    numbers = [int(c[1:]) for c in codes if c[1:].isdigit()]
    return f"D{(max(numbers) + 1) if numbers else 1:05d}"


def record_change(
    session: Session,
    change: ChangeKind,
    content: DutyContent | None = None,
    *,
    duty_code: str | None = None,
    request_number: str | None = None,
    decision: dict | None = None,
    retired_because: str | None = None,
    extra_payload: dict | None = None,
) -> tuple[Duty, DutyVersion, LedgerEntry]:
    """Change the catalog and append its ledger entry, inside the caller's write transaction.

    `added` creates a duty (with `duty_code` or the next free code); `amended` replaces the content
    of an active duty; `retired` keeps its content with status retired (content may be omitted);
    `retired_because` says why the daily job retired it (no request then).
    `extra_payload` adds keys to the entry's payload (the forms and indicators the change registers, §8).
    """
    chain.lock_ledger(session)  # before reading what the change is based on, not only before appending
    index = region_index(session)
    duty = session.exec(select(Duty).where(Duty.code == duty_code)).first() if duty_code else None
    previous = current_version(session, duty.id) if duty else None
    # Only the departments this change names (a country has ~25,000): the new content's, else the previous version's.
    named = {content.department, *content.co_departments} if content is not None else set()
    departments = department_lookup(session, ids={previous.department_id} if previous and content is None else set(),
                                    codes=named | set(previous.co_departments or []) if previous else named)
    if change == ChangeKind.ADDED:
        if duty is not None:
            raise CatalogError("duty_exists", code=duty_code)
        duty = Duty(code=duty_code or next_duty_code(session))
        session.add(duty)
        session.flush()
    elif previous is None or previous.status != DutyStatus.ACTIVE:
        raise CatalogError("duty_not_active", code=duty_code)
    if content is None:
        if previous is None:
            raise CatalogError("content_missing")
        version = _copy_version(previous)
    else:
        version = _version_from_content(content, index, departments.by_code)
    assert duty is not None and duty.id is not None
    version.duty_id = duty.id
    fill_search_columns(version, duty.code, departments.by_id[version.department_id].code)
    version.version = (previous.version + 1) if previous else 1
    version.status = DutyStatus.RETIRED if change == ChangeKind.RETIRED else DutyStatus.ACTIVE
    version.change = change
    version.request_number = request_number
    payload: dict = {"duty": duty_public(duty.code, version, departments, index)}
    if request_number:
        payload["request_number"] = request_number
    if decision:
        payload["decision"] = decision
    if retired_because:
        payload["retired_because"] = retired_because
    payload.update(extra_payload or {})
    entry = chain.append(session, LEDGER_KIND_FOR_CHANGE[change], payload)
    if previous is not None:
        previous.to_edition = entry.seq
        session.add(previous)
    version.from_edition = entry.seq
    session.add(version)
    session.flush()
    return duty, version, entry


def version_columns(content: DutyContent, index: RegionIndex, departments: dict[str, Department]) -> dict:
    """The content columns of a new version holding *content*, as plain values (CatalogError for an unknown
    region or department). `_version_from_content` and the synthetic bulk writer both start from this."""
    scope = index.get(content.scope_code)
    if scope is None:
        raise CatalogError("unknown_region", code=content.scope_code)
    owner = departments.get(content.department)
    if owner is None:
        raise CatalogError("unknown_department", code=content.department)
    unknown = [c for c in content.co_departments if c not in departments]
    if unknown:
        raise CatalogError("unknown_department", code=unknown[0])
    return {
        "title": content.title,
        "description": content.description,
        "category": content.category.value,
        "applies_to": content.applies_to.value,
        "scope_region_id": scope.id,
        "department_id": owner.id,
        "co_departments": [c for c in content.co_departments if c != content.department],
        "legal_basis": content.legal_basis,
        "frequency": content.frequency.value,
        "hours_tenths": hours_to_tenths(content.hours_per_month),
        "funding_provided": content.funding.provided,
        "funding_amount": content.funding.amount_yuan_per_year,
        "funding_source": content.funding.source,
        "burdens": content.burdens.model_dump(),
        "effective_from": content.effective_from,
        # Every active duty has a review date: the one given, else three years after it took effect.
        "review_by": content.review_by or (review_limit(content.effective_from) if content.effective_from else None),
        "ends_on": content.ends_on,
    }


def _version_from_content(content: DutyContent, index: RegionIndex, departments: dict[str, Department]) -> DutyVersion:
    return DutyVersion(**version_columns(content, index, departments), duty_id=0, version=0,
                       status=DutyStatus.ACTIVE, change="", from_edition=0)


def _copy_version(previous: DutyVersion) -> DutyVersion:
    fields = previous.model_dump(exclude={"id", "to_edition", "from_edition", "request_number"})
    return DutyVersion(**fields, from_edition=0)
