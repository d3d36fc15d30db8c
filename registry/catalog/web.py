"""Catalog pages: a region's official list (with print view and downloads), search, a duty's history,
and the Atom feed of catalog changes. Public, Chinese by default, cacheable when anonymous."""

import json
from collections.abc import Callable
from typing import Annotated
from xml.sax.saxutils import escape

from litestar import Request, Response, get
from litestar.params import Parameter
from litestar.response import Template

from registry import i18n
from registry.assessments.services import joint_token
from registry.burden.services import region_burden
from registry.bytecache import ByteBudgetCache
from registry.catalog import export, lists, search
from registry.catalog.api import Edition, PageNumber, list_etag, not_modified_early, with_extra
from registry.catalog.schemas import DutyPublic, VersionPublic
from registry.choices import (
    BURDEN_LISTS,
    CATALOG_KINDS,
    LEDGER_KIND_FOR_CHANGE,
    N_,
    AppliesTo,
    Category,
    ChangeKind,
    DutyStatus,
    Frequency,
    TotalsField,
)
from registry.db import Database
from registry.errors import BadRequest
from registry.i18n import gettext as _
from registry.i18n import label_of
from registry.regions import picker
from registry.regions.services import departments_to_filter_by, find_region, region_index, region_public
from registry.settings import Settings
from registry.timeutil import local_date, utcnow
from registry.web.auth import current_principal
from registry.web.downloads import attachment
from registry.web.etags import cache_headers, not_modified, not_modified_response
from registry.web.guards import public_page
from registry.web.pages import render

VersionNumber = Annotated[int | None, Parameter(ge=1, le=10**9)]


def _breadcrumbs(session, code: str) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    """(ancestors county-first, children) of a region."""
    index = region_index(session)
    region = find_region(index, code)
    return list(reversed(index.ancestors(region))), index.children_of(region)


def _grouped(duties: list[DutyPublic]) -> list[tuple[Category, list[DutyPublic]]]:
    """The items by category, in the categories' order; empty categories left out."""
    groups: dict[Category, list[DutyPublic]] = {c: [] for c in Category}
    for duty in duties:
        groups[Category(duty.category)].append(duty)
    return [(category, items) for category, items in groups.items() if items]


def _region_page(request: Request, db: Database, code: str, template: str, category: str | None,
                 edition: int | None, since_edition: int | None, day_in_tag: bool = False) -> Response | Template:
    """A region's list page. The tag needs only the (cached) list; the rest of the page is built on a miss."""
    chosen = lists.parse_category(category)
    today = local_date(utcnow())

    def tag_of(number: int, edition_hash: str | None) -> str:
        etag = list_etag(request, number, edition_hash, code, "page", chosen, edition, since_edition)
        if day_in_tag:  # the print view shows the date it was printed: a new day is a new page
            etag = etag.removesuffix('"') + f'-{today.isoformat()}"'
        return etag

    # The current list's page shows the burden profile, which joint assessments change without a new edition.
    extra = joint_token if edition is None else None
    early = not_modified_early(request, db, code, edition, tag_of, extra)
    if early is not None:
        return early
    with db.read() as session:
        found = lists.region_list(session, code, edition)
        more = extra(session) if extra is not None else None
    etag = with_extra(tag_of(found.edition, found.edition_hash), more)  # found.region["code"] is code

    def context() -> dict:
        with db.read() as session:
            ancestors, children = _breadcrumbs(session, code)
            burden = region_burden(session, code) if edition is None else None
            changes = None
            if since_edition is not None:
                changes = lists.changes_between(lists.region_list(session, code, since_edition), found)
        shown = lists.of_category(found, chosen).duties
        return {
            "region": found.region,
            "edition": found.edition,
            "edition_hash": found.edition_hash,
            "as_of": edition,
            "since": since_edition,
            "changes": changes,
            "burden": burden,
            "category": chosen,
            "groups": _grouped(shown),
            "counts": [(c, len(items)) for c, items in _grouped(found.duties)],
            "total": len(shown),
            "ancestors": ancestors,
            "children": children,
            "categories": list(Category),
            "breadcrumb_items": [(r.name, f"/regions/{r.code}") for r in ancestors],
            "today": today,
        }

    return _page(request, template, context, etag)


# Rendered anonymous pages, least recently used first out once they hold more than this many bytes
# (a village page is 100–300 KB: a few hundred pages per worker).
HTML_CACHE_BYTES = 24 * 1024 * 1024
_html_cache: ByteBudgetCache[bytes] = ByteBudgetCache(HTML_CACHE_BYTES)


