"""The secondment transactions: file, consent, record an outcome, register a temporary body (contract §9).

A state change locks the secondment's row first (SELECT … FOR UPDATE on PostgreSQL; SQLite writers are
serialised), so two consents given at once both count, and one party's second consent is refused (409): the
database's unique constraint on (secondment, round, party) backs that up.
"""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.choices import (
    N_,
    ConsentDecision,
    ConsentParty,
    RegionLevel,
    Role,
    SecondmentOutcome,
    SecondmentState,
)
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from registry.regions.models import Department
from registry.regions.services import region_index
from registry.secondments.models import Secondment, SecondmentConsent, TemporaryBody
from registry.secondments.schemas import (
    ConsentIn,
    OutcomeIn,
    SecondmentCreate,
    TemporaryBodyCreate,
    TemporaryBodyPublic,
)
from registry.secondments.services import (
    Lookups,
    body_public,
    can_consent_as,
    can_see,
    compute_flags,
    is_organisation,
    load,
    pending_parties,
    today_in_shanghai,
)
from registry.timeutil import SHANGHAI, utcnow

NOT_FOUND = N_("No secondment with this number.")


def _next_number(session: Session, year: int) -> str:
    """CD-<year>-<4-digit sequence of that year>, inside the write transaction."""
    prefix = f"CD-{year}-"
    numbers = session.exec(select(Secondment.number).where(col(Secondment.number).startswith(prefix)))
    taken = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return f"{prefix}{(max(taken) + 1) if taken else 1:04d}"


def _department(session: Session, code: str) -> Department | None:
    return session.exec(select(Department).where(Department.code == code)).first()


def _body(session: Session, code: str) -> TemporaryBody | None:
    return session.exec(select(TemporaryBody).where(TemporaryBody.code == code)).first()


def resolve_home(session: Session, code: str, problems: list[FieldProblem]) -> tuple[int | None, int | None]:
    """(home_region_id, home_department_id) for a town or village code, or a department code."""
    if code.isdigit():
        region = region_index(session).get(code)
        if region is None or region.level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            problems.append(FieldProblem("home", N_("No town or village has the code %(code)s."), code=code[:20]))
            return None, None
        return region.id, None
    department = _department(session, code)
    if department is None:
        problems.append(FieldProblem("home", N_("No department has the code %(code)s."), code=code[:32]))
        return None, None
    return None, department.id


def file_secondment(db: Database, principal: Principal, data: SecondmentCreate) -> int:
    """File a secondment for the clerk's department or a temporary body it leads; it waits for both consents."""
    with db.write() as session:
        problems: list[FieldProblem] = []
        host_department_id, host_body_id = principal.department_id, None
        if data.temporary_body:
            body = _body(session, data.temporary_body)
            if body is None:
                problems.append(FieldProblem("temporary_body", N_("No temporary body has the code %(code)s."),
                                             code=data.temporary_body[:32]))
            elif body.lead_department_id != principal.department_id:
                raise Forbidden(N_("Only the lead department of a temporary body files its secondments."))
            elif body.ended_on is not None:
                raise Conflict(N_("This temporary body has ended."))
            else:
                host_department_id, host_body_id = None, body.id
        home_region_id, home_department_id = resolve_home(session, data.home, problems)
        if home_department_id is not None and home_department_id == principal.department_id and host_body_id is None:
            problems.append(FieldProblem("home", N_("A department cannot second its own staff to itself.")))
        if data.start_on > data.end_on:
            problems.append(FieldProblem("end_on", N_("The end must not be before the start.")))
        if problems:
            raise Invalid(problems)
        now = utcnow()
        s = Secondment(
            number=_next_number(session, now.astimezone(SHANGHAI).year), host_department_id=host_department_id,
            host_body_id=host_body_id, home_region_id=home_region_id, home_department_id=home_department_id,
            person_ref=data.person_ref, reason=data.reason, start_on=data.start_on, end_on=data.end_on,
            state=SecondmentState.REQUESTED, filed_by_id=principal.user_id, created_at=now, updated_at=now,
        )
        s.flags = compute_flags(session, s, region_index(session))
        session.add(s)
        session.flush()
        return s.id  # type: ignore[return-value]


def _locked(session: Session, secondment_id: int) -> Secondment:
    load(session, secondment_id)  # NotFound first
    return session.exec(select(Secondment).where(Secondment.id == secondment_id).with_for_update()).one()


