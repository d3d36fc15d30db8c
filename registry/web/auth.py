"""Who is calling: a session cookie for pages, a bearer token for /api/. Never both."""

import time
from typing import Any

import anyio
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.empty import Empty

from registry.accounts.services import Principal, active_user, principal_for, user_for_token
from registry.db import Database

ROTATE_FLAG = "_rotate"
SESSION_USER = "uid"
SESSION_CREATED = "created"
FORCED_ID_SCOPE_KEY = "registry.session_id"
PRINCIPAL_SCOPE_KEY = "registry.principal"


class RotatingSessionBackend(ServerSideSessionBackend):
    """Server-side sessions whose id is replaced when the session asks (at sign-in): no fixation."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        forced = connection.scope.get(FORCED_ID_SCOPE_KEY)  # type: ignore[call-overload]
        return forced or super().get_session_id(connection)

    async def store_in_message(self, scope_session: Any, message: Message, connection: ASGIConnection) -> None:
        incoming = connection.cookies.get(self.config.key)
        if not scope_session:
            # Anonymous visitors get no session (so public pages stay cacheable and cost no write);
            # an emptied session (sign-out, expiry) is deleted.
            if incoming and incoming != "null":
                await super().store_in_message(Empty, message, connection)
            return
        if scope_session is not Empty and isinstance(scope_session, dict) and scope_session.pop(ROTATE_FLAG, False):
            if incoming and incoming != "null":
                await self.delete(incoming, store=self.config.get_store_from_app(connection.scope["app"]))
            connection.scope[FORCED_ID_SCOPE_KEY] = self.generate_session_id()  # type: ignore[literal-required]
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


def start_session(session: dict, user_id: int) -> None:
    """Sign in: a fresh session id, the account, and the start time for absolute expiry."""
    session.clear()
    session.update({SESSION_USER: user_id, SESSION_CREATED: int(time.time()), ROTATE_FLAG: True})


def current_principal(connection: ASGIConnection) -> Principal | None:
    return connection.scope.get(PRINCIPAL_SCOPE_KEY)  # type: ignore[call-overload]


def bearer_token(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class IdentityMiddleware(ASGIMiddleware):
    """Resolve the principal once per request. API paths look only at the bearer token; pages only at the session."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, db: Database, absolute_seconds: int):
        self.db = db
        self.absolute_seconds = absolute_seconds

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection = ASGIConnection(scope)
        principal = None
        if scope["path"].startswith("/api/"):
            token = bearer_token(connection)
            if token:
                principal = await anyio.to_thread.run_sync(self._from_token, token)
        else:
            session = scope.get("session")
            if isinstance(session, dict) and session.get(SESSION_USER):
                if int(time.time()) - int(session.get(SESSION_CREATED, 0)) > self.absolute_seconds:
                    session.clear()
                else:
                    principal = await anyio.to_thread.run_sync(self._from_user_id, int(session[SESSION_USER]))
                    if principal is None:  # disabled or deleted: the session ends now
                        session.clear()
        scope[PRINCIPAL_SCOPE_KEY] = principal  # type: ignore[literal-required]
        await next_app(scope, receive, send)

    def _from_token(self, token: str) -> Principal | None:
        with self.db.read() as session:
            user = user_for_token(session, token)
            return principal_for(session, user) if user else None

    def _from_user_id(self, user_id: int) -> Principal | None:
        with self.db.read() as session:
            user = active_user(session, user_id)
            return principal_for(session, user) if user else None
