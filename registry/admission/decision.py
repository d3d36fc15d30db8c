"""The decision transaction (architecture.md): one db.write() that claims the request with a conditional
UPDATE, records the Decision, and appends exactly one ledger entry (plus one per approved offset)."""

import msgspec
from sqlmodel import Session, select

from registry.accounts.services import Principal
from registry.admission.checks import evaluate, flag_kinds, offset_requests
from registry.admission.models import AdmissionRequest, Decision, ReviewStage, ReviewStageDepartment
from registry.admission.schemas import DecisionIn
from registry.admission.services import county_stages, load, other_county
from registry.admission.workflow import claim
from registry.catalog.models import Duty
from registry.catalog.schemas import DutyContent
from registry.catalog.services import (
    CatalogError,
    content_public,
    current_version,
    next_duty_code,
    record_change,
    review_limit,
)
from registry.choices import (
    CHANGE_FOR_REQUEST,
    EXEMPTION_FLAGS,
    N_,
    ChangeKind,
    DecidedBy,
    DecisionKind,
    DutyStatus,
    LedgerKind,
    RequestKind,
    RequestState,
    Role,
)
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound, RegistryError
from registry.forms import proposals
from registry.forms.register import apply_payload
from registry.ledger import chain
from registry.regions.models import Department
from registry.regions.services import department_public, region_index
from registry.timeutil import local_date, utcnow

OWN_DEPARTMENT = N_("Your department filed this request: a reviewer may not decide their own department's request.")
ADMIN_ONLY_WHEN_ALONE = N_("An administrator decides only at a stage that the filing department alone serves.")
NOT_WAITING = N_("This request is not waiting for a decision: someone else has already handled it, or it was "
                 "withdrawn or returned. Reload the page.")
RESULT = {DecisionKind.REJECT: RequestState.REJECTED, DecisionKind.RETURN: RequestState.RETURNED}


def stages(session: Session, req: AdmissionRequest) -> list[ReviewStage]:
    """The stages the request passes: those of the county that owns it (contract §10)."""
    return county_stages(session, req.owner_region_id)


def serving(session: Session, stage_id: int) -> set[int]:
    rows = session.exec(select(ReviewStageDepartment.department_id).where(ReviewStageDepartment.stage_id == stage_id))
    return set(rows)


def decide_refusal(session: Session, principal: Principal | None, req: AdmissionRequest) -> RegistryError | None:
    """Why the principal may not decide this request now (None when they may): what the decision page asks."""
    if principal is None:
        return Forbidden()
    try:
        authority(session, principal, req)
    except (Forbidden, Conflict) as exc:
        return exc
    return None


def authority(session: Session, principal: Principal, req: AdmissionRequest) -> ReviewStage:
    """The stage at which the principal may decide this request now, or the error that says why not."""
    if principal.role == Role.REVIEWER and principal.department_id == req.department_id:
        raise Forbidden(OWN_DEPARTMENT)
    if principal.role not in (Role.REVIEWER, Role.ADMIN):
        raise Forbidden()
    if req.state != RequestState.SUBMITTED or req.stage_id is None:
        raise Conflict(NOT_WAITING)
    stage = session.get(ReviewStage, req.stage_id)
    departments = serving(session, req.stage_id)
    if principal.role == Role.ADMIN:
        if departments != {req.department_id}:
            raise Forbidden(ADMIN_ONLY_WHEN_ALONE)
    elif principal.department_id not in departments:
        raise Conflict(N_("This request waits at the stage %(stage)s, which your department does not serve."),
                       stage=stage.name if stage else "")
    assert stage is not None
    return stage


def check_reason(data: DecisionIn) -> None:
    """Every decision carries its reason (审查意见), approvals included (contract §2)."""
    if not data.reason:
        raise Invalid([FieldProblem("reason", N_("Every decision needs a reason (审查意见), approvals included."))])


