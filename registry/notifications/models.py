from datetime import datetime

from sqlalchemy import DateTime, Index
from sqlmodel import Field, SQLModel

from registry.timeutil import utcnow


class Notification(SQLModel, table=True):
    """A message in the outbox, written in the same transaction as the change it reports, then posted to the
    webhook by a sender that claims it with a lease. It names departments and regions, never persons."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)  # NotificationKind
    audience_kind: str = Field(max_length=16)  # AudienceKind
    audience_code: str = Field(default="", max_length=32)  # a department or region code; "" for the office
    subject: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)
    link_path: str = Field(default="/", max_length=500)  # a site path; the sender prefixes REGISTRY_PUBLIC_URL
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    state: str = Field(max_length=16)  # NotificationState
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    claim_token: str | None = Field(default=None, max_length=32)
    last_error: str = Field(default="", max_length=500)
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
