"""Accounts, passwords, API tokens, sign-in with rate limiting, and the security audit trail."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlmodel import Session, col, delete, func, select

from registry.accounts.models import ApiToken, AuditEvent, LoginAttempt, User
from registry.choices import DEPARTMENT_ROLES, N_, AuditKind, RegionLevel, Role
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Invalid, NotFound
from registry.regions.models import Department, Region
from registry.regions.services import region_index
from registry.timeutil import utcnow

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
LOGIN_LOCK_SPACE = 0x6C6F67  # "log": the advisory-lock namespace of sign-in throttling
TOKEN_PREFIX = "rgt_"  # noqa: S105  (a visible prefix, not a secret)
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Principal:
    """Who is acting: the account and what its role binds it to."""

    user_id: int
    name: str
    role: str
    department_id: int | None
    department_code: str | None
    department_name: str | None
    region_id: int | None
    region_code: str | None
    region_name: str | None
    # The region (county, city or province) that owns the account's department (contract §10); None without one.
    department_region_id: int | None = None


class RateLimited(Exception):
    """Too many failed sign-ins for this account or this client address."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def principal_for(session: Session, user: User) -> Principal:
    department = session.get(Department, user.department_id) if user.department_id else None
    region = session.get(Region, user.region_id) if user.region_id else None
    return Principal(
        user_id=user.id,  # type: ignore[arg-type]
        name=user.name,
        role=user.role,
        department_id=user.department_id,
        department_code=department.code if department else None,
        department_name=department.name if department else None,
        region_id=user.region_id,
        region_code=region.code if region else None,
        region_name=region.name if region else None,
        department_region_id=_department_region_id(session, department),
    )


def _department_region_id(session: Session, department: Department | None) -> int | None:
    """The region that owns *department*: its own, or for a pre-§10 row the deployment's default county."""
    if department is None:
        return None
    if department.region_id is not None:
        return department.region_id
    owner = region_index(session).default_owner()
    return owner.id if owner else None


def active_user(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return None if user is None or user.disabled else user


def user_for_token(session: Session, token: str) -> User | None:
    """The enabled account behind an unrevoked token, or None."""
    statement = (
        select(User)
        .join(ApiToken, col(ApiToken.user_id) == col(User.id))
        .where(ApiToken.digest == token_digest(token), col(ApiToken.revoked_at).is_(None),
               col(User.disabled).is_(False))
    )
    return session.exec(statement).first()


def create_user(
    db: Database,
    name: str,
    role: str,
    password: str,
    department_code: str | None = None,
    region_code: str | None = None,
    demo: bool = False,
    actor: str = "",
) -> User:
    """Create an account; department, reviewer and office accounts need a department, cadres a region."""
    problems = []
    name = name.strip()
    if not name or len(name) > 64 or "\x00" in name:
        problems.append(FieldProblem("name", N_("A name of 1 to 64 characters is required.")))
    if role not in Role.values():
        problems.append(FieldProblem("role", N_("Unknown role.")))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem("password", N_("At least %(n)s characters."), n=MIN_PASSWORD_LENGTH))
    if problems:
        raise Invalid(problems)
    with db.write() as session:
        if session.exec(select(User).where(User.name == name)).first():
            raise Conflict(N_("An account named %(name)s already exists."), name=name)
        department_id = region_id = None
        if role in DEPARTMENT_ROLES:
            department = session.exec(select(Department).where(Department.code == (department_code or ""))).first()
            if department is None:
                raise Invalid([FieldProblem("department", N_("A known department code is required."))])
            department_id = department.id
        if role == Role.CADRE:
            region = session.exec(select(Region).where(Region.code == (region_code or ""))).first()
            if region is None or region.level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):  # contract §1
                raise Invalid([FieldProblem("region", N_("A known region code is required."))])
            region_id = region.id
        user = User(
            name=name,
            role=role,
            password_hash=hash_password(password),
            department_id=department_id,
            region_id=region_id,
            demo=demo,
        )
        session.add(user)
        where = department_code if role in DEPARTMENT_ROLES else region_code if role == Role.CADRE else ""
        session.add(AuditEvent(kind=AuditKind.ACCOUNT_CREATED, actor=actor, account=name,
                               detail=f"{role} {where or ''}".strip()))
        session.flush()
        return user