def decide(db: Database, principal: Principal, request_id: int, data: DecisionIn) -> int:
    check_reason(data)
    with db.write(exclusive=True) as session:
        req = load(session, request_id)
        if other_county(principal, req):
            raise NotFound(N_("No request with this number."))  # as `find` says it: no hint that it exists
        stage = authority(session, principal, req)
        if data.row_version is not None and data.row_version != req.row_version:
            raise Conflict(NOT_WAITING)
        ordered = stages(session, req)
        position = [s.id for s in ordered].index(stage.id)
        is_last = position == len(ordered) - 1
        final = data.decision == DecisionKind.APPROVE and is_last
        offsets = [o for o in offset_requests(session, req) if o.state == RequestState.SUBMITTED] if final else []
        flags, impact = evaluate(session, req, offsets)
        if final and flag_kinds(flags) & EXEMPTION_FLAGS and not data.exemption_reason:
            raise Invalid([FieldProblem("exemption_reason", N_(
                "This request is flagged for missing funding or for exceeding a budget cap: approving it needs "
                "an exemption reason."))])
        if final and req.kind != RequestKind.ADD:
            version = current_version(session, req.duty_id)
            if version is None or version.status != DutyStatus.ACTIVE:
                raise Conflict(N_("The duty this request changes is no longer in force."))
        if data.decision == DecisionKind.APPROVE:
            state = RequestState.APPROVED if is_last else RequestState.SUBMITTED
            next_stage = None if is_last else ordered[position + 1]
        else:
            state, next_stage = RESULT[data.decision], None
        now = utcnow()
        undecided = state == RequestState.SUBMITTED
        # The one conditional UPDATE: zero rows means someone else decided first → 409.
        claim(session, req, {RequestState.SUBMITTED}, state=state, stage_id=next_stage.id if next_stage else None,
              flags=flags, impact=impact.stored(), decided_at=None if undecided else now)
        department = session.get(Department, principal.department_id) if principal.role == Role.REVIEWER else None
        decision = Decision(request_id=req.id, stage_id=stage.id, department_id=department.id if department else None,  # type: ignore[arg-type]
                            reviewer_id=principal.user_id, decision=str(data.decision.value), reason=data.reason,
                            exemption_reason=data.exemption_reason or None, at=now)
        summary = {
            "stage": stage.code, "decision": str(data.decision.value), "reason": data.reason,
            "exemption_reason": data.exemption_reason or None,
            "department": department_public(department) if department else None,
            "decided_by": DecidedBy.REVIEWER if department else DecidedBy.ADMIN, "state": state,
        }
        if final:
            entry = _change_catalog(session, req, summary)
            for offset in offsets:
                _approve_offset(session, offset, stage, decision, summary, req.number)
        else:
            duty = session.get(Duty, req.duty_id) if req.duty_id else None
            entry = chain.append(session, LedgerKind.REQUEST_DECIDED, {
                "request_number": req.number, "kind": req.kind, "duty_code": duty.code if duty else None,
                "title": req.title, **summary, "next_stage": next_stage.code if next_stage else None,
            })
        decision.ledger_seq = entry.seq
        session.add(decision)
        session.flush()
        return req.id  # type: ignore[return-value]


def content_of(session: Session, req: AdmissionRequest, department_code: str) -> DutyContent:
    """The catalog content a request proposes, validated as the catalog takes it. Its review date is the
    request's, never later than three years after it takes effect (renewed: after today), else that limit."""
    previous = current_version(session, req.duty_id)
    today = local_date(utcnow())
    if req.kind == RequestKind.RENEW:
        assert previous is not None  # the caller checked that the duty is in force
        source, effective_from, start = previous, previous.effective_from, today
    else:
        source, effective_from = req, req.start_date or today
        start = effective_from
    limit = review_limit(start)
    content = msgspec.to_builtins(content_public(source, region_index(session)))
    return DutyContent.model_validate({
        **content,
        "scope_code": content["scope_code"] or "",
        "department": department_code,
        "co_departments": list(source.co_departments or []),
        "effective_from": effective_from,
        "review_by": min(req.review_by, limit) if req.review_by else limit,
    })


def _change_catalog(session: Session, req: AdmissionRequest, summary: dict):  # type: ignore[no-untyped-def]
    owner = session.get(Department, req.department_id)
    duty = session.get(Duty, req.duty_id) if req.duty_id else None
    content = None if req.kind == RequestKind.RETIRE else content_of(session, req, owner.code if owner else "")
    duty_code = duty.code if duty else next_duty_code(session)
    # The forms it proposes travel in the entry's payload (contract §8), so the replay rebuilds the register.
    register = None if req.kind == RequestKind.RETIRE else \
        proposals.register_payload(session, req.id, duty_code, owner.code if owner else "")
    try:
        new_duty, _version, entry = record_change(session, CHANGE_FOR_REQUEST[RequestKind(req.kind)], content,
                                                  duty_code=duty_code, request_number=req.number,
                                                  decision=summary, extra_payload=register)
    except CatalogError as exc:
        raise Conflict(exc.message, **exc.params) from exc
    if register:
        apply_payload(session, register, entry.seq)
    if req.duty_id != new_duty.id:
        req.duty_id = new_duty.id
        session.add(req)
    return entry


def _approve_offset(session: Session, offset: AdmissionRequest, stage: ReviewStage, decision: Decision,
                    summary: dict, number: str) -> None:
    """An offset retire request is approved with the request that offsets it (one more duty.retired entry)."""
    version = current_version(session, offset.duty_id)
    if version is None or version.status != DutyStatus.ACTIVE:
        return
    claim(session, offset, {RequestState.SUBMITTED}, state=RequestState.APPROVED, stage_id=None, decided_at=decision.at)
    duty = session.get(Duty, offset.duty_id)
    _duty, _version, entry = record_change(session, ChangeKind.RETIRED, None, duty_code=duty.code if duty else None,
                                           request_number=offset.number,
                                           decision={**summary, "offset_by": number})
    session.add(Decision(request_id=offset.id, stage_id=stage.id, department_id=decision.department_id,  # type: ignore[arg-type]
                         reviewer_id=decision.reviewer_id, decision=decision.decision, reason=decision.reason,
                         exemption_reason=decision.exemption_reason, at=decision.at, ledger_seq=entry.seq))