def consent(db: Database, principal: Principal, secondment_id: int, data: ConsentIn) -> int:
    """Record the home unit's or the 组织部's consent or refusal. Both approvals → approved; a refusal →
    rejected. Not a party → 403; no consent asked now, or this party has already answered → 409."""
    try:
        with db.write() as session:
            s = _locked(session, secondment_id)
            session.refresh(s)
            lookups = Lookups.load(session, [s])
            if not can_see(principal, s, lookups.index, lookups.bodies):
                raise NotFound(NOT_FOUND)
            parties = [p for p in ConsentParty if can_consent_as(principal, s, p, lookups.index)]
            if not parties:
                raise Forbidden(N_("Only the home unit and the organisation department consent to a secondment."))
            if s.state != SecondmentState.REQUESTED:
                raise Conflict(N_("This secondment is not waiting for consent."))
            pending = [p for p in parties if p in pending_parties(s, lookups.consents.get(s.id, []))]
            if not pending:
                raise Conflict(N_("You have already answered for this secondment."))
            now = utcnow()
            session.add(SecondmentConsent(secondment_id=s.id, consent_round=s.consent_round, given_by=pending[0],  # type: ignore[arg-type]
                                          decision=data.decision, reason=data.reason, user_id=principal.user_id,
                                          at=now))
            session.flush()
            answered = {c.given_by: c.decision for c in session.exec(select(SecondmentConsent).where(
                SecondmentConsent.secondment_id == s.id, SecondmentConsent.consent_round == s.consent_round))}
            if data.decision == ConsentDecision.REJECT:
                s.state = SecondmentState.REJECTED
            elif all(answered.get(p) == ConsentDecision.APPROVE for p in ConsentParty):
                s.state = SecondmentState.APPROVED
            s.row_version += 1
            s.updated_at = now
            session.add(s)
    except IntegrityError:
        raise Conflict(N_("You have already answered for this secondment.")) from None
    return secondment_id


def record_outcome(db: Database, principal: Principal, secondment_id: int, data: OutcomeIn) -> int:
    """The 组织部's clean-up of a consented secondment: returned or transferred end it; extended asks both
    consents again for the new `end_on`."""
    if not is_organisation(principal):
        raise Forbidden(N_("Only the organisation department records the outcome of a secondment."))
    with db.write() as session:
        s = _locked(session, secondment_id)
        session.refresh(s)
        if data.row_version is not None and data.row_version != s.row_version:
            raise Conflict(N_("Someone else has already changed this secondment; reload it and try again."))
        if s.state != SecondmentState.APPROVED:
            raise Conflict(N_("Only a consented secondment under way can be given an outcome."))
        if data.outcome == SecondmentOutcome.EXTENDED:
            if data.end_on is None or data.end_on <= s.end_on:
                raise Invalid([FieldProblem("end_on", N_("An extension needs a new end after %(day)s."),
                                            day=s.end_on.isoformat())])
            s.end_on, s.state, s.consent_round = data.end_on, SecondmentState.REQUESTED, s.consent_round + 1
            s.flags = compute_flags(session, s, region_index(session))
        else:
            s.state, s.ended_on = SecondmentState.ENDED, min(today_in_shanghai(), s.end_on)
        s.outcome, s.outcome_reason = data.outcome, data.reason
        s.row_version += 1
        s.updated_at = utcnow()
        session.add(s)
    return secondment_id


def register_body(db: Database, principal: Principal, data: TemporaryBodyCreate) -> TemporaryBodyPublic:
    """Register a temporary body (admins and the 组织部's reviewers); its code may name no department."""
    if principal.role != Role.ADMIN and not is_organisation(principal):
        raise Forbidden(N_("Only administrators and the organisation department register temporary bodies."))
    with db.write() as session:
        lead = _department(session, data.lead_department)
        problems = []
        if lead is None:
            problems.append(FieldProblem("lead_department", N_("No department has the code %(code)s."),
                                         code=data.lead_department[:32]))
        if _department(session, data.code) is not None:
            problems.append(FieldProblem("code", N_("A department already has the code %(code)s."), code=data.code))
        if problems:
            raise Invalid(problems)
        if _body(session, data.code) is not None:
            raise Conflict(N_("A temporary body with the code %(code)s already exists."), code=data.code)
        body = TemporaryBody(code=data.code, name=data.name, lead_department_id=lead.id, ends_on=data.ends_on)  # type: ignore[union-attr,arg-type]
        session.add(body)
        session.flush()
        return body_public(body, lead)  # type: ignore[arg-type]
