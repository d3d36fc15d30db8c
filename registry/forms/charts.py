"""The register's figures as charts in the burden dashboard's style (registry/burden/charts.py)."""

from sqlmodel import Session

from registry.burden.charts import Chart, bar_chart
from registry.forms.schemas import FormStats
from registry.forms.services import form_rows, indicators_by_code
from registry.i18n import gettext as _

MOST_SHARED = 12


def charts(session: Session, figures: FormStats) -> list[Chart]:
    """Entries a village makes a year with and without sharing, and the indicators most forms share."""
    entries = _("Entries per village per year")
    saving = Chart(
        "entries", _("One form, filled once"),
        _("Entries a village makes in a year when every form is filled on its own, and when each figure is "
          "entered once and serves every form that asks it."),
        [_("Way of filling"), entries],
        [[_("Each form on its own"), figures.entries_without_sharing],
         [_("Each figure once"), figures.entries_with_sharing]],
    )
    saving.svgs.append(bar_chart("chart-entries", saving.title, saving.description,
                                 [(row[0], row[1]) for row in saving.rows], entries, _("Way of filling")))
    counts: dict[str, int] = {}
    for row in form_rows(session):
        if row.active:
            for code in row.form.indicators:
                counts[code] = counts.get(code, 0) + 1
    names = indicators_by_code(session)
    shared = sorted(((code, n) for code, n in counts.items() if n >= 2), key=lambda item: (-item[1], item[0]))
    forms_label = _("Forms asking it")
    sharing = Chart(
        "shared", _("The most shared indicators"),
        _("Indicators that several forms ask: a village enters each of them once."),
        [_("Indicator"), forms_label],
        [[f"{names[code].name} ({code})", n] for code, n in shared[:MOST_SHARED] if code in names],
    )
    sharing.svgs.append(bar_chart("chart-shared", sharing.title, sharing.description,
                                  [(row[0], row[1]) for row in sharing.rows], forms_label, _("Indicator")))
    return [saving, sharing]
