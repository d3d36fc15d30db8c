"""Choose each request's language (?lang=, cookie, Accept-Language) and remember an explicit choice."""

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from registry import i18n

ONE_YEAR = 365 * 24 * 3600


class LanguageMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, default: str, cookie_secure: bool):
        self.default = default
        self.cookie_secure = cookie_secure

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        from litestar.connection import ASGIConnection

        connection: ASGIConnection = ASGIConnection(scope)
        explicit = i18n.normalise_language(connection.query_params.get("lang"))
        language = i18n.choose_language(
            explicit,
            connection.cookies.get(i18n.LANGUAGE_COOKIE),
            connection.headers.get("accept-language"),
            self.default,
        )
        token = i18n.set_language(language)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["content-language"] = language
                if explicit:
                    cookie = Cookie(key=i18n.LANGUAGE_COOKIE, value=explicit, max_age=ONE_YEAR, path="/",
                                    samesite="lax", secure=self.cookie_secure, httponly=True)
                    headers.add("set-cookie", cookie.to_header(header=""))
            await send(message)

        try:
            await next_app(scope, receive, send_with_cookie)
        finally:
            i18n.reset_language(token)
