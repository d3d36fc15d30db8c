"""Shared steps for the administration tests: an admin's client, forms posted with the CSRF token."""

from sqlmodel import select

from registry.accounts.models import AuditEvent, User
from tests.conftest import ADMIN_PASSWORD, csrf_token, sign_in


def as_admin(client) -> str:  # type: ignore[no-untyped-def]
    """Sign the client in as the demo admin; the CSRF token for its forms."""
    sign_in(client, "admin", ADMIN_PASSWORD)
    return csrf_token(client, "/admin/accounts")


def post(client, token: str, path: str, data: dict | None = None, **options):  # type: ignore[no-untyped-def]
    return client.post(path, data={**(data or {}), "_csrf_token": token}, follow_redirects=False, **options)


def user_id(db, name: str) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.exec(select(User.id).where(User.name == name)).one()  # type: ignore[return-value]


def audit(db, kind: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    """The audit events of this kind made in the browser (the seed's own are made by nobody)."""
    with db.read() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.kind == kind, AuditEvent.actor != "")
                                 .order_by(AuditEvent.id)))
