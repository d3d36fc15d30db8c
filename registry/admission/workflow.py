"""The admission transactions: create, update, submit, withdraw (here) and decide (decision.py).

Every state change is a conditional UPDATE on `row_version` that must touch exactly one row, so two
racing writers cannot both win: the loser gets Conflict (409).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.admission.calendar import due_at
from registry.admission.checks import evaluate
from registry.admission.models import AdmissionRequest, RequestOffset, ReviewStage
from registry.admission.schemas import REQUIRED_ON_SUBMIT, RequestCreate, RequestUpdate
from registry.admission.services import county_stages, load, owner_of_request
from registry.catalog.models import Duty
from registry.catalog.schemas import hours_to_tenths
from registry.catalog.services import current_version, review_limit
from registry.choices import (
    ECHOING_KINDS,
    EDITABLE_STATES,
    N_,
    UNDECIDED_STATES,
    Category,
    DutyStatus,
    RequestKind,
    RequestState,
    Role,
)
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Forbidden, Invalid, RegistryError
from registry.forms import proposals
from registry.regions.models import Department, Region
from registry.regions.services import RegionIndex, department_region, region_index
from registry.timeutil import SHANGHAI, local_date, utcnow

REQUESTS = AdmissionRequest.__table__  # type: ignore[attr-defined]
STALE = N_("Someone else has already changed or decided this request; reload it and try again.")
NOT_YOURS = N_("This request belongs to another department.")
REQUIRED = N_("This field is required.")
FUNDING_UNSTATED = N_("State whether funding is provided (费随事转): yes or no.")
ECHO_COLUMNS = (
    "title", "description", "category", "applies_to", "scope_region_id", "legal_basis", "frequency", "hours_tenths",
    "funding_provided", "funding_amount", "funding_source", "co_departments", "burdens", "ends_on",
)


def is_owner(principal: Principal | None, req: AdmissionRequest) -> bool:
    """The principal is a clerk of the department that filed the request."""
    return (principal is not None and principal.role == Role.DEPARTMENT and principal.department_id is not None
            and principal.department_id == req.department_id)


def edit_refusal(principal: Principal | None, req: AdmissionRequest) -> RegistryError | None:
    """Why the principal may not edit or submit this request now (None when they may): the one rule that the
    writes enforce and the pages ask."""
    if not is_owner(principal, req):
        return Forbidden(NOT_YOURS)
    if req.state not in EDITABLE_STATES:
        return Conflict(N_("Only drafts and returned requests can be edited or submitted."))
    return None


def withdraw_refusal(principal: Principal | None, req: AdmissionRequest) -> RegistryError | None:
    """Why the principal may not withdraw this request now (None when they may)."""
    if not is_owner(principal, req):
        return Forbidden(NOT_YOURS)
    if req.state not in UNDECIDED_STATES:
        return Conflict(N_("Only undecided requests can be withdrawn."))
    return None


def _refuse(refusal: RegistryError | None) -> None:
    if refusal is not None:
        raise refusal


def first_stage(session: Session, owner_region_id: int | None = None) -> ReviewStage:
    """The first review stage of the county that owns the request (contract §10)."""
    stages = county_stages(session, owner_region_id)
    if not stages:
        raise Conflict(N_("No review stages are configured."))
    return stages[0]


def _set_owner(session: Session, req: AdmissionRequest) -> None:
    """Record the region that owns the request: whose stages review it and whose reviewers see it."""
    department = session.get(Department, req.department_id)
    req.owner_region_id = owner_of_request(region_index(session), department, req.scope_region_id)


def claim(session: Session, req: AdmissionRequest, states: frozenset[str] | set[str], **values: object) -> None:
    """The conditional UPDATE: bump row_version (and set *values*) only if nobody changed the row meanwhile."""
    statement = (
        sa.update(REQUESTS)
        .where(REQUESTS.c.id == req.id, REQUESTS.c.row_version == req.row_version,
               REQUESTS.c.state.in_([str(s) for s in states]))
        .values(row_version=REQUESTS.c.row_version + 1, updated_at=utcnow(), **values)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(STALE)
    session.refresh(req)


def _next_number(session: Session, now: datetime) -> str:
    """ZR-<year in Shanghai>-<4-digit sequence of that year>, inside the write transaction."""
    prefix = f"ZR-{now.astimezone(SHANGHAI).year}-"
    numbers = session.exec(select(AdmissionRequest.number).where(col(AdmissionRequest.number).startswith(prefix)))
    taken = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return f"{prefix}{(max(taken) + 1) if taken else 1:04d}"


def _resolve_duty(session: Session, principal: Principal, code: str, problems: list[FieldProblem]) -> Duty | None:
    duty = session.exec(select(Duty).where(Duty.code == code)).first()
    version = current_version(session, duty.id) if duty else None
    if duty is None or version is None:
        problems.append(FieldProblem("duty_code", N_("No duty with the code %(code)s."), code=code))
        return None
    if version.status != DutyStatus.ACTIVE:
        problems.append(FieldProblem("duty_code", N_("The duty %(code)s is no longer in force."), code=code))
        return None
    if version.department_id != principal.department_id:
        raise Forbidden(N_("The duty %(code)s belongs to another department; only its department may change it."),
                        code=code)
    return duty


def _valid_offsets(session: Session, req: AdmissionRequest, ids: list[int], problems: list[FieldProblem]) -> list[int]:
    chosen = list(dict.fromkeys(ids))
    for offset_id in chosen:
        other = session.get(AdmissionRequest, offset_id)
        if (other is None or other.id == req.id or other.department_id != req.department_id
                or other.kind != RequestKind.RETIRE or other.state != RequestState.SUBMITTED):
            problems.append(FieldProblem("offsets", N_(
                "Request %(id)s is not a submitted retire request of your department."), id=offset_id))
    return chosen


def _apply(session: Session, principal: Principal, req: AdmissionRequest, values: dict) -> list[int] | None:
    """Copy the sent fields onto the request; check codes against the database. Returns new offsets (or None)."""
    problems: list[FieldProblem] = []
    if "duty_code" in values:
        code = values.pop("duty_code")
        if req.kind == RequestKind.ADD and code:
            problems.append(FieldProblem("duty_code", N_("Only amend and retire requests name a duty.")))
        elif code:
            duty = _resolve_duty(session, principal, code, problems)
            changed = duty is not None and duty.id != req.duty_id
            req.duty_id = duty.id if duty else req.duty_id
            if changed and req.kind == RequestKind.AMEND:
                _echo_duty(session, req)  # an amend starts from the duty's current content
                req.funding_provided = None  # ... but its funding must be stated anew (contract §2)
        else:
            req.duty_id = None
    if "scope_code" in values:
        code = values.pop("scope_code")
        index = region_index(session)
        region = index.get(code) if code else None
        if code and region is None:
            problems.append(FieldProblem("scope_code", N_("No region with the code %(code)s in the county."),
                                         code=code))
        elif region is not None and (home := _home(session, index, req)) is not None \
                and not index.within(region, home.id):
            # Contract §10: a department files only within the county (or city or province) that owns it.
            problems.append(FieldProblem("scope_code", N_(
                "%(code)s is outside %(region)s: your department files only for regions within it."),
                code=code, region=home.name))
            region = None
        req.scope_region_id = region.id if region else None
    offsets = _valid_offsets(session, req, values.pop("offsets") or [], problems) if "offsets" in values else None
    forms = values.pop("forms", None) if "forms" in values else False
    if forms and req.kind == RequestKind.RETIRE:
        problems.append(FieldProblem("forms", N_("Only add and amend requests propose forms.")))
    if problems:
        raise Invalid(problems)
    if forms is not False:
        proposals.store(session, req.id, forms)  # type: ignore[arg-type]
    for name, value in values.items():
        if name == "hours_per_month":
            req.hours_tenths = None if value is None else hours_to_tenths(value)
        elif name == "funding":
            req.funding_provided = None if value is None else value.provided
            req.funding_amount = None if value is None else value.amount_yuan_per_year
            req.funding_source = None if value is None else (value.source or None)
        elif name == "burdens":
            req.burdens = {} if value is None else value.model_dump()
        elif name in ("category", "applies_to", "frequency"):
            setattr(req, name, None if value is None else str(value.value))
        else:
            setattr(req, name, value)
    if req.kind in ECHOING_KINDS:
        _echo_duty(session, req)
    _set_owner(session, req)
    date_problems = dates_refusal(req)
    if date_problems:
        raise Invalid(date_problems)
    return offsets


def _home(session: Session, index: RegionIndex, req: AdmissionRequest) -> Region | None:
    """The region that owns the filing department (the default county for a pre-§10 row)."""
    department = session.get(Department, req.department_id)
    return department_region(department, index) if department else None


def dates_refusal(req: AdmissionRequest) -> list[FieldProblem]:
    """The request's dates against each other and today (contract §7): a review date neither past nor more than
    three years after the start (after today for a renewal), an end date not before the start."""
    today = local_date(utcnow())
    start = today if req.kind == RequestKind.RENEW else (req.start_date or today)
    problems = []
    if req.review_by is not None and req.review_by < today:
        problems.append(FieldProblem("review_by", N_("The review date may not be in the past.")))
    elif req.review_by is not None and req.review_by > review_limit(start):
        problems.append(FieldProblem("review_by", N_(
            "The review date may be at most three years after %(start)s."), start=start.isoformat()))
    if req.ends_on is not None and req.kind not in ECHOING_KINDS and req.ends_on < start:
        problems.append(FieldProblem("ends_on", N_("The end date may not be before %(start)s."),
                                     start=start.isoformat()))
    return problems


def _echo_duty(session: Session, req: AdmissionRequest) -> None:
    version = current_version(session, req.duty_id)
    if version is not None:
        for name in ECHO_COLUMNS:
            setattr(req, name, getattr(version, name))


def _set_offsets(session: Session, req: AdmissionRequest, offsets: list[int] | None) -> None:
    if offsets is None:
        return
    for row in session.exec(select(RequestOffset).where(RequestOffset.request_id == req.id)):
        session.delete(row)
    session.flush()
    for offset_id in offsets:
        session.add(RequestOffset(request_id=req.id, offset_request_id=offset_id))  # type: ignore[arg-type]
    session.flush()


def _recheck(session: Session, req: AdmissionRequest) -> None:
    flags, impact = evaluate(session, req)
    req.flags = flags
    req.impact = impact.stored()
    session.add(req)
    session.flush()


def create(db: Database, principal: Principal, data: RequestCreate) -> int:
    """A new request of the principal's department (a draft, or submitted at once with `submit`)."""
    if principal.department_id is None:
        raise Forbidden()
    values = data.given()
    values.pop("kind", None)
    values.pop("submit", None)
    with db.write(exclusive=True) as session:
        now = utcnow()
        req = AdmissionRequest(number=_next_number(session, now), kind=str(data.kind.value), state=RequestState.DRAFT,
                               department_id=principal.department_id, author_id=principal.user_id, created_at=now,
                               updated_at=now)
        session.add(req)
        session.flush()
        _set_offsets(session, req, _apply(session, principal, req, values))
        _recheck(session, req)
        if data.submit:
            _submit(session, principal, req)
        return req.id  # type: ignore[return-value]


