"""The outbox page (admin): dead letters and recent notifications, with a retry button on each dead letter."""

from typing import Annotated

from litestar import MediaType, Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from registry.choices import NotificationState, Role
from registry.db import Database
from registry.i18n import gettext as _
from registry.notifications import services
from registry.settings import Settings
from registry.web.auth import current_principal
from registry.web.guards import roles
from registry.web.pages import notify, redirect, render

PER_PAGE = 50


@get("/admin/outbox", opt=roles(Role.ADMIN), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML,
     name="outbox")
def outbox_page(request: Request, db: Database, settings: Settings,
                notification_state: Annotated[NotificationState | None, Parameter(query="state")] = None,
                page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1) -> Template:
    """Notifications newest first; `?state=dead` shows only the dead letters."""
    state = notification_state
    with db.read() as session:
        found = services.outbox_page(session, settings, state, page, PER_PAGE)
    return render(request, "notifications/outbox.html", outbox=found, state=state,
                  retryable={item.id for item in found.items if services.can_retry(item)},
                  breadcrumb_items=[(_("Home"), "/"), (_("Notification outbox"), None)])


@post("/admin/outbox/{notification_id:int}/retry", opt=roles(Role.ADMIN), sync_to_thread=True,
      include_in_schema=False, media_type=MediaType.HTML, name="outbox_retry")
def outbox_retry(request: Request, db: Database, settings: Settings, notification_id: int) -> Redirect:
    """Send a dead letter again (404 unknown, 409 when it is not dead)."""
    principal = current_principal(request)
    assert principal is not None
    services.retry(db, settings, notification_id, principal.name)
    notify(request, _("Notification %(id)s will be sent again.", id=notification_id), "success")
    return redirect("/admin/outbox")


routes = [outbox_page, outbox_retry]
