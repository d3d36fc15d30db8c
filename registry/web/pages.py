"""Rendering pages: the common context every template receives, flash messages, redirects."""

from collections.abc import Callable

from litestar import MediaType, Request
from litestar.exceptions import ValidationException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.utils.empty import Empty
from litestar.utils.scope.state import ScopeState

from registry.accounts.services import Principal
from registry.web import i18n
from registry.web.auth import current_principal

CSRF_COOKIE = "csrftoken"

# Areas register small functions that give a signed-in user a number for the nav badge.
NavBadge = Callable[[Request, Principal], int | None]
_nav_badges: list[NavBadge] = []


def register_nav_badge(provider: NavBadge) -> None:
    if provider not in _nav_badges:
        _nav_badges.append(provider)


def render(request: Request, template_name: str, *, status_code: int = 200, **context: object) -> Template:
    """A page with the frame's context: language, principal, nav badge, flash messages, CSRF input."""
    principal = current_principal(request)
    badge = None
    if principal is not None:
        for provider in _nav_badges:
            value = provider(request, principal)
            if value:
                badge = (badge or 0) + value
    context.setdefault("lang", i18n.current_language())
    context.setdefault("current_user", principal)
    context.setdefault("nav_badge", badge)
    context["flash"] = _take_flashes(request)
    _reuse_csrf_cookie(request)
    return Template(template_name=template_name, context=context, status_code=status_code,
                    media_type=MediaType.HTML)


def _reuse_csrf_cookie(request: Request) -> None:
    """Public pages skip the CSRF middleware (so they stay cacheable); a signed-in visitor's forms on them
    (sign-out) still carry the double-submit token, which is the value of the CSRF cookie."""
    state = ScopeState.from_scope(request.scope)
    if state.csrf_token is Empty or not state.csrf_token:
        cookie = request.cookies.get(CSRF_COOKIE)
        if cookie:
            state.csrf_token = cookie


def _take_flashes(request: Request) -> list[tuple[str, str]]:
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return []
    messages = session.pop("_messages", [])
    return [(m.get("category", "info"), m.get("message", "")) for m in messages if isinstance(m, dict)]


def notify(request: Request, message: str, category: str = "info") -> None:
    """Show an (already translated) message on the next page."""
    flash(request, message, category=category)


def redirect(path: str) -> Redirect:
    """303 See Other, the right answer to a form POST."""
    return Redirect(path=path, status_code=303)


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (the CSRF field removed); bad encodings give empty values."""
    form = await request.form()
    data = {key: str(value) for key, value in form.items() if key != "_csrf_token" and isinstance(value, str)}
    if any("\x00" in key or "\x00" in value for key, value in data.items()):
        raise ValidationException()  # 400: no field of any form may hold a NUL character
    return data


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def client_address(request: Request) -> str:
    """The peer address as the server saw it; X-Forwarded-For is not trusted."""
    return request.client.host if request.client else "unknown"
