"""Catalog pages: a region's official list (with print view and downloads), search, a duty's history,
and the Atom feed of catalog changes. Public, Chinese by default, cacheable when anonymous."""

import json
from collections.abc import Callable
from xml.sax.saxutils import escape

from litestar import Request, Response, get
from litestar.response import Template

from registry.burden.services import region_burden
from registry.bytecache import ByteBudgetCache
from registry.catalog import export, lists
from registry.catalog.api import catalog_number, list_etag
from registry.catalog.conditional import not_modified_early
from registry.choices import (
    APPLIES_TO_LABELS,
    BURDEN_LISTS,
    CATALOG_KINDS,
    CATEGORY_LABELS,
    DUTY_STATUS_LABELS,
    FREQUENCY_LABELS,
    N_,
    TOTALS_LABELS,
    Category,
    DutyStatus,
)
from registry.db import Database
from registry.regions.services import departments_by_code, find_region, region_index
from registry.timeutil import local_date, parse_ledger_timestamp, utcnow
from registry.web import i18n
from registry.web.auth import current_principal
from registry.web.etags import cache_headers, not_modified, not_modified_response
from registry.web.guards import public_page
from registry.web.i18n import gettext as _
from registry.web.i18n import label
from registry.web.pages import render

CHANGE_LABELS = {"added": N_("Added"), "amended": N_("Amended"), "retired": N_("Retired"), "removed": N_("Removed")}


def _breadcrumbs(session, code: str) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    """(ancestors county-first, children) of a region."""
    index = region_index(session)
    region = find_region(index, code)
    return list(reversed(index.ancestors(region))), index.children_of(region)


