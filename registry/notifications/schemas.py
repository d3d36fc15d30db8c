"""Output shapes of the outbox (there is no input shape: notifications are written by services, not users)."""

import msgspec

from registry.choices import AudienceKind, NotificationKind, NotificationState


class AudiencePublic(msgspec.Struct, frozen=True, kw_only=True):
    kind: AudienceKind
    code: str  # a department or region code; "" for the office


class NotificationPublic(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: NotificationKind
    audience: AudiencePublic
    subject: str
    body: str
    link: str  # absolute, from REGISTRY_PUBLIC_URL
    state: NotificationState
    attempts: int
    created_at: str
    next_attempt_at: str | None  # while pending
    sent_at: str | None
    last_error: str


class NotificationPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[NotificationPublic]
    total: int
    page: int
    per_page: int
    counts: dict[str, int]  # per state, over the whole outbox
    webhook_configured: bool
