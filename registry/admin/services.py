"""Administration: accounts, departments and review stages changed by an administrator in the browser.

Every change is one write transaction that also records an AuditEvent naming the administrator (who, when,
what). A change of the review stages or of the departments serving them appends one `stages.changed` ledger
entry holding the full new arrangement (contract §5), in the same transaction.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from registry.accounts.models import ApiToken, AuditEvent, User
from registry.accounts.services import MIN_PASSWORD_LENGTH, hash_password
from registry.admission.models import AdmissionRequest, Decision, ReviewStage, ReviewStageDepartment
from registry.admission.services import county_stages, review_stages_public
from registry.catalog.models import DutyVersion
from registry.choices import N_, AuditKind, DepartmentKind, LedgerKind, RequestState
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Invalid, NotFound
from registry.i18n import gettext
from registry.ledger import chain
from registry.regions.models import Department, Region
from registry.regions.services import region_index
from registry.timeutil import utcnow

CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
STAGE_CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")
AUDIT_PAGE = 100


@dataclass(frozen=True)
class AccountRow:
    """An account as the administrator's list shows it (never its password hash)."""

    id: int
    name: str
    role: str
    department: str
    region: str
    disabled: bool
    demo: bool
    created_at: datetime
    tokens: int  # tokens in force


@dataclass(frozen=True)
class TokenRow:
    id: int
    created_at: datetime
    revoked_at: datetime | None


def _audit(session: Session, kind: AuditKind, actor: str, account: str = "", detail: str = "") -> None:
    session.add(AuditEvent(kind=kind, actor=actor[:64], account=account[:64], detail=detail[:500]))


# ---------------------------------------------------------------- accounts

def accounts(session: Session) -> list[AccountRow]:
    """Every account by name, with its department or region and how many tokens are in force."""
    departments = {d.id: gettext(N_("%(name)s (%(code)s)"), name=d.name, code=d.code)
                   for d in session.exec(select(Department))}
    live = dict(list(session.exec(  # type: ignore[arg-type]  (a Result has keys(): dict() would take it as a mapping)
        select(ApiToken.user_id, func.count()).where(col(ApiToken.revoked_at).is_(None)).group_by(ApiToken.user_id))))
    users = list(session.exec(select(User).order_by(col(User.name))))
    region_ids = {u.region_id for u in users if u.region_id}
    regions = {r.id: gettext(N_("%(name)s (%(code)s)"), name=r.name, code=r.code)
               for r in session.exec(select(Region).where(col(Region.id).in_(region_ids)))}
    return [AccountRow(id=u.id, name=u.name, role=u.role, department=departments.get(u.department_id, ""),  # type: ignore[arg-type]
                       region=regions.get(u.region_id, ""), disabled=u.disabled, demo=u.demo, created_at=u.created_at,
                       tokens=int(live.get(u.id, 0))) for u in users]


def account(session: Session, user_id: int) -> tuple[AccountRow, list[TokenRow]]:
    """One account and its tokens, newest first (NotFound for an unknown id)."""
    found = next((a for a in accounts(session) if a.id == user_id), None)
    if found is None:
        raise NotFound(N_("No account with this number."))
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == user_id).order_by(col(ApiToken.id).desc()))
    return found, [TokenRow(id=t.id, created_at=t.created_at, revoked_at=t.revoked_at) for t in tokens]  # type: ignore[arg-type]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None:
        raise NotFound(N_("No account with this number."))
    return user


def set_enabled(db: Database, actor: str, user_id: int, enabled: bool) -> None:
    """Disable an account (no sign-in; its sessions and tokens stop at once) or enable it again (its revoked
    tokens stay revoked)."""
    with db.write() as session:
        user = _user(session, user_id)
        if user.name == actor and not enabled:
            raise Conflict(N_("You cannot disable your own account."))
        user.disabled = not enabled
        session.add(user)
        if not enabled:
            for token in session.exec(select(ApiToken).where(ApiToken.user_id == user.id)):
                token.revoked_at = token.revoked_at or utcnow()
                session.add(token)
        _audit(session, AuditKind.ACCOUNT_ENABLED if enabled else AuditKind.ACCOUNT_DISABLED, actor, user.name)


def reset_password(db: Database, actor: str, user_id: int, password: str) -> None:
    """Set a new password (at least MIN_PASSWORD_LENGTH characters); the account's tokens are untouched."""
    if len(password) < MIN_PASSWORD_LENGTH or len(password) > 200 or "\x00" in password:
        raise Invalid([FieldProblem("password", N_("At least %(n)s characters."), n=MIN_PASSWORD_LENGTH)])
    with db.write() as session:
        user = _user(session, user_id)
        user.password_hash = hash_password(password)
        session.add(user)
        _audit(session, AuditKind.PASSWORD_RESET, actor, user.name)


