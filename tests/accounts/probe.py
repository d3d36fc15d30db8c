"""A bearer-only API write route added to a test app, so that authentication, CSRF and body limits
can be checked on a real /api/ write route whatever areas exist yet."""

from contextlib import contextmanager

from litestar import Request, post
from litestar.testing import TestClient

from registry.web.auth import current_principal
from registry.web.guards import roles

PROBE_PATH = "/api/v1/_probe"


@post(PROBE_PATH, opt=roles("department", "reviewer", "admin"), status_code=201)
async def probe(request: Request) -> dict:
    body = await request.body()
    principal = current_principal(request)
    return {"name": principal.name if principal else None, "bytes": len(body)}


def add_probe(app):  # type: ignore[no-untyped-def]
    """Register the probe route on an app built by create_app; returns the app."""
    app.register(probe)
    return app


@contextmanager
def probe_client(settings, db, https: bool = False):  # type: ignore[no-untyped-def]
    """A TestClient on create_app(settings, db) with the probe route; https=True for Secure cookies."""
    from registry.app import create_app

    base_url = f"{'https' if https else 'http'}://127.0.0.1"
    with TestClient(add_probe(create_app(settings, db)), base_url=base_url) as client:
        yield client
