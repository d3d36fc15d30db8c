"""JSON routes of the outbox (admin): the list page's data, and retrying a dead letter."""

from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from registry.choices import NotificationState, Role
from registry.db import Database
from registry.notifications import services
from registry.notifications.schemas import NotificationPage, NotificationPublic
from registry.settings import Settings
from registry.web.auth import current_principal
from registry.web.guards import roles
from registry.web.openapi import BEARER_SECURITY

TAGS = ["notifications"]


@get("/api/v1/notifications", opt=roles(Role.ADMIN), sync_to_thread=True, security=BEARER_SECURITY,
     operation_id="listNotifications", tags=TAGS)
def list_notifications(
    db: Database,
    settings: Settings,
    notification_state: Annotated[NotificationState | None, Parameter(query="state")] = None,
    page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
) -> NotificationPage:
    """The outbox, newest first, optionally of one state, with the counts per state."""
    with db.read() as session:
        return services.outbox_page(session, settings, notification_state, page, per_page)


@post("/api/v1/notifications/{notification_id:int}/retry", opt=roles(Role.ADMIN), status_code=200,
      sync_to_thread=True, security=BEARER_SECURITY, operation_id="retryNotification", tags=TAGS)
def retry_notification(request: Request, db: Database, settings: Settings, notification_id: int) -> NotificationPublic:
    """Put a dead letter back in the queue (404 unknown, 409 when it is not dead)."""
    principal = current_principal(request)
    assert principal is not None
    return services.retry(db, settings, notification_id, principal.name)


routes = [list_notifications, retry_notification]