def _page(request: Request, template: str, context: Callable[[], dict], etag: str) -> Response | Template:
    """Answer 304 when the client has this edition; anonymous pages are rendered once per (page, edition, language)
    and served from memory after that without building their context again."""
    headers = cache_headers(request, etag)
    if not_modified(request, etag):
        return not_modified_response(headers)
    if current_principal(request) is not None or request.scope.get("session"):
        page = render(request, template, **context())
        page.headers.update(headers)
        return page
    # The query is in the key: links on the page (language switch, filters) carry it.
    key = (str(request.app.state.get("settings").database_url), template, request.url.path, request.url.query, etag)
    body = _html_cache.get(key)
    if body is None:
        page = render(request, template, **context())
        engine = request.app.template_engine
        body = engine.get_template(template).render(**page.create_template_context(request)).encode("utf-8")
        _html_cache.put(key, body, len(body) + 512)  # the key's strings and the entry's bookkeeping
    return Response(content=body, media_type="text/html", headers=headers)


@get("/regions/{code:str}", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="region_list")
def region_page(request: Request, db: Database, code: str, category: str | None = None, as_of: Edition = None,
                since: Edition = None) -> Response | Template:
    """The official list, grouped by category, with the edition stamp and links down the region tree."""
    return _region_page(request, db, code, "catalog/region.html", category, as_of, since)


