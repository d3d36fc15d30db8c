"""The /burden dashboard's data: burden per town, the catalog across editions, the seven 多 of the county."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from registry.burden import totals as t
from registry.burden.charts import Chart, bar_chart, line_chart
from registry.burden.profile import region_burden, snapshot
from registry.burden.schemas import BurdenPublic
from registry.catalog.models import DutyVersion
from registry.choices import N_, DutyStatus, RegionLevel
from registry.i18n import gettext as _
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex, region_index

MAX_POINTS = 60
CHART_NAMES = ("towns", "editions", "seven")
SEVEN = (
    ("signboards", N_("Signboards"), ("signboards",)),
    ("duties", N_("Duties"), ("duties",)),
    ("ledgers_reports", N_("Ledgers and reports"), ("ledgers", "reports")),
    ("apps", N_("Government apps"), ("apps",)),
    ("wall_rules", N_("Rules on walls"), ("wall_rules",)),
    ("assessments", N_("Assessments and inspections"), ("assessments",)),
    ("campaigns", N_("Creation and ranking campaigns"), ("campaigns",)),
)


@dataclass(frozen=True)
class EditionPoint:
    edition: int
    duties: int
    hours_tenths: int


def county_of(index: RegionIndex) -> Region | None:
    """The county the dashboard shows: the deployment's default county (the root county of a one-county tree;
    under a province or city root, the first county — the dashboard has no county picker yet)."""
    county = index.default_owner()
    return county if county is not None and county.level == RegionLevel.COUNTY else None


def sample(values: list[int], limit: int = MAX_POINTS) -> list[int]:
    """At most *limit* values, evenly spread, always keeping the first and the last."""
    if len(values) <= limit:
        return values
    picked = {values[round(i * (len(values) - 1) / (limit - 1))] for i in range(limit)}
    return sorted(picked)


def edition_series(session: Session, county: Region) -> list[EditionPoint]:
    """For each edition of the county's lists (sampled): the active performed duties that concern the county (its
    own, those above it and those below it), and hours of the county's own list.

    One query for the range [from_edition, to_edition) of every such version; the rest is arithmetic in memory,
    done once per edition of the county (registry.burden.profile: a change in another county never moves it).
    """
    return snapshot(session, county).memo(("editions", county.id), lambda: _edition_series(session, county))


def _edition_series(session: Session, county: Region) -> list[EditionPoint]:
    index = region_index(session)
    columns = (DutyVersion.from_edition, DutyVersion.to_edition, DutyVersion.status, DutyVersion.category,
               DutyVersion.scope_region_id, DutyVersion.hours_tenths)
    statement = select(*columns)
    if index.parent(county) is not None:  # below a city or province root: only what concerns this county
        statement = statement.where(col(DutyVersion.scope_region_id).in_(reach.related_scope_ids(index, county)))
    rows = list(session.exec(statement))
    editions = sorted({row[0] for row in rows})
    versions = [row for row in rows if row[2] == DutyStatus.ACTIVE and row[3] in t.PERFORMED_VALUES]
    points = []
    for edition in sample(editions):
        live = [v for v in versions if v[0] <= edition and (v[1] is None or v[1] > edition)]
        hours = sum(int(v[5] or 0) for v in live if v[4] == county.id)
        points.append(EditionPoint(edition, len(live), hours))
    return points


def town_rows(session: Session, index: RegionIndex, county: Region) -> list[dict]:
    """Per town: villages below it, mean and max hours per month per village (once per edition and index)."""
    snap = snapshot(session, county)
    return snap.memo(("towns", id(index), county.id), lambda: _town_rows(snap.village_totals(index), index, county))


def _town_rows(all_totals: dict[int, dict[str, int]], index: RegionIndex, county: Region) -> list[dict]:
    rows = []
    for town in index.children_of(county):
        if town.level != RegionLevel.TOWN:
            continue
        hours = [all_totals[v.id][t.HOURS] for v in index.villages_below(town)]  # type: ignore[index]
        mean = round(sum(hours) / len(hours) / 10, 1) if hours else 0
        rows.append({"code": town.code, "name": town.name, "villages": len(hours),
                     "mean": int(mean) if float(mean).is_integer() else mean,
                     "max": t.hours_number(max(hours)) if hours else 0})
    return rows


def charts(session: Session) -> tuple[BurdenPublic | None, list[Chart]]:
    """The county BURDEN and the dashboard's charts (titles in the request's language)."""
    index = region_index(session)
    county = county_of(index)
    if county is None:
        return None, []
    burden = region_burden(session, county.code)
    mean_label = _("Mean hours per month per village")
    towns = town_rows(session, index, county)
    town_chart = Chart(
        "towns", _("Burden per town"),
        _("Mean hours of work a month that the catalog puts on each village, by town."),
        [_("Town or subdistrict"), _("Villages"), mean_label, _("Most hours per month of a village")],
        [[r["name"], r["villages"], r["mean"], r["max"]] for r in towns],
    )
    town_chart.svgs.append(bar_chart("chart-towns", town_chart.title, town_chart.description,
                                     [(r["name"], r["mean"]) for r in towns], mean_label, _("Town or subdistrict")))
    series = edition_series(session, county)
    county_hours = _("County-wide hours per month")
    edition_chart = Chart(
        "editions", _("The catalog across editions"),
        _("Active duties performed by villages, and the hours per month of the county-wide list, "
          "at each edition of the catalog."),
        [_("Edition"), _("Duties"), county_hours],
        [[p.edition, p.duties, t.hours_number(p.hours_tenths)] for p in series],
    )
    edition_chart.svgs.append(line_chart(
        "chart-editions-duties", _("Duties in the catalog across editions"), edition_chart.description,
        [(p.edition, p.duties) for p in series], _("Edition"), _("Duties")))
    edition_chart.svgs.append(line_chart(
        "chart-editions-hours", _("County-wide hours per month across editions"), edition_chart.description,
        [(p.edition, t.hours_number(p.hours_tenths)) for p in series], _("Edition"), county_hours))
    seven = [(_(label), sum(getattr(burden.totals, f) for f in fields)) for _key, label, fields in SEVEN]
    seven_chart = Chart(
        "seven", _("The seven burdens of the county"),
        _("What the county's own list puts on a village: signboards, duties, ledgers and reports, apps, "
          "rules on walls, assessments, campaigns."),
        [_("Kind"), _("Number")], [[label, value] for label, value in seven],
    )
    seven_chart.svgs.append(bar_chart("chart-seven", seven_chart.title, seven_chart.description, seven,
                                      _("Number"), _("Kind")))
    return burden, [town_chart, edition_chart, seven_chart]


def chart_named(session: Session, name: str) -> Chart | None:
    return next((c for c in charts(session)[1] if c.name == name), None)


