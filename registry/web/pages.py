"""Rendering pages: the common context every template receives, flash messages, redirects."""

from collections.abc import Callable

from litestar import MediaType, Request
from litestar.exceptions import ValidationException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.utils.empty import Empty
from litestar.utils.scope.state import ScopeState

from registry import i18n
from registry.accounts.services import Principal
from registry.web.auth import current_principal

CSRF_COOKIE = "csrftoken"

# Areas register small functions that give a signed-in user the number beside one of their nav links:
# `{href: count}` (the link of the user's role; nothing when there is nothing to see).
NavBadge = Callable[[Request, Principal], dict[str, int]]
_nav_badges: list[NavBadge] = []


def register_nav_badge(provider: NavBadge) -> None:
    if provider not in _nav_badges:
        _nav_badges.append(provider)


def nav_badges(request: Request, principal: Principal | None) -> dict[str, int]:
    """Each badged nav link's count for this user (each area counts its own link)."""
    found: dict[str, int] = {}
    if principal is not None and request.app.state.get("db") is not None:
        for provider in _nav_badges:
            for href, count in provider(request, principal).items():
                if count:
                    found[href] = found.get(href, 0) + count
    return found


def render(request: Request, template_name: str, *, status_code: int = 200, **context: object) -> Template:
    """A page with the frame's context: language, principal, nav badge, flash messages, CSRF input."""
    principal = current_principal(request)
    context.setdefault("lang", i18n.current_language())
    context.setdefault("current_user", principal)
    context.setdefault("nav_badges", nav_badges(request, principal))
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


class FormValues(dict[str, str]):
    """A submitted HTML form: the last value of each text field (the CSRF field removed), and every value of a
    repeated field (checkboxes) through `getall`."""

    def __init__(self, values: dict[str, str], repeated: dict[str, list[str]]):
        super().__init__(values)
        self.repeated = repeated

    def getall(self, name: str) -> list[str]:
        return list(self.repeated.get(name, []))

    def text(self, name: str) -> str:
        """A field's value, trimmed; "" when absent."""
        return (self.get(name) or "").strip()


async def provide_form(request: Request) -> FormValues:
    """The `form` dependency of page handlers that take a POSTed form; 400 for a NUL anywhere in it."""
    form = await request.form()
    values: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key == "_csrf_token" or not isinstance(value, str):
            continue
        if "\x00" in key or "\x00" in value:
            raise ValidationException()  # 400: no field of any form may hold a NUL character
        values[key] = value
        repeated.setdefault(key, []).append(value)
    return FormValues(values, repeated)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def client_address(request: Request) -> str:
    """The peer address as the server saw it; X-Forwarded-For is not trusted."""
    return request.client.host if request.client else "unknown"