@get("/regions/{code:str}/print", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_print(request: Request, db: Database, code: str, as_of: Edition = None) -> Response | Template:
    """The list for printing on A4: edition, date and the full edition hash."""
    return _region_page(request, db, code, "catalog/print.html", None, as_of, None, day_in_tag=True)


def _export(request: Request, db: Database, code: str, fmt: str, edition: int | None) -> Response:
    """The list as a download; the same bytes as `registry export`."""

    today = local_date(utcnow())

    def tag_of(number: int, edition_hash: str | None) -> str:  # the workbook's stamp names the day it was drawn
        return list_etag(request, number, edition_hash, code, "export", fmt, edition, today if fmt == "xlsx" else "")

    early = not_modified_early(request, db, code, edition, tag_of)
    if early is not None:
        return early
    with db.read() as session:
        found = lists.region_list(session, code, edition)
        names = export.region_path(session, code)
    etag = tag_of(found.edition, found.edition_hash)
    headers = cache_headers(request, etag)
    if not_modified(request, etag):
        return not_modified_response(headers)
    headers["Content-Disposition"] = attachment(*export.filename(names, code, found.edition, fmt))
    body = export.render(found, fmt, export.stamp_of(found, names, today))
    return Response(content=body, media_type=export.MEDIA_TYPES[fmt], headers=headers)


@get("/regions/{code:str}/export.csv", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_export_csv(request: Request, db: Database, code: str, as_of: Edition = None) -> Response:
    """CSV, UTF-8 with BOM."""
    return _export(request, db, code, "csv", as_of)


@get("/regions/{code:str}/export.xlsx", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_export_xlsx(request: Request, db: Database, code: str, as_of: Edition = None) -> Response:
    """An Excel workbook; the second sheet names the edition and its hash."""
    return _export(request, db, code, "xlsx", as_of)


@get("/regions/{code:str}/export.json", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_export_json(request: Request, db: Database, code: str, as_of: Edition = None) -> Response:
    """The API's duties document."""
    return _export(request, db, code, "json", as_of)


@get("/duties", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="duty_search")
def duty_search(request: Request, db: Database, q: str | None = None, category: str | None = None,
                department: str | None = None, status: str | None = None, page: PageNumber = 1,
                region: str | None = None) -> Template:
    """Search the catalog (registry.catalog.search: every field an item names, best first), with filters and
    pages; each result says where it applies and, with `region`, whether it is on that village's list."""
    chosen_status = lists.parse_status(status)
    chosen_region = search.parse_region(region)
    with db.read() as session:
        found = search.search_duties(
            session, q=(q or "")[:200], category=lists.parse_category(category), department=department or None,
            status=chosen_status, page=page, per_page=20, region=chosen_region, reach=search.Reach.ALL,
            order=search.Order.RELEVANCE)
        index = region_index(session)
        chosen = find_region(index, chosen_region) if chosen_region else None
        departments = departments_to_filter_by(session, index, chosen, department)
        list_region = region_public(chosen, index) if chosen else None
        every = picker.lists_every_village(index)
        towns = search.villages_by_town(index) if every else []
        drill = None if every else picker.drill_down(index, chosen)
    return render(request, "catalog/search.html", items=found.items, total=found.total, page=page, per_page=20,
                  q=(q or "").strip(), category=category or "", department=department or "", status=chosen_status,
                  departments=departments, categories=list(Category),
                  statuses=[(s.value, _(s.label)) for s in DutyStatus],
                  list_region=list_region, towns=towns, drill=drill)


def region_text(code: str | None, names: dict[str, str]) -> str:
    """A region by name, the code secondary: `桐庐县（330122000000）`; the bare code when the name is unknown."""
    if not code:
        return ""
    return _("%(name)s (%(code)s)", name=names[code], code=code) if code in names else code


def field_rows(duty: DutyPublic, names: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(label, text, long) for every content field of a version, in reading order; *names*: region names by code."""
    funding = duty.funding
    rows = [
        (_("Title"), duty.title or "", False),
        (_("Description"), duty.description or "", True),
        (_("Category"), label_of(Category, duty.category), False),
        (_("Applies to"), label_of(AppliesTo, duty.applies_to), False),
        (_("Scope"), region_text(duty.scope_code, names), False),
        (_("Responsible department"), duty.department.name, False),
        (_("Co-operating departments"), export.joiner().join(d.name for d in duty.co_departments), False),
        (_("Legal basis"), duty.legal_basis or "", True),
        (_("Frequency"), label_of(Frequency, duty.frequency), False),
        (_("Hours per month"), str(duty.hours_per_month), False),
        (_("Funding provided"), _("Yes") if funding.provided else _("No"), False),
        (_("Funding (yuan per year)"), str(funding.amount_yuan_per_year), False),
        (_("Funding source"), funding.source, False),
    ]
    rows += [(_(TotalsField(name).label), export.joiner().join(getattr(duty.burdens, name)), False)
             for name in BURDEN_LISTS]
    rows += [
        (_("Meetings per year"), str(duty.burdens.meetings_per_year), False),
        (_("Status"), label_of(DutyStatus, duty.status), False),
        (_("Effective from"), duty.effective_from or "", False),
        (_("Review by"), duty.review_by or "", False),
        (_("End date"), duty.ends_on or "", False),
    ]
    return rows


def _diff(old: DutyPublic, new: DutyPublic, names: dict[str, str]) -> list[dict]:
    rows = []
    for (name, before, long), (_label2, after, _long2) in zip(field_rows(old, names), field_rows(new, names),
                                                              strict=True):
        rows.append({"label": name, "changed": before != after, "before": before, "after": after,
                     "segments": lists.text_diff(before, after) if long and before != after else None})
    return rows


@get("/duties/{code:str}", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="duty_detail")
def duty_page(request: Request, db: Database, code: str, to: VersionNumber = None,
              from_version: Annotated[int | None, Parameter(query="from", ge=1, le=10**9)] = None) -> Template:
    """A duty: its current content, every version with the request and decision that made it, and a diff."""
    with db.read() as session:
        duty = lists.duty_history(session, code)
        index = region_index(session)
        names = {v.scope_code: r.name for v in duty.versions if v.scope_code and (r := index.get(v.scope_code))}
    versions: list[VersionPublic] = duty.versions
    last = len(versions)
    left = _version_number(from_version, max(1, last - 1), last)
    right = _version_number(to, last, last)
    diff = _diff(versions[left - 1], versions[right - 1], names) if last > 1 and left != right else None
    return render(request, "catalog/duty.html", duty=duty, versions=list(reversed(versions)),
                  fields=field_rows(duty, names),
                  diff=diff, diff_from=left, diff_to=right,
                  breadcrumb_items=[(_("Duty catalogue"), "/duties"), (f"{duty.code} {duty.title}", None)])


def _version_number(value: int | None, default: int, last: int) -> int:
    """A version number of this duty (BadRequest beyond its last version)."""
    if value is None:
        return default
    if value > last:
        raise BadRequest(N_("The parameter %(name)s must be between %(minimum)s and %(maximum)s."),
                         name="from/to", minimum=1, maximum=last)
    return value


@get("/feed.atom", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def catalog_feed(db: Database, settings: Settings) -> Response:
    """An Atom feed of the newest catalog changes (at most 50); its links start with REGISTRY_PUBLIC_URL."""
    with db.read() as session:
        entries = lists.recent_catalog_entries(session)
    base = settings.public_url  # never the request's Host: a forged Host must not reach readers' feeds
    kinds = {LEDGER_KIND_FOR_CHANGE[change]: change.label for change in ChangeKind}
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{i18n.current_language()}">',
        f"<title>{escape(_('Changes to the duty catalogue'))}</title>",
        f"<id>{escape(base)}/feed.atom</id>",
        f'<link rel="self" href="{escape(base)}/feed.atom"/>',
        f'<link href="{escape(base)}/ledger"/>',
        f"<updated>{escape(entries[0].recorded_at if entries else '1970-01-01T00:00:00.000000Z')}</updated>",
    ]
    for entry in entries:
        if entry.kind not in CATALOG_KINDS:
            continue
        duty = json.loads(entry.payload).get("duty", {})
        title = f"{_(kinds[entry.kind])} {duty.get('code', '')} {duty.get('title', '')}"
        link = f"{base}/duties/{duty.get('code', '')}"
        summary = _("Edition %(seq)s · hash %(hash)s", seq=entry.seq, hash=entry.hash)
        parts += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f"<id>{escape(base)}/ledger/{entry.seq}</id>",
            f'<link href="{escape(link, {chr(34): "&quot;"})}"/>',
            f"<updated>{escape(entry.recorded_at)}</updated>",
            f"<author><name>{escape(str(duty.get('department', {}).get('name', '')))}</name></author>",
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    parts.append("</feed>")
    return Response(content="\n".join(parts).encode("utf-8"), media_type="application/atom+xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=60"})


routes = [region_page, region_print, region_export_csv, region_export_xlsx, region_export_json,
          duty_search, duty_page, catalog_feed]