def _grouped(duties: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {c.value: [] for c in Category}
    for duty in duties:
        groups.setdefault(duty["category"], []).append(duty)
    return [(category, items) for category, items in groups.items() if items]


def _region_page(request: Request, db: Database, code: str, template: str, category: str | None,
                 as_of: str | None, since: str | None, day_in_tag: bool = False) -> Response | Template:
    """A region's list page. The tag needs only the (cached) list; the rest of the page is built on a miss."""
    chosen = lists.parse_category(category)
    edition = catalog_number(as_of, "as_of", None)
    since_edition = catalog_number(since, "since", None)
    today = local_date(utcnow())

    def tag_of(number: int, edition_hash: str | None) -> str:
        etag = list_etag(request, number, edition_hash, code, "page", chosen, edition, since_edition)
        if day_in_tag:  # the print view shows the date it was printed: a new day is a new page
            etag = etag.removesuffix('"') + f'-{today.isoformat()}"'
        return etag

    early = not_modified_early(request, db, code, edition, tag_of)
    if early is not None:
        return early
    with db.read() as session:
        found = lists.region_list(session, code, edition)
    etag = tag_of(found.edition, found.edition_hash)  # found.region["code"] is code

    def context() -> dict:
        with db.read() as session:
            ancestors, children = _breadcrumbs(session, code)
            burden = region_burden(session, code) if edition is None else None
            changes = None
            if since_edition is not None:
                changes = lists.changes_between(lists.region_list(session, code, since_edition), found)
        document = found.document(chosen)
        return {
            "region": found.region,
            "edition": found.edition,
            "edition_hash": found.edition_hash,
            "as_of": edition,
            "since": since_edition,
            "changes": changes,
            "burden": burden,
            "category": chosen,
            "groups": _grouped(document["duties"]),
            "counts": [(c, len(items)) for c, items in _grouped(found.duties)],
            "total": len(document["duties"]),
            "ancestors": ancestors,
            "children": children,
            "categories": [c.value for c in Category],
            "breadcrumb_items": [(r.name, f"/regions/{r.code}") for r in ancestors],
            "today": today,
        }

    return _page(request, template, context, etag)


# Rendered anonymous pages, least recently used first out once they hold more than this many bytes
# (a village page is 100–300 KB: a few hundred pages per worker).
HTML_CACHE_BYTES = 48 * 1024 * 1024
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
def region_page(request: Request, db: Database, code: str, category: str | None = None, as_of: str | None = None,
                since: str | None = None) -> Response | Template:
    """The official list, grouped by category, with the edition stamp and links down the region tree."""
    return _region_page(request, db, code, "catalog/region.html", category, as_of, since)


@get("/regions/{code:str}/print", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_print(request: Request, db: Database, code: str, as_of: str | None = None) -> Response | Template:
    """The list for printing on A4: edition, date and the full edition hash."""
    return _region_page(request, db, code, "catalog/print.html", None, as_of, None, day_in_tag=True)


def _export(request: Request, db: Database, code: str, fmt: str, as_of: str | None) -> Response:
    """The list as a download; the same bytes as `registry export`."""
    edition = catalog_number(as_of, "as_of", None)

    def tag_of(number: int, edition_hash: str | None) -> str:
        return list_etag(request, number, edition_hash, code, "export", fmt, edition)

    early = not_modified_early(request, db, code, edition, tag_of)
    if early is not None:
        return early
    with db.read() as session:
        found = lists.region_list(session, code, edition)
    etag = tag_of(found.edition, found.edition_hash)
    headers = cache_headers(request, etag)
    if not_modified(request, etag):
        return not_modified_response(headers)
    headers["Content-Disposition"] = f'attachment; filename="{export.filename(code, found.edition, fmt)}"'
    return Response(content=export.render(found.document(), fmt), media_type=export.MEDIA_TYPES[fmt], headers=headers)


@get("/regions/{code:str}/export.csv", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_export_csv(request: Request, db: Database, code: str, as_of: str | None = None) -> Response:
    """CSV, UTF-8 with BOM."""
    return _export(request, db, code, "csv", as_of)


@get("/regions/{code:str}/export.xlsx", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_export_xlsx(request: Request, db: Database, code: str, as_of: str | None = None) -> Response:
    """An Excel workbook; the second sheet names the edition and its hash."""
    return _export(request, db, code, "xlsx", as_of)


@get("/regions/{code:str}/export.json", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def region_export_json(request: Request, db: Database, code: str, as_of: str | None = None) -> Response:
    """The API's duties document."""
    return _export(request, db, code, "json", as_of)


@get("/duties", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="duty_search")
def duty_search(request: Request, db: Database, q: str | None = None, category: str | None = None,
                department: str | None = None, status: str | None = None, page: str | None = None) -> Template:
    """Search the catalog: substring of title or description, with filters and pages."""
    number = catalog_number(page, "page", 1)
    chosen_status = lists.parse_status(status)
    with db.read() as session:
        items, total = lists.search_duties(
            session, q=(q or "")[:200], category=lists.parse_category(category), department=department or None,
            status=chosen_status, page=number, per_page=20)  # type: ignore[arg-type]
        departments = list(departments_by_code(session).values())
    return render(request, "catalog/search.html", items=items, total=total, page=number, per_page=20,
                  q=(q or "").strip(), category=category or "", department=department or "", status=chosen_status,
                  departments=departments, categories=[c.value for c in Category],
                  statuses=[(s.value, _(DUTY_STATUS_LABELS[s])) for s in DutyStatus])


def field_rows(duty: dict) -> list[tuple[str, str, bool]]:
    """(label, text, long) for every content field of a version, in reading order."""
    funding = duty["funding"]
    rows = [
        (_("Title"), duty["title"] or "", False),
        (_("Description"), duty["description"] or "", True),
        (_("Category"), label(CATEGORY_LABELS, duty["category"]), False),
        (_("Applies to"), label(APPLIES_TO_LABELS, duty["applies_to"]), False),
        (_("Scope (region code)"), duty["scope_code"] or "", False),
        (_("Responsible department"), duty["department"]["name"], False),
        (_("Co-operating departments"), export.joiner().join(d["name"] for d in duty["co_departments"]), False),
        (_("Legal basis"), duty["legal_basis"] or "", True),
        (_("Frequency"), label(FREQUENCY_LABELS, duty["frequency"]), False),
        (_("Hours per month"), str(duty["hours_per_month"]), False),
        (_("Funding provided"), _("Yes") if funding["provided"] else _("No"), False),
        (_("Funding (yuan per year)"), str(funding["amount_yuan_per_year"]), False),
        (_("Funding source"), funding["source"], False),
    ]
    rows += [(_(TOTALS_LABELS[name]), export.joiner().join(duty["burdens"][name]), False) for name in BURDEN_LISTS]
    rows += [
        (_("Meetings per year"), str(duty["burdens"]["meetings_per_year"]), False),
        (_("Status"), _(DUTY_STATUS_LABELS.get(duty["status"], duty["status"])), False),
        (_("Effective from"), duty["effective_from"] or "", False),
        (_("Review by"), duty["review_by"] or "", False),
    ]
    return rows


def _diff(old: dict, new: dict) -> list[dict]:
    rows = []
    for (name, before, long), (_label2, after, _long2) in zip(field_rows(old), field_rows(new), strict=True):
        rows.append({"label": name, "changed": before != after, "before": before, "after": after,
                     "segments": lists.text_diff(before, after) if long and before != after else None})
    return rows


@get("/duties/{code:str}", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="duty_detail")
def duty_page(request: Request, db: Database, code: str, to: str | None = None) -> Template:
    """A duty: its current content, every version with the request and decision that made it, and a diff."""
    raw_from = request.query_params.get("from")
    with db.read() as session:
        duty = lists.duty_history(session, code)
    versions = duty["versions"]
    for version in versions:
        version["recorded_at_local"] = i18n.format_moment(parse_ledger_timestamp(version["recorded_at"]))
    last = len(versions)
    left = catalog_number(raw_from, "from", max(1, last - 1), maximum=last)
    right = catalog_number(to, "to", last, maximum=last)
    diff = _diff(versions[left - 1], versions[right - 1]) if last > 1 and left != right else None  # type: ignore[operator]
    return render(request, "catalog/duty.html", duty=duty, versions=list(reversed(versions)), fields=field_rows(duty),
                  diff=diff, diff_from=left, diff_to=right, change_labels=CHANGE_LABELS,
                  breadcrumb_items=[(_("Duty catalogue"), "/duties"), (f"{duty['code']} {duty['title']}", None)])


@get("/feed.atom", opt=public_page(), sync_to_thread=True, include_in_schema=False)
def catalog_feed(request: Request, db: Database) -> Response:
    """An Atom feed of the newest catalog changes (at most 50)."""
    with db.read() as session:
        entries = lists.recent_catalog_entries(session)
    base = f"{request.url.scheme}://{request.url.netloc}"
    kinds = {"duty.added": N_("Added"), "duty.amended": N_("Amended"), "duty.retired": N_("Retired")}
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
