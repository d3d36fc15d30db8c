"""One place that turns exceptions into responses: JSON under /api/, pages elsewhere; never a trace."""

import logging
import secrets

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from registry import i18n
from registry.choices import N_
from registry.errors import BadRequest, Conflict, Forbidden, Invalid, NotFound, RegistryError
from registry.web.pages import render

log = logging.getLogger("registry.errors")

STATUS_MESSAGES = {
    400: N_("The request is not valid."),
    401: N_("Please sign in first."),
    403: N_("You do not have permission to do this."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("This conflicts with the current state; reload and try again."),
    413: N_("The request body is too large."),
    422: N_("Some fields are not valid."),
    429: N_("Too many attempts; please wait and try again."),
    500: N_("Something went wrong on our side."),
}
DOMAIN_STATUS = {BadRequest: 400, NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422}


def wants_json(request: Request) -> bool:
    return request.scope["path"].startswith(("/api/", "/schema"))  # the scope's: never parsed from Host


def ensure_language(request: Request) -> None:
    """Errors raised before routing never reach the language middleware: choose the language here."""
    default = request.app.state.get("settings").language if request.app.state.get("settings") else "zh-Hans"
    i18n.set_language(
        i18n.choose_language(
            request.query_params.get("lang"),
            request.cookies.get(i18n.LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
            default,
        )
    )


def problem_response(request: Request, status_code: int, detail: str, errors: list[dict] | None = None,
                     error_id: str | None = None, headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        body: dict = {"detail": detail, "status_code": status_code}
        if errors:
            body["errors"] = errors
        if error_id:
            body["error_id"] = error_id
        return Response(content=body, status_code=status_code, media_type=MediaType.JSON, headers=headers)
    page = render(request, "errors/error.html", status_code=status_code, message=detail, error_id=error_id)
    page.context["status_code"] = status_code  # the template shows the status (render() takes it for the response)
    return page


def registry_error_handler(request: Request, exc: RegistryError) -> Response:
    ensure_language(request)
    status_code = next((code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind)), 400)
    detail = i18n.gettext(exc.message, **exc.params)
    errors = i18n.translated_problems(exc.problems) if isinstance(exc, Invalid) else None
    if errors and len(errors) == 1:
        detail = f"{detail} {errors[0]['field']}: {errors[0]['message']}"
    return problem_response(request, status_code, detail, errors)


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    ensure_language(request)
    status_code = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not wants_json(request):
        return Redirect(path="/login", query_params={"next": request.scope["path"]})  # type: ignore[return-value]
    if status_code >= 500:
        return internal_error_handler(request, exc)
    errors = None
    if isinstance(exc, ValidationException):
        status_code = 400
        errors = [{"field": str(e.get("key", "")), "message": i18n.gettext(N_("Not a valid value."))}
                  for e in (exc.extra or []) if isinstance(e, dict)]
    detail = i18n.gettext(STATUS_MESSAGES.get(status_code, STATUS_MESSAGES[400]))
    if errors:
        detail = f"{detail} {', '.join(e['field'] for e in errors if e['field'])}".strip()
    headers = {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}  # e.g. 405's Allow
    if status_code == 401:
        headers["www-authenticate"] = "Bearer"
    if status_code in (401, 403, 413) and request.method in ("POST", "PUT", "PATCH", "DELETE"):
        # The body was refused unread: close the connection rather than leave it to the next request.
        headers["connection"] = "close"
    return problem_response(request, status_code, detail, errors, headers=headers)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    ensure_language(request)
    error_id = secrets.token_hex(6)
    log.error("error_id=%s request_id=%s %s %s", error_id, request.scope.get("registry.request_id", "-"),
              request.method, request.scope["path"][:200], exc_info=exc)
    detail = i18n.gettext(STATUS_MESSAGES[500])
    return problem_response(request, HTTP_500_INTERNAL_SERVER_ERROR, detail, error_id=error_id)


EXCEPTION_HANDLERS = {
    RegistryError: registry_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