def update(db: Database, principal: Principal, request_id: int, data: RequestUpdate, submit: bool = False) -> int:
    """Edit a draft or returned request (and with `submit`, file it in the same transaction);
    a stale `row_version` gets 409."""
    values = data.given()
    expected = values.pop("row_version", None)
    with db.write(exclusive=True) as session:
        req = load(session, request_id)
        _refuse(edit_refusal(principal, req))
        if expected is not None and expected != req.row_version:
            raise Conflict(STALE)
        claim(session, req, EDITABLE_STATES)
        _set_offsets(session, req, _apply(session, principal, req, values))
        _recheck(session, req)
        if submit:
            _submit(session, principal, req)
        return req.id  # type: ignore[return-value]


def missing_for_submit(req: AdmissionRequest) -> list[FieldProblem]:
    """What an add or amend still lacks to be submitted (retire and renew: their duty and justification)."""
    if req.kind in ECHOING_KINDS:
        needed = {"duty_code": req.duty_id, "justification": (req.justification or "").strip()}
        if req.kind == RequestKind.RENEW:
            needed["review_by"] = req.review_by
    else:
        columns = {"scope_code": "scope_region_id", "hours_per_month": "hours_tenths"}
        needed = {name: getattr(req, columns.get(name, name)) for name in REQUIRED_ON_SUBMIT}
        if req.kind == RequestKind.AMEND:
            needed = {"duty_code": req.duty_id, **needed}
        if req.category == Category.CAMPAIGN:
            needed["ends_on"] = req.ends_on  # a campaign is temporary: it must say when it ends
    problems = [FieldProblem(name, REQUIRED) for name, value in needed.items() if value is None or value == ""]
    if req.kind not in ECHOING_KINDS and req.funding_provided is None:
        # Contract §2: funding must be stated explicitly on submit, provided or not; silence is not "no".
        problems.append(FieldProblem("funding", FUNDING_UNSTATED))
    return problems


