"""Transitional alias of registry.i18n for branches written before it moved (removed once they are merged)."""

from registry.i18n import (  # noqa: F401
    LANGUAGE_COOKIE,
    _,
    babel_locale,
    choose_language,
    current_language,
    format_day,
    format_moment,
    format_number,
    gettext,
    label_of,
    ngettext,
    normalise_language,
    set_language,
    translations,
)
