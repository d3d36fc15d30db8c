"""The public ledger, newest first, each entry described in words; one entry in full."""

import json

from litestar import Request, get
from litestar.response import Template

from registry.choices import DECISION_LABELS, N_
from registry.db import Database
from registry.errors import NotFound
from registry.ledger import chain
from registry.timeutil import parse_ledger_timestamp
from registry.web.guards import public_page
from registry.web.i18n import format_moment
from registry.web.i18n import gettext as _
from registry.web.pages import render
from registry.web.params import whole_number

PER_PAGE = 50


def _decision_text(decision: object) -> str:
    if isinstance(decision, dict):
        value = decision.get("decision")
        label = DECISION_LABELS.get(value)  # type: ignore[call-overload]
        text = _(label) if label else str(value or "")
        stage = decision.get("stage")
        return f"{text} ({stage})" if stage and isinstance(stage, str) else text
    return "" if decision is None else str(decision)


def describe(entry: dict) -> str:
    """One sentence saying what an entry records, in the reader's language."""
    payload = entry["payload"] if isinstance(entry["payload"], dict) else {}
    kind = entry["kind"]
    duty = payload.get("duty") if isinstance(payload.get("duty"), dict) else {}
    request = payload.get("request") if isinstance(payload.get("request"), dict) else {}
    number = payload.get("request_number") or request.get("number") or ""
    if kind == "duty.added":
        text = _("Added duty %(code)s %(title)s", code=duty.get("code", ""), title=duty.get("title", ""))
    elif kind == "duty.amended":
        text = _("Amended duty %(code)s %(title)s (version %(version)s)", code=duty.get("code", ""),
                 title=duty.get("title", ""), version=duty.get("version", ""))
    elif kind == "duty.retired":
        text = _("Retired duty %(code)s %(title)s", code=duty.get("code", ""), title=duty.get("title", ""))
    elif kind == "request.decided":
        text = _("Review decision on request %(number)s: %(decision)s", number=number or "",
                 decision=_decision_text(payload.get("decision")))
        return text
    elif kind == "budget.changed":
        return _("Budget caps changed")
    else:
        return kind
    if number:
        text += " · " + _("by request %(number)s", number=number)
    return text


def _shaped(entry) -> dict:  # type: ignore[no-untyped-def]
    public = chain.entry_public(entry)
    public["description"] = describe(public)
    public["local_time"] = format_moment(parse_ledger_timestamp(public["recorded_at"]))
    return public


@get("/ledger", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="ledger")
def ledger_page(request: Request, db: Database, page: str | None = None) -> Template:
    """Every entry, newest first, PER_PAGE a page."""
    with db.read() as session:
        top = chain.head(session)
        pages = max(1, -(-top.seq // PER_PAGE))
        number = whole_number(page, "page", 1, 1, pages)
        newest = top.seq - (number - 1) * PER_PAGE
        oldest = max(0, newest - PER_PAGE)
        entries = [_shaped(e) for e in reversed(chain.entries_after(session, oldest, newest - oldest))]
    return render(request, "ledger/index.html", entries=entries, head=top, page=number, per_page=PER_PAGE,
                  total=top.seq)


MAX_SEQ = 2**63 - 1  # the column is a signed 64-bit integer


@get("/ledger/{seq:int}", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="ledger_entry")
def ledger_entry_page(request: Request, db: Database, seq: int) -> Template:
    """One entry with its payload and hashes, to check by hand."""
    with db.read() as session:
        found = chain.entries_after(session, seq - 1, 1) if 1 <= seq <= MAX_SEQ else []
    if not found or found[0].seq != seq:
        raise NotFound(N_("No ledger entry has the number %(seq)s."), seq=seq)
    entry = _shaped(found[0])
    pretty = json.dumps(entry["payload"], ensure_ascii=False, indent=2, sort_keys=True)
    return render(request, "ledger/entry.html", entry=entry, pretty=pretty,
                  breadcrumb_items=[(_("Public ledger"), "/ledger"), (_("Entry %(seq)s", seq=seq), None)])


routes = [ledger_page, ledger_entry_page]
