"""Languages: catalogs loaded once, the request's language chosen per request and held in a context var.

Outside the web layer on purpose: exports, charts and the command line translate too.
"""

import contextvars
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from registry.choices import Labelled
from registry.settings import LANGUAGES
from registry.timeutil import SHANGHAI, as_utc, parse_ledger_timestamp

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
BABEL_LOCALES = {"zh-Hans": "zh_Hans", "en": "en"}
LANGUAGE_COOKIE = "lang"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("registry_language", default="zh-Hans")


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for *language*; English source strings when a catalog is missing."""
    return Translations.load(str(LOCALE_DIR), [BABEL_LOCALES[language]], domain="messages")


def normalise_language(value: str | None) -> str | None:
    """Map a language tag (zh, zh-CN, zh_Hans, en-GB, …) to a supported language, or None."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-Hans"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The best supported language in an Accept-Language header, by q-value then order."""
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = normalise_language(tag)
        if language and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else None


def choose_language(query: str | None, cookie: str | None, accept: str | None, default: str) -> str:
    """?lang= first, then the cookie, then Accept-Language, then the configured default."""
    for candidate in (normalise_language(query), normalise_language(cookie), from_accept_language(accept)):
        if candidate in LANGUAGES:
            return candidate
    return default


def set_language(language: str) -> contextvars.Token:
    return _language.set(language)


def reset_language(token: contextvars.Token) -> None:
    _language.reset(token)


def current_language() -> str:
    return _language.get()


def gettext(message: str, **params: object) -> str:
    """Translate *message* into the request's language, then fill %(name)s placeholders."""
    text = translations(current_language()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(current_language()).ngettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


_ = gettext


def label(value: object) -> str:
    """The translated label of an enumeration member; anything else as text."""
    if isinstance(value, Labelled):
        return gettext(value.label)
    return "" if value is None else str(value)


class LabelInMessage:
    """An enumeration member as a message parameter: it becomes its label in the language of whoever reads the
    message (the message is translated when the answer is written, not when the error is raised)."""

    __slots__ = ("member",)

    def __init__(self, member: Labelled) -> None:
        self.member = member

    def __str__(self) -> str:
        return label(self.member)


def label_of(enumeration: type[Labelled], value: object) -> str:
    """The translated label of an enumeration value (registry.choices); the raw value when it is not a member."""
    if value is None:
        return ""
    try:
        return gettext(enumeration(value).label)
    except ValueError:
        return str(value)


def babel_locale() -> Locale:
    return Locale.parse(BABEL_LOCALES[current_language()])


def _as_time(value):  # type: ignore[no-untyped-def]
    """Dates and datetimes as they are; an ISO string (the API's dates and timestamps) parsed."""
    if isinstance(value, str):
        if not value:
            return None
        return parse_ledger_timestamp(value) if "T" in value else date.fromisoformat(value)
    return value


def format_day(value) -> str:  # type: ignore[no-untyped-def]
    """A date (or a datetime shown as its Asia/Shanghai date; or either as an ISO string) in the request's language."""
    value = _as_time(value)
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = as_utc(value).astimezone(SHANGHAI).date()
    return format_date(value, format="medium", locale=babel_locale())


def format_moment(value) -> str:  # type: ignore[no-untyped-def]
    """A datetime (or the API's timestamp string) in Asia/Shanghai, in the request's language."""
    value = _as_time(value)
    if value is None:
        return ""
    return format_datetime(as_utc(value), format="medium", tzinfo=SHANGHAI, locale=babel_locale())


def format_number(value) -> str:  # type: ignore[no-untyped-def]
    return "" if value is None else format_decimal(value, locale=babel_locale())


def translated_problems(problems) -> list[dict]:  # type: ignore[no-untyped-def]
    """Field problems (registry.errors.FieldProblem) as `{field, message}` in the request's language."""
    return [{"field": p.field, "message": gettext(p.message, **p.params)} for p in problems]


def first_problem_of_each_input(problems, input_of=lambda path: path.split(".")[0]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The first problem of each form input, in the request's language; *input_of* maps a problem's field path
    ("burdens.ledgers.0") to the form input that shows it (by default its first part)."""
    found: dict[str, str] = {}
    for problem in translated_problems(problems):
        found.setdefault(input_of(problem["field"]), problem["message"])
    return found