def disable_user(db: Database, name: str, actor: str = "") -> None:
    """The account can no longer sign in; its sessions and tokens stop working at once."""
    with db.write() as session:
        user = session.exec(select(User).where(User.name == name)).first()
        if user is None:
            raise NotFound(N_("No account named %(name)s."), name=name)
        user.disabled = True
        session.add(user)
        for token in session.exec(select(ApiToken).where(ApiToken.user_id == user.id)):
            token.revoked_at = token.revoked_at or utcnow()
            session.add(token)
        session.add(AuditEvent(kind=AuditKind.ACCOUNT_DISABLED, actor=actor, account=name))


def create_token(db: Database, name: str, actor: str = "") -> str:
    """A new bearer token for an enabled account; only its digest is stored."""
    with db.write() as session:
        user = session.exec(select(User).where(User.name == name)).first()
        if user is None or user.disabled:
            raise NotFound(N_("No enabled account named %(name)s."), name=name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(user_id=user.id, digest=token_digest(token))  # type: ignore[arg-type]
        session.add(row)
        session.flush()
        session.add(AuditEvent(kind=AuditKind.TOKEN_CREATED, actor=actor, account=name, detail=f"token {row.id}"))
        return token


def revoke_token(db: Database, token: str) -> None:
    with db.write() as session:
        row = session.exec(select(ApiToken).where(ApiToken.digest == token_digest(token.strip()))).first()
        if row is None:
            raise NotFound(N_("Unknown token."))
        row.revoked_at = row.revoked_at or utcnow()
        session.add(row)
        session.add(AuditEvent(kind=AuditKind.TOKEN_REVOKED, detail=f"token {row.id}"))


def authenticate(
    db: Database, name: str, password: str, client: str, max_failures: int, window_seconds: int
) -> User | None:
    """Check a password. Raises RateLimited once the account or the client has too many recent failures.

    Every attempt is first recorded as a failure, counted in the same serialised transaction (so parallel
    guesses cannot slip past the limit), and removed again only when the password is right. The cost is one
    argon2 verification whether or not the account exists.
    """
    name = name.strip()[:64]
    client = client[:64]
    since = utcnow() - timedelta(seconds=window_seconds)
    with db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:space, hashtext(:account))"),
                            {"space": LOGIN_LOCK_SPACE, "account": name})
        failures = session.exec(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since, LoginAttempt.account == name)
        ).one()
        from_client = session.exec(
            select(func.count()).select_from(LoginAttempt)
            .where(LoginAttempt.at >= since, LoginAttempt.client == client)
        ).one()
        # Attempts older than the window count for nothing: sweep them so the table stays small.
        session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < since))  # type: ignore[call-overload]
        throttled = failures >= max_failures or from_client >= max_failures * 4
        if throttled:
            session.add(AuditEvent(kind=AuditKind.LOGIN_THROTTLED, account=name, client=client))
        else:
            attempt = LoginAttempt(account=name, client=client)
            session.add(attempt)
            session.flush()
            attempt_id = attempt.id
    if throttled:
        raise RateLimited()
    with db.read() as session:
        user = session.exec(select(User).where(User.name == name)).first()
    ok = _verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    with db.write() as session:
        if ok and user is not None and not user.disabled:
            session.exec(delete(LoginAttempt).where(col(LoginAttempt.id) == attempt_id))  # type: ignore[call-overload]
            session.add(AuditEvent(kind=AuditKind.LOGIN_SUCCEEDED, account=name, client=client))
            return user
        session.add(AuditEvent(kind=AuditKind.LOGIN_FAILED, account=name, client=client))
        return None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def record_event(db: Database, kind: AuditKind, account: str = "", client: str = "", detail: str = "") -> None:
    with db.write() as session:
        session.add(AuditEvent(kind=kind, account=account[:64], client=client[:64], detail=detail[:500]))