def _submit(session: Session, principal: Principal, req: AdmissionRequest) -> None:
    problems = missing_for_submit(req)
    if req.duty_id is not None and req.kind != RequestKind.ADD:
        duty = session.get(Duty, req.duty_id)
        _resolve_duty(session, principal, duty.code if duty else "", problems)
    rows = session.exec(select(RequestOffset).where(RequestOffset.request_id == req.id))
    offsets = [o.offset_request_id for o in rows]
    _valid_offsets(session, req, offsets, problems)
    if req.kind in ECHOING_KINDS:
        _echo_duty(session, req)
    _set_owner(session, req)
    problems += dates_refusal(req)
    if problems:
        raise Invalid(problems, N_("The request is not complete enough to submit."))
    now = utcnow()
    session.add(req)
    session.flush()
    claim(session, req, EDITABLE_STATES, state=RequestState.SUBMITTED,
          stage_id=first_stage(session, req.owner_region_id).id, submitted_at=now, due_at=due_at(session, now),
          decided_at=None)
    _recheck(session, req)


def submit(db: Database, principal: Principal, request_id: int) -> int:
    """draft/returned → submitted at the first stage (review restarts there after a return)."""
    with db.write(exclusive=True) as session:
        req = load(session, request_id)
        _refuse(edit_refusal(principal, req))
        _submit(session, principal, req)
        return req.id  # type: ignore[return-value]


def withdraw(db: Database, principal: Principal, request_id: int) -> int:
    """Any undecided state → withdrawn. Appends nothing to the ledger."""
    with db.write() as session:
        req = load(session, request_id)
        _refuse(withdraw_refusal(principal, req))
        claim(session, req, UNDECIDED_STATES, state=RequestState.WITHDRAWN, stage_id=None, decided_at=utcnow())
        return req.id  # type: ignore[return-value]
