"""create_app(settings): the table of contents — plugins, routes, middleware, in one place."""

import logging
from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import YamlRenderPlugin
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from registry import background
from registry.accounts import web as accounts_web
from registry.db import Database
from registry.regions import api as regions_api
from registry.regions import web as regions_web
from registry.settings import Settings
from registry.web import health
from registry.web.auth import IdentityMiddleware, RotatingSessionConfig
from registry.web.bodies import InputModelsPlugin, RegistryRequest
from registry.web.edge import allowed_hosts_only
from registry.web.errors import EXCEPTION_HANDLERS
from registry.web.guards import ACCESS_KEY, PUBLIC, access_guard, public, undeclared_routes
from registry.web.headers import add_security_headers, head_as_get
from registry.web.language import LanguageMiddleware
from registry.web.openapi import COMPONENTS as OPENAPI_COMPONENTS
from registry.web.openapi import StrictBodiesSchemaPlugin, bind_options_to_their_routes, document_errors
from registry.web.operations import observed
from registry.web.pages import CSRF_COOKIE, provide_form
from registry.web.stores import DatabaseStore
from registry.web.templating import make_environment

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("registry")


def area_routes() -> list:
    """Every area's JSON and HTML routes. Areas are added here and nowhere else."""
    from registry.admin import web as admin_web
    from registry.admission import api as admission_api
    from registry.admission import web as admission_web
    from registry.assessments import api as assessments_api
    from registry.assessments import web as assessments_web
    from registry.burden import api as burden_api
    from registry.burden import web as burden_web
    from registry.cadres import web as cadres_web
    from registry.catalog import api as catalog_api
    from registry.catalog import web as catalog_web
    from registry.forms import api as forms_api
    from registry.forms import web as forms_web
    from registry.ledger import api as ledger_api
    from registry.ledger import web as ledger_web
    from registry.meetings import api as meetings_api
    from registry.meetings import web as meetings_web
    from registry.notifications import api as notifications_api
    from registry.notifications import web as notifications_web
    from registry.ratings import api as ratings_api
    from registry.ratings import web as ratings_web
    from registry.reports import api as reports_api
    from registry.reports import web as reports_web
    from registry.reviews import api as reviews_api
    from registry.reviews import web as reviews_web
    from registry.secondments import api as secondments_api
    from registry.secondments import web as secondments_web
    from registry.statistics import api as statistics_api
    from registry.statistics import web as statistics_web

    pages = Router(
        path="/",
        include_in_schema=False,  # the OpenAPI document describes the JSON API only
        route_handlers=[
            *regions_web.routes,
            *accounts_web.routes,
            *catalog_web.routes,
            *admission_web.routes,
            *ledger_web.routes,
            *burden_web.routes,
            *notifications_web.routes,
            *reports_web.routes,
            *secondments_web.routes,
            *meetings_web.routes,
            *ratings_web.routes,
            *reviews_web.routes,
            *statistics_web.routes,
            *forms_web.routes,
            *admin_web.routes,
            *cadres_web.routes,
            *assessments_web.routes,
        ],
    )
    return [pages, *regions_api.routes, *catalog_api.routes, *admission_api.routes, *ledger_api.routes,
            *burden_api.routes, *notifications_api.routes, *reports_api.routes, *secondments_api.routes,
            *meetings_api.routes, *ratings_api.routes, *reviews_api.routes, *statistics_api.routes,
            *forms_api.routes, *assessments_api.routes]


def create_app(settings: Settings | None = None, db: Database | None = None) -> Litestar:
    """Assemble the application. Refuses to start with unsafe production settings or an undeclared route."""
    settings = (settings or Settings.from_env()).with_secret()
    settings.check_production()
    db = db or Database(settings.database_url)
    if settings.production:
        _refuse_demo_accounts(db)
    environment = make_environment(auto_reload=settings.debug)  # templates re-read on change only when debugging
    template_config = TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))
    session_config = RotatingSessionConfig(
        key="registry_session",
        max_age=settings.session_idle_seconds,
        renew_on_access=True,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    static_router = create_static_files_router(
        path="/static", directories=[STATIC_DIR], opt={**public(), "exclude_from_csrf": True},
        include_in_schema=False, send_as_attachment=False, cache_control=None,
    )
    app = Litestar(
        route_handlers=[*health.routes, static_router, *area_routes()],
        dependencies={
            "db": Provide(lambda: db, sync_to_thread=False, use_cache=True),
            "settings": Provide(lambda: settings, sync_to_thread=False, use_cache=True),
            "form": Provide(provide_form),
        },
        guards=[access_guard],
        middleware=[
            LanguageMiddleware(settings.language, settings.cookie_secure),
            session_config.middleware,
            IdentityMiddleware(db, settings.session_absolute_seconds),
        ],
        stores={"sessions": DatabaseStore(db, "sessions")},
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=CSRF_COOKIE,
            cookie_secure=settings.cookie_secure,
            cookie_samesite="lax",
            exclude=["^/api/", "^/schema"],
        ),
        template_config=template_config,
        plugins=[InputModelsPlugin(), StrictBodiesSchemaPlugin(),
                 FlashPlugin(config=FlashConfig(template_config=template_config))],
        request_class=RegistryRequest,
        openapi_config=OpenAPIConfig(
            title="村（社区）工作事项准入登记系统 API",
            version="1",
            path="/schema",
            render_plugins=[YamlRenderPlugin()],
            components=OPENAPI_COMPONENTS,
        ),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        before_send=[add_security_headers],
        request_max_body_size=settings.max_body_bytes,
        state=State({"settings": settings, "db": db, "max_body_bytes": settings.max_body_bytes}),
        lifespan=[background.lifespan(db, settings)],
        on_shutdown=[db.dispose],
        debug=False,
    )
    _mark_generated_routes_public(app)
    document_errors(app)
    bind_options_to_their_routes(app)
    # Litestar's AllowedHostsConfig compares the Host header with its port; ours ignores the port.
    app.asgi_handler = observed(
        allowed_hosts_only(head_as_get(app.asgi_handler), settings.allowed_hosts, any_host=health.PROBE_PATHS),
        settings.max_in_flight, never_shed=health.PROBE_PATHS,
    )
    missing = undeclared_routes(app)
    if missing:
        raise RuntimeError(f"routes without an access rule: {missing}")
    return app


def _mark_generated_routes_public(app: Litestar) -> None:
    """Litestar builds the OpenAPI document's routes and the automatic OPTIONS answers; both are public."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if route.path.startswith("/schema") or set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
                handler.opt.setdefault(ACCESS_KEY, PUBLIC)
                handler.opt.setdefault("exclude_from_csrf", True)


def _refuse_demo_accounts(db: Database) -> None:
    from sqlmodel import col, select

    from registry.accounts.models import User
    from registry.settings import SettingsError

    with db.read() as session:
        try:
            demo = session.exec(select(User).where(col(User.demo).is_(True), col(User.disabled).is_(False))).first()
        except Exception:  # noqa: BLE001  (no schema yet: nothing to refuse)
            return
    if demo is not None:
        raise SettingsError("production refuses demo accounts: disable them with `registry users disable NAME`")


def asgi_app() -> Litestar:
    """Zero-argument factory for production servers (granian --factory registry.app:asgi_app)."""
    return create_app()
