"""Reading requests: who may see what, the contract's REQUEST shape, lists, the reviewer's queue."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.admission.checks import FLAG_MESSAGES, OLD_OVER_BUDGET
from registry.admission.models import AdmissionRequest, Decision, RequestOffset, ReviewStage, ReviewStageDepartment
from registry.admission.schemas import (
    DecisionPublic,
    FlagPublic,
    RequestPage,
    RequestPublic,
    ReviewStagePublic,
)
from registry.burden.impact import stored_impact
from registry.catalog.models import Duty
from registry.catalog.schemas import ContentPublic
from registry.catalog.services import content_fields, content_public, current_version
from registry.choices import (
    DECIDED_PUBLIC_STATES,
    N_,
    DecisionKind,
    DutyStatus,
    FlagKind,
    RequestKind,
    RequestState,
    Role,
    TotalsField,
)
from registry.db import Database, get_record
from registry.errors import NotFound
from registry.forms import proposals
from registry.i18n import gettext, label_of
from registry.regions import reach
from registry.regions.models import Department, Region
from registry.regions.services import DepartmentLookup, RegionIndex, department_lookup, region_index
from registry.timeutil import iso_utc, utcnow


def never_submitted(req: AdmissionRequest) -> bool:
    return req.state == RequestState.DRAFT or req.submitted_at is None


def other_county(principal: Principal | None, req: AdmissionRequest) -> bool:
    """True when *principal* is a reviewer of another county than the one that owns *req* (contract §10:
    reviewers review only their county's requests). A row without a region (pre-§10) confines nothing."""
    return (principal is not None and principal.role == Role.REVIEWER and principal.department_region_id is not None
            and req.owner_region_id is not None and principal.department_region_id != req.owner_region_id)


def visible(principal: Principal | None, req: AdmissionRequest) -> bool:
    """Public once approved or rejected; before that its department, and reviewers of its county and admins
    (not drafts)."""
    if req.state in DECIDED_PUBLIC_STATES:
        return True
    if principal is None:
        return False
    if principal.role == Role.DEPARTMENT and principal.department_id == req.department_id:
        return True
    return principal.role in (Role.REVIEWER, Role.ADMIN) and not never_submitted(req) \
        and not other_county(principal, req)


def load(session: Session, request_id: int) -> AdmissionRequest:
    """The request with this id, whoever asks (NotFound for an unknown or impossible id)."""
    req = get_record(session, AdmissionRequest, request_id)
    if req is None:
        raise NotFound(N_("No request with this number."))
    return req


def find(session: Session, principal: Principal | None, request_id: int) -> AdmissionRequest:
    """The request if the principal may see it; NotFound otherwise (never a hint that it exists)."""
    req = load(session, request_id)
    if not visible(principal, req):
        raise NotFound(N_("No request with this number."))
    return req


def request_for(db: Database, principal: Principal | None, request_id: int) -> RequestPublic:
    """REQUEST as the principal may see it (one read)."""
    with db.read() as session:
        return request_public(session, find(session, principal, request_id))


@dataclass
class Lookups:
    """What shaping many requests needs, read once (a fixed number of statements, whatever the count)."""

    index: RegionIndex
    departments: DepartmentLookup
    stages: dict[int, ReviewStage]
    duty_codes: dict[int, str]
    decisions: dict[int, list[Decision]]
    offsets: dict[int, list[int]]
    forms: dict[int, list] = field(default_factory=dict)  # proposed forms (contract §8), by request id

    @classmethod
    def load(cls, session: Session, requests: list[AdmissionRequest]) -> "Lookups":
        duty_ids = {r.duty_id for r in requests if r.duty_id}
        codes = {d.id: d.code for d in session.exec(select(Duty).where(col(Duty.id).in_(duty_ids)))} if duty_ids else {}
        request_ids = sorted({r.id for r in requests if r.id is not None})
        decisions: dict[int, list[Decision]] = {}
        offsets: dict[int, list[int]] = {}
        if request_ids:
            statement = select(Decision).where(col(Decision.request_id).in_(request_ids)).order_by(col(Decision.id))
            for found in session.exec(statement):
                decisions.setdefault(found.request_id, []).append(found)
            pairs = session.exec(
                select(RequestOffset.request_id, RequestOffset.offset_request_id)
                .where(col(RequestOffset.request_id).in_(request_ids))
                .order_by(col(RequestOffset.offset_request_id))
            )
            for request_id, offset_id in pairs:
                offsets.setdefault(request_id, []).append(offset_id)
        return cls(
            index=region_index(session),
            departments=department_lookup(session),
            stages={s.id: s for s in session.exec(select(ReviewStage))},  # type: ignore[misc]
            duty_codes=codes,  # type: ignore[arg-type]
            decisions=decisions,
            offsets=offsets,
            forms=proposals.proposed_by_request(session, request_ids),
        )


def flag_public(flag: dict) -> FlagPublic:
    """A stored flag (`{kind, params, duty_code?}`) worded in the reader's language."""
    kind = FlagKind(flag.get("kind", ""))
    params = dict(flag.get("params") or {})
    message = FLAG_MESSAGES[kind]
    if kind == FlagKind.OVER_BUDGET and "field" in params:
        params["field"] = label_of(TotalsField, params["field"])
        if "cap" not in params:
            message = OLD_OVER_BUDGET
    return FlagPublic(kind=kind, message=gettext(message, **params), duty_code=flag.get("duty_code"),
                      indicator_code=flag.get("indicator_code"))


def request_public(session: Session, req: AdmissionRequest, lookups: Lookups | None = None) -> RequestPublic:
    """The contract's REQUEST shape; decisions name departments, never persons."""
    lookups = lookups or Lookups.load(session, [req])
    decisions = lookups.decisions.get(req.id, []) if req.id is not None else []
    offsets = lookups.offsets.get(req.id, []) if req.id is not None else []
    stage = lookups.stages.get(req.stage_id) if req.stage_id else None
    department = lookups.departments.public(req.department_id)
    assert department is not None  # a request always has its department
    return RequestPublic(
        id=req.id,  # type: ignore[arg-type]
        number=req.number,
        kind=RequestKind(req.kind),
        state=RequestState(req.state),
        stage=stage.code if stage else None,
        row_version=req.row_version,
        department=department,
        duty_code=lookups.duty_codes.get(req.duty_id) if req.duty_id else None,
        **content_fields(req, lookups.index),
        justification=req.justification or "",
        start_date=req.start_date.isoformat() if req.start_date else None,
        review_by=req.review_by.isoformat() if req.review_by else None,
        offsets=list(offsets),
        flags=[flag_public(f) for f in req.flags or []],
        decisions=[
            DecisionPublic(
                stage=lookups.stages[d.stage_id].code if d.stage_id in lookups.stages else None,
                decision=DecisionKind(d.decision),
                reason=d.reason,
                exemption_reason=d.exemption_reason,
                department=lookups.departments.public(d.department_id),
                at=iso_utc(d.at) or "",
            )
            for d in decisions
        ],
        impact=stored_impact(req.impact),
        created_at=iso_utc(req.created_at) or "",
        submitted_at=iso_utc(req.submitted_at),
        due_at=iso_utc(req.due_at),
        forms=lookups.forms.get(req.id, []) if req.id is not None else [],
    )


def may_list_undecided(principal: Principal | None) -> bool:
    """Departments (their own), reviewers and admins list undecided requests; everyone else only decided ones."""
    return principal is not None and principal.role in (Role.DEPARTMENT, Role.REVIEWER, Role.ADMIN)


def listing(session: Session, principal: Principal | None, state: str | None = None,  # type: ignore[no-untyped-def]
            department_id: int | None = None, year: int | None = None):
    """What a principal may list (the `visible` rule as one query): a department its own requests; reviewers and
    admins all but unsubmitted drafts; everyone else (anonymous included) the decided ones (公示).
    *department_id* narrows to one filing department, *year* to the year in the request number (filed then)."""
    statement = select(AdmissionRequest)
    if principal is not None and principal.role == Role.DEPARTMENT:
        statement = statement.where(AdmissionRequest.department_id == principal.department_id)
    elif may_list_undecided(principal):
        statement = statement.where(
            AdmissionRequest.state != RequestState.DRAFT, col(AdmissionRequest.submitted_at).is_not(None)
        )
        if principal is not None and principal.role == Role.REVIEWER and principal.department_region_id is not None:
            # The `other_county` rule: another county's undecided requests are not listed; decided ones are public.
            statement = statement.where(or_(
                col(AdmissionRequest.owner_region_id).is_(None),
                AdmissionRequest.owner_region_id == principal.department_region_id,
                col(AdmissionRequest.state).in_(sorted(DECIDED_PUBLIC_STATES)),
            ))
    else:
        statement = statement.where(col(AdmissionRequest.state).in_(sorted(DECIDED_PUBLIC_STATES)))
    if state:
        statement = statement.where(AdmissionRequest.state == state)
    if department_id is not None:
        statement = statement.where(AdmissionRequest.department_id == department_id)
    if year is not None:
        statement = statement.where(col(AdmissionRequest.number).startswith(f"ZR-{year:04d}-"))
    return statement


def list_page(session: Session, principal: Principal | None, state: str | None, page: int, per_page: int,
              department: str | None = None, year: int | None = None) -> RequestPage:
    """A page of what the principal may list, newest first (an unknown department code lists nothing)."""
    department_id = None
    if department:
        found = department_lookup(session).by_code.get(department)
        if found is None:
            return RequestPage(items=[], total=0, page=page, per_page=per_page)
        department_id = found.id
    statement = listing(session, principal, state, department_id, year)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    newest_first = statement.order_by(col(AdmissionRequest.created_at).desc(), col(AdmissionRequest.id).desc())
    rows = list(session.exec(newest_first.offset((page - 1) * per_page).limit(per_page)))
    lookups = Lookups.load(session, rows)
    return RequestPage(items=[request_public(session, r, lookups) for r in rows], total=int(total), page=page,
                       per_page=per_page)


def filing_years(session: Session) -> list[int]:
    """The years in the numbers of decided requests, newest first (the 公示 page's year filter)."""
    numbers = session.exec(select(AdmissionRequest.number)
                           .where(col(AdmissionRequest.state).in_(sorted(DECIDED_PUBLIC_STATES))))
    return sorted({int(n[3:7]) for n in numbers if n[3:7].isdigit()}, reverse=True)


def queue(session: Session, principal: Principal) -> list[AdmissionRequest]:
    """What waits for this principal (`waiting_for`), soonest due first."""
    if principal.role not in (Role.REVIEWER, Role.ADMIN):
        return []
    statement = (
        select(AdmissionRequest)
        .where(AdmissionRequest.state == RequestState.SUBMITTED, waiting_for(principal))
        .order_by(col(AdmissionRequest.due_at).asc().nulls_last(), col(AdmissionRequest.created_at),
                  col(AdmissionRequest.id))
    )
    return list(session.exec(statement))


def waiting_for(principal: Principal):  # type: ignore[no-untyped-def]
    """The reviewer's queue rule, as one SQL condition on a submitted request: a reviewer sees the requests at
    the stages their department serves, except their own department's; an admin sees those at a stage that
    the filing department alone serves. (Reviewers and admins only.)"""
    serving = ReviewStageDepartment
    if principal.role == Role.REVIEWER:
        mine = select(serving.stage_id).where(serving.department_id == principal.department_id)
        condition = and_(col(AdmissionRequest.stage_id).in_(mine),
                         AdmissionRequest.department_id != principal.department_id)
        if principal.department_region_id is not None:  # only their county's requests (contract §10)
            condition = and_(condition, or_(col(AdmissionRequest.owner_region_id).is_(None),
                                            AdmissionRequest.owner_region_id == principal.department_region_id))
        return condition
    # Admins: the filing department serves the stage, and no other department does.
    filer_serves = select(serving.stage_id).where(
        serving.stage_id == AdmissionRequest.stage_id, serving.department_id == AdmissionRequest.department_id
    ).exists()
    another_serves = select(serving.stage_id).where(
        serving.stage_id == AdmissionRequest.stage_id, serving.department_id != AdmissionRequest.department_id
    ).exists()
    return and_(filer_serves, ~another_serves)


def badge_count(session: Session, principal: Principal) -> int:
    """The nav badge: for reviewers and admins len(queue(...)) counted in the database; for departments
    their requests returned, or decided in the last seven days."""
    if principal.role in (Role.REVIEWER, Role.ADMIN):
        waiting = select(func.count()).select_from(AdmissionRequest).where(
            AdmissionRequest.state == RequestState.SUBMITTED, waiting_for(principal))
        return int(session.exec(waiting).one())
    if principal.role == Role.DEPARTMENT:
        since = utcnow() - timedelta(days=7)
        statement = (
            select(func.count())
            .select_from(AdmissionRequest)
            .where(
                AdmissionRequest.department_id == principal.department_id,
                or_(
                    AdmissionRequest.state == RequestState.RETURNED,
                    col(AdmissionRequest.state).in_(list(DECIDED_PUBLIC_STATES))
                    & (col(AdmissionRequest.decided_at) >= since),
                ),
            )
        )
        return int(session.exec(statement).one())
    return 0


def affected_regions(index: RegionIndex, scope_region_id: int | None, applies_to: str | None) -> tuple[int, list[str]]:
    """How many villages an item with this scope reaches (the reach rule), and the names of their towns."""
    villages = reach.villages_reached(index, scope_region_id, applies_to)
    towns: dict[str, str] = {}
    for village in villages:
        town = index.parent(village)
        if town is not None:
            towns[town.code] = town.name
    return len(villages), [towns[c] for c in sorted(towns)]


def current_content(session: Session, req: AdmissionRequest, index: RegionIndex) -> ContentPublic | None:
    version = current_version(session, req.duty_id)
    return content_public(version, index) if version is not None else None


def offset_candidates(session: Session, principal: Principal, exclude: int | None = None) -> list[AdmissionRequest]:
    statement = (
        select(AdmissionRequest)
        .where(
            AdmissionRequest.department_id == principal.department_id,
            AdmissionRequest.kind == RequestKind.RETIRE,
            AdmissionRequest.state == RequestState.SUBMITTED,
        )
        .order_by(col(AdmissionRequest.id))
    )
    return [r for r in session.exec(statement) if r.id != exclude]


def own_duties(session: Session, department_id: int | None) -> list[tuple[str, str]]:
    """(code, title) of the department's duties in force, for the amend/retire picker."""
    from registry.catalog.models import DutyVersion

    statement = (
        select(Duty.code, DutyVersion.title)
        .join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(
            col(DutyVersion.to_edition).is_(None),
            DutyVersion.status == DutyStatus.ACTIVE,
            DutyVersion.department_id == department_id,
        )
        .order_by(col(Duty.code))
    )
    return [(code, title or "") for code, title in session.exec(statement)]


def stage_names(session: Session) -> dict[str, str]:
    """Every review stage's name, by code."""
    return {s.code: s.name for s in session.exec(select(ReviewStage))}


def owner_of_request(index: RegionIndex, department: Department | None,
                     scope_region_id: int | None) -> int | None:
    """The region that owns a request (contract §10): the county that owns its scope (for a scope at a city or
    province, that region itself); without a scope yet, the region that owns the filing department."""
    scope = index.by_id.get(scope_region_id) if scope_region_id is not None else None
    if scope is not None:
        owner = index.owner_of(scope)
        return owner.id if owner else None
    if department is not None and department.region_id is not None:
        return department.region_id
    default = index.default_owner()
    return default.id if default else None


def county_stages(session: Session, owner_region_id: int | None) -> list[ReviewStage]:
    """The review stages of one county (or city or province), in order: what its requests pass. Stages made
    before many counties (no region) are the default county's."""
    default = region_index(session).default_owner()
    condition = ReviewStage.region_id == owner_region_id
    if owner_region_id is None or (default is not None and owner_region_id == default.id):
        condition = or_(condition, col(ReviewStage.region_id).is_(None))
    return list(session.exec(select(ReviewStage).where(condition).order_by(col(ReviewStage.position))))


def review_stages_public(session: Session) -> list[ReviewStagePublic]:
    """Every review stage, by county and in order, with the codes of the departments that serve it and the
    county whose requests it reviews."""
    index = region_index(session)
    default = index.default_owner()
    found = list(session.exec(select(ReviewStage).order_by(col(ReviewStage.position))))
    codes = {s.id: (region.code if (region := _owner_region(index, s, default)) else "") for s in found}
    stages = sorted(found, key=lambda s: (codes.get(s.id, ""), s.position))
    members: dict[int, list[str]] = {}
    rows = session.exec(
        select(ReviewStageDepartment.stage_id, Department.code)
        .join(Department, col(Department.id) == col(ReviewStageDepartment.department_id))
        .order_by(col(Department.code))
    )
    for stage_id, code in rows:
        members.setdefault(stage_id, []).append(code)
    return [ReviewStagePublic(code=stage.code, name=stage.name, order=stage.position,
                              departments=members.get(stage.id, []),
                              region_code=codes.get(stage.id, "")) for stage in stages]


def _owner_region(index: RegionIndex, stage: ReviewStage, default: Region | None) -> Region | None:
    return index.by_id.get(stage.region_id) if stage.region_id is not None else default
