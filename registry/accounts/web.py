"""Sign-in and sign-out pages."""

from litestar import MediaType, Request, get, post
from litestar.exceptions import HTTPException
from litestar.response import Template

from registry.accounts import services
from registry.choices import AuditKind, Role
from registry.db import Database
from registry.i18n import gettext as _
from registry.settings import Settings
from registry.web.auth import current_principal, start_session
from registry.web.guards import SIGNED_IN, public, roles
from registry.web.pages import FormValues, client_address, notify, redirect, render, safe_next


@get("/login", opt=public(), sync_to_thread=False, name="login")
def login_page(request: Request, next: str | None = None) -> Template:  # noqa: A002
    return render(request, "accounts/login.html", next=safe_next(next), name="", error=None)


@post("/login", opt=public(), sync_to_thread=True, name="login_submit", media_type=MediaType.HTML)
def login_submit(request: Request, db: Database, settings: Settings, form: FormValues) -> object:
    name, password = form.text("name"), form.get("password", "")
    target = safe_next(form.get("next"))
    if not name or not password:
        return render(request, "accounts/login.html", status_code=400, next=target, name=name,
                      error=_("Enter your account name and password."))
    try:
        user = services.authenticate(db, name, password, client_address(request), settings.login_max_failures,
                                     settings.login_window_seconds)
    except services.RateLimited:
        return render(request, "accounts/login.html", status_code=429, next=target, name=name,
                      error=_("Too many failed attempts. Please wait 15 minutes and try again."))
    if user is None:
        return render(request, "accounts/login.html", status_code=400, next=target, name=name,
                      error=_("The account name or password is wrong."))
    start_session(request.scope["session"], user.id)  # type: ignore[arg-type]
    if user.role == Role.CADRE and not form.text("next"):
        target = "/my"  # a cadre's day starts at the own list: what changed, what is due
    notify(request, _("Signed in as %(name)s.", name=user.name), "success")
    return redirect(target)


@post("/logout", opt=roles(*SIGNED_IN), sync_to_thread=True, name="logout", media_type=MediaType.HTML)
def logout(request: Request, db: Database, form: FormValues) -> object:
    principal = current_principal(request)
    if principal is None:
        raise HTTPException(status_code=401)
    services.record_event(db, AuditKind.LOGOUT, principal.name, client_address(request))
    request.clear_session()
    return redirect("/")


routes = [login_page, login_submit, logout]
