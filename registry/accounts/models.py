from datetime import datetime

from sqlalchemy import DateTime, LargeBinary
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class User(SQLModel, table=True):
    """An account: admin, reviewer, department clerk or office staff (of a department), or cadre (of a region)."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    department_id: int | None = Field(default=None, foreign_key="departments.id", index=True)
    region_id: int | None = Field(default=None, foreign_key="regions.id")
    disabled: bool = Field(default=False)
    demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    digest: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class StoredValue(SQLModel, table=True):
    """A key/value store all workers share (server-side sessions)."""

    __tablename__ = "stored_values"

    key: str = Field(primary_key=True, max_length=255)
    value: bytes = Field(sa_type=LargeBinary)
    expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), index=True)


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, counted per account and per client address for rate limiting."""

    __tablename__ = "login_attempts"

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=64, index=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)


class AuditEvent(SQLModel, table=True):
    """A security event (sign-in, sign-out, denial, account change); the ledger is for the catalog."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
    kind: str = Field(max_length=32)
    # Who did it (an administrator's account name; empty for the command line and for sign-in events).
    actor: str = Field(max_length=64, default="")
    account: str = Field(max_length=64, default="")
    client: str = Field(max_length=64, default="")
    detail: str = Field(max_length=500, default="")
