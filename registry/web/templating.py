"""The Jinja environment: autoescape on, gettext from the request's language, shared filters."""

from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup

from registry import i18n
from registry.choices import (
    AppliesTo,
    AudienceKind,
    AuditKind,
    Category,
    DecisionKind,
    DutyStatus,
    Frequency,
    LedgerKind,
    NotificationKind,
    NotificationState,
    RegionKind,
    RequestKind,
    RequestState,
    Role,
    TotalsField,
)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


def _time_element(formatter):  # type: ignore[no-untyped-def]
    """A filter showing a date or time as <time>: machine-readable, and kept on one line (CSS: time nowrap)."""

    def shown(value) -> Markup:  # type: ignore[no-untyped-def]
        text = formatter(value)
        if not text:
            return Markup("")
        return Markup('<time datetime="{}">{}</time>').format(str(getattr(value, "isoformat", lambda: value)()), text)

    return shown


def _label(enumeration):  # type: ignore[no-untyped-def]
    return partial(i18n.label_of, enumeration)


@pass_context
def lang_url(context, code: str) -> str:  # type: ignore[no-untyped-def]
    """The current URL with ?lang=code (other query parameters kept)."""
    request = context.get("request")
    if request is None:
        return f"?lang={code}"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", code))
    return f"{request.url.path}?{urlencode(params)}"


@pass_context
def url_with(context, **changes: object) -> str:  # type: ignore[no-untyped-def]
    """The current URL with some query parameters replaced (None removes one)."""
    request = context.get("request")
    params = {k: v for k, v in request.query_params.items()} if request else {}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    path = request.url.path if request else ""
    return f"{path}?{urlencode(params)}" if params else path


def static(path: str) -> str:
    return "/static/" + path.lstrip("/")


def make_environment(directory: Path = TEMPLATES_DIR, auto_reload: bool = False) -> Environment:
    """The Jinja environment. Templates are read once per process unless *auto_reload* (REGISTRY_DEBUG):
    with it, every `get_template` — one per {% include %}, so one per item of a list page — stats the file."""
    env = Environment(
        loader=FileSystemLoader(str(directory)),
        auto_reload=auto_reload,
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg"), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(lang_url=lang_url, url_with=url_with, static=static)
    env.filters.update(
        day=_time_element(i18n.format_day),
        moment=_time_element(i18n.format_moment),
        number=i18n.format_number,
        label=i18n.label,
        category_label=_label(Category),
        applies_to_label=_label(AppliesTo),
        frequency_label=_label(Frequency),
        region_kind_label=_label(RegionKind),
        duty_status_label=_label(DutyStatus),
        request_kind_label=_label(RequestKind),
        request_state_label=_label(RequestState),
        decision_label=_label(DecisionKind),
        ledger_kind_label=_label(LedgerKind),
        role_label=_label(Role),
        audit_kind_label=_label(AuditKind),
        notification_state_label=_label(NotificationState),
        notification_kind_label=_label(NotificationKind),
        audience_kind_label=_label(AudienceKind),
        totals_label=_label(TotalsField),
        short_hash=lambda value: (value or "")[:8],
    )
    return env
