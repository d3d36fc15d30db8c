"""我的村（社区）: a cadre's own list, what changed since the cadre last marked it read, items due for review."""

from litestar import MediaType, Request, get, post
from litestar.response import Template

from registry.cadres import services
from registry.choices import Role
from registry.db import Database
from registry.i18n import gettext as _
from registry.timeutil import local_date, utcnow
from registry.web.auth import current_principal
from registry.web.guards import roles
from registry.web.pages import FormValues, notify, redirect, register_nav_badge, render
from registry.web.params import whole_number


def _address(home_code: str, code: str) -> str:
    return "/my" if code == home_code else f"/my?region={code}"


@get("/my", opt=roles(Role.CADRE), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def desk_page(request: Request, db: Database, region: str | None = None) -> Template:
    """The cadre's own region, or with `?region=` one of the villages below a town cadre's town."""
    principal = current_principal(request)
    assert principal is not None
    today = local_date(utcnow())
    desk = services.desk(db, principal, region or None, today)
    return render(request, "cadres/desk.html", desk=desk, due_within=services.DUE_WITHIN_DAYS,
                  today_iso=today.isoformat(),
                  breadcrumb_items=[(_("Home"), "/"), (_("My village or community"), None)])


@post("/my/read", opt=roles(Role.CADRE), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def mark_read(request: Request, db: Database, form: FormValues) -> object:
    """Marks the list as read up to the edition the page showed."""
    principal = current_principal(request)
    assert principal is not None
    edition = whole_number(form.text("edition"), "edition", default=0, minimum=0) or 0
    region, home = services.mark_read(db, principal, form.text("region_code") or None, edition)
    notify(request, _("Marked as read. New changes will show here."), "success")
    return redirect(_address(home.code, region.code))


def _badge(request: Request, principal) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A cadre: the items of the own list changed since last marked read."""
    if principal.role != Role.CADRE or principal.region_id is None:
        return {}
    return {"/my": services.changes_count(request.app.state.db, principal)}


register_nav_badge(_badge)

routes = [desk_page, mark_read]