def revoke_token(db: Database, actor: str, user_id: int, token_id: int) -> None:
    """That token of that account stops working (revoking it again changes nothing)."""
    with db.write() as session:
        user = _user(session, user_id)
        token = session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
        if token is None or token.user_id != user.id:
            raise NotFound(N_("Unknown token."))
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.add(token)
            _audit(session, AuditKind.TOKEN_REVOKED, actor, user.name, f"token {token.id}")


def generated_password() -> str:
    """A password an administrator can hand over once (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------- departments

def departments(session: Session) -> list[tuple[Department, int]]:
    """Every department by code, with the number of duty versions in force that name it."""
    in_force = dict(list(session.exec(  # type: ignore[arg-type]
        select(DutyVersion.department_id, func.count()).where(col(DutyVersion.to_edition).is_(None))
        .group_by(DutyVersion.department_id))))
    rows = session.exec(select(Department).order_by(col(Department.code)))
    return [(d, int(in_force.get(d.id, 0))) for d in rows]


def _department_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise Invalid([FieldProblem("name", N_("A name of 1 to 100 characters is required."))])
    return name


def create_department(db: Database, actor: str, code: str, name: str, kind: str) -> None:
    code = code.strip().upper()
    problems = []
    if not CODE.fullmatch(code):
        problems.append(FieldProblem("code", N_("A code of 1 to 32 Latin letters, digits or underscores, "
                                                "starting with a letter.")))
    if kind not in DepartmentKind.values():
        problems.append(FieldProblem("kind", N_("Unknown department kind.")))
    try:
        name = _department_name(name)
    except Invalid as exc:
        problems += exc.problems
    if problems:
        raise Invalid(problems)
    with db.write() as session:
        if session.exec(select(Department).where(Department.code == code)).first():
            raise Conflict(N_("A department with the code %(code)s already exists."), code=code)
        # Administrators manage the default county's departments (contract §10: each belongs to one region).
        default = region_index(session).default_owner()
        session.add(Department(code=code, name=name, kind=kind, region_id=default.id if default else None))
        _audit(session, AuditKind.DEPARTMENT_CREATED, actor, detail=f"{code} {name}")


def rename_department(db: Database, actor: str, code: str, name: str) -> None:
    """Rename a department that no duty in force names: the catalog (and so the ledger's replay) holds the
    department's name, so a department with duties keeps its name until they are amended or retired."""
    name = _department_name(name)
    with db.write() as session:
        department = session.exec(select(Department).where(Department.code == code)).first()
        if department is None:
            raise NotFound(N_("No department with the code %(code)s."), code=code)
        if department.name == name:
            return
        in_force = session.exec(select(func.count()).select_from(DutyVersion).where(
            col(DutyVersion.to_edition).is_(None), DutyVersion.department_id == department.id)).one()
        named = session.exec(select(DutyVersion.co_departments).where(col(DutyVersion.to_edition).is_(None)))
        if in_force or any(code in (c or []) for c in named):
            raise Conflict(N_("Duties in force name this department; the catalog keeps its name until they are "
                              "amended or retired through admission."))
        old = department.name
        department.name = name
        session.add(department)
        _audit(session, AuditKind.DEPARTMENT_RENAMED, actor, detail=f"{code}: {old} → {name}")


# ---------------------------------------------------------------- review stages

def _stages_changed(session: Session, actor: str, what: str) -> None:
    """The ledger entry with the whole new arrangement, and the audit record, in the caller's transaction."""
    session.flush()
    arrangement = review_stages_public(session)
    chain.append(session, LedgerKind.STAGES_CHANGED, {"change": what, "stages": arrangement})
    _audit(session, AuditKind.REVIEW_STAGES_CHANGED, actor, detail=what)


def _stage(session: Session, code: str) -> ReviewStage:
    stage = session.exec(select(ReviewStage).where(ReviewStage.code == code)).first()
    if stage is None:
        raise NotFound(N_("No review stage with the code %(code)s."), code=code)
    return stage


def _department_ids(session: Session, codes: list[str]) -> list[int]:
    known = {d.code: d.id for d in session.exec(select(Department))}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Invalid([FieldProblem("departments", N_("Unknown department %(code)s."), code=unknown[0])])
    if not codes:
        raise Invalid([FieldProblem("departments", N_("At least one department must serve a stage."))])
    return [known[c] for c in dict.fromkeys(codes)]  # type: ignore[misc]


def _stage_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise Invalid([FieldProblem("name", N_("A name of 1 to 100 characters is required."))])
    return name


def create_stage(db: Database, actor: str, code: str, name: str, department_codes: list[str],
                 before: str | None = None) -> None:
    """A new stage, last or before the stage *before*; requests already waiting keep their stage."""
    code = code.strip().lower()
    if not STAGE_CODE.fullmatch(code):
        raise Invalid([FieldProblem("code", N_("A code of 1 to 32 lower-case Latin letters, digits or "
                                               "underscores, starting with a letter."))])
    name = _stage_name(name)
    with db.write(exclusive=True) as session:
        if session.exec(select(ReviewStage).where(ReviewStage.code == code)).first():
            raise Conflict(N_("A review stage with the code %(code)s already exists."), code=code)
        ids = _department_ids(session, department_codes)
        # A new stage is the default county's (the pages manage one county's stages; §10 gives each its own).
        default = region_index(session).default_owner()
        county_id = default.id if default else None
        ordered = county_stages(session, county_id)
        at = next((i for i, s in enumerate(ordered) if s.code == before), len(ordered))
        stage = ReviewStage(code=code, name=name, position=-(len(ordered) + 1000),  # free until renumbered
                            region_id=county_id)
        session.add(stage)
        session.flush()
        _renumber(session, [*ordered[:at], stage, *ordered[at:]])
        for department_id in ids:
            session.add(ReviewStageDepartment(stage_id=stage.id, department_id=department_id))  # type: ignore[arg-type]
        _stages_changed(session, actor, f"added {code}")


def update_stage(db: Database, actor: str, code: str, name: str, department_codes: list[str]) -> None:
    """Rename a stage and set the departments that serve it (nothing is recorded when nothing changes)."""
    name = _stage_name(name)
    with db.write(exclusive=True) as session:
        stage = _stage(session, code)
        ids = _department_ids(session, department_codes)
        current = set(session.exec(select(ReviewStageDepartment.department_id)
                                   .where(ReviewStageDepartment.stage_id == stage.id)))
        if stage.name == name and current == set(ids):
            return
        stage.name = name
        session.add(stage)
        for row in session.exec(select(ReviewStageDepartment).where(ReviewStageDepartment.stage_id == stage.id)):
            session.delete(row)
        session.flush()
        for department_id in ids:
            session.add(ReviewStageDepartment(stage_id=stage.id, department_id=department_id))  # type: ignore[arg-type]
        _stages_changed(session, actor, f"changed {code}")


def move_stage(db: Database, actor: str, code: str, step: int) -> None:
    """Move a stage one place earlier (-1) or later (+1); at either end nothing changes."""
    with db.write(exclusive=True) as session:
        moved = _stage(session, code)
        ordered = county_stages(session, moved.region_id)  # a stage moves among its own county's
        index = next((i for i, s in enumerate(ordered) if s.code == code), None)
        if index is None:
            raise NotFound(N_("No review stage with the code %(code)s."), code=code)
        target = index + (1 if step > 0 else -1)
        if not 0 <= target < len(ordered):
            return
        ordered[index], ordered[target] = ordered[target], ordered[index]
        _renumber(session, ordered)
        _stages_changed(session, actor, f"moved {code}")


def remove_stage(db: Database, actor: str, code: str) -> None:
    """Remove a stage no request waits at and no decision was made at; at least one stage remains."""
    with db.write(exclusive=True) as session:
        stage = _stage(session, code)
        waiting = session.exec(select(func.count()).select_from(AdmissionRequest).where(
            AdmissionRequest.stage_id == stage.id, AdmissionRequest.state == RequestState.SUBMITTED)).one()
        decided = session.exec(select(func.count()).select_from(Decision).where(Decision.stage_id == stage.id)).one()
        if waiting or decided:
            raise Conflict(N_("Requests wait at this stage or were decided there; it cannot be removed."))
        ordered = [s for s in county_stages(session, stage.region_id) if s.id != stage.id]
        if not ordered:
            raise Conflict(N_("The last review stage cannot be removed."))
        for row in session.exec(select(ReviewStageDepartment).where(ReviewStageDepartment.stage_id == stage.id)):
            session.delete(row)
        session.flush()  # the rows that point at the stage go first (no ORM relationship orders them)
        session.delete(stage)
        session.flush()
        _renumber(session, ordered)
        _stages_changed(session, actor, f"removed {code}")


def _renumber(session: Session, ordered: list[ReviewStage]) -> None:
    """Positions 1, 2, 3… in this order (through negative positions first: `position` is unique)."""
    for i, stage in enumerate(ordered, start=1):
        stage.position = -i
        session.add(stage)
    session.flush()
    for i, stage in enumerate(ordered, start=1):
        stage.position = i
        session.add(stage)
    session.flush()


# ---------------------------------------------------------------- the audit log

def audit_events(session: Session, kind: str | None = None, page: int = 1) -> tuple[list[AuditEvent], int]:
    """Audit events newest first, AUDIT_PAGE a page, optionally of one kind; and how many there are."""
    statement = select(AuditEvent)
    if kind:
        statement = statement.where(AuditEvent.kind == kind)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(col(AuditEvent.id).desc()).offset((page - 1) * AUDIT_PAGE)
                        .limit(AUDIT_PAGE))
    return list(rows), int(total)
