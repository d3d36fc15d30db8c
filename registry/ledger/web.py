"""The public ledger, newest first, each entry described in words; one entry in full."""

import json
from typing import Annotated

import msgspec
from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Template

from registry.choices import N_, DecisionKind, LedgerKind
from registry.db import Database
from registry.errors import BadRequest, NotFound
from registry.i18n import gettext as _
from registry.i18n import label_of
from registry.ledger import chain
from registry.ledger.api import MAX_SEQ
from registry.web.guards import public_page
from registry.web.pages import render

PER_PAGE = 50


def _decision_text(payload: dict) -> str:
    """The decision's label, and who decided it (the department's name, never a person)."""
    decision = payload.get("decision")
    if isinstance(decision, dict):  # an older shape: {decision, stage}
        payload, decision = {**payload, **decision}, decision.get("decision")
    if decision is None:
        return ""
    text = label_of(DecisionKind, decision)
    department = payload.get("department")
    name = department.get("name") if isinstance(department, dict) else None
    return _("%(decision)s (%(who)s)", decision=text, who=name) if isinstance(name, str) and name else text


def describe(entry: dict) -> str:
    """One sentence saying what an entry records, in the reader's language."""
    payload = entry["payload"] if isinstance(entry["payload"], dict) else {}
    kind = entry["kind"]
    duty = payload.get("duty") if isinstance(payload.get("duty"), dict) else {}
    request = payload.get("request") if isinstance(payload.get("request"), dict) else {}
    number = payload.get("request_number") or request.get("number") or ""
    if kind == LedgerKind.DUTY_ADDED:
        text = _("Added duty %(code)s %(title)s", code=duty.get("code", ""), title=duty.get("title", ""))
    elif kind == LedgerKind.DUTY_AMENDED:
        text = _("Amended duty %(code)s %(title)s (version %(version)s)", code=duty.get("code", ""),
                 title=duty.get("title", ""), version=duty.get("version", ""))
    elif kind == LedgerKind.DUTY_RETIRED:
        text = _("Retired duty %(code)s %(title)s", code=duty.get("code", ""), title=duty.get("title", ""))
    elif kind == LedgerKind.REQUEST_DECIDED:
        text = _("Review decision on request %(number)s: %(decision)s", number=number or "",
                 decision=_decision_text(payload))
        return text
    elif kind == LedgerKind.BUDGET_CHANGED:
        return _("Budget caps changed")
    elif kind == LedgerKind.STAGES_CHANGED:
        stages = payload.get("stages") if isinstance(payload.get("stages"), list) else []
        order = " → ".join(str(s.get("name", "")) for s in stages if isinstance(s, dict))
        return _("Review stages changed: %(order)s", order=order)
    elif kind == LedgerKind.ASSESSMENTS_JOINED:
        members = payload.get("members") if isinstance(payload.get("members"), list) else []
        return _("Joint assessment %(title)s: %(members)s", title=payload.get("title", ""),
                 members=_("; ").join(str(m) for m in members))
    else:
        return label_of(LedgerKind, kind)
    if number:
        text += " · " + _("by request %(number)s", number=number)
    return text


def _shaped(entry) -> dict:  # type: ignore[no-untyped-def]
    """An ENTRY with the sentence that describes it (pages only)."""
    public = msgspec.structs.asdict(chain.entry_public(entry))
    public["description"] = describe(public)
    return public


@get("/ledger", opt=public_page(), sync_to_thread=True, include_in_schema=False, name="ledger")
def ledger_page(request: Request, db: Database,
                page: Annotated[int, Parameter(ge=1, le=MAX_SEQ)] = 1) -> Template:
    """Every entry, newest first, PER_PAGE a page."""
    with db.read() as session:
        top = chain.head(session)
        pages = max(1, -(-top.seq // PER_PAGE))
        if page > pages:
            raise BadRequest(N_("The parameter %(name)s must be between %(minimum)s and %(maximum)s."),
                             name="page", minimum=1, maximum=pages)
        number = page
        newest = top.seq - (number - 1) * PER_PAGE
        oldest = max(0, newest - PER_PAGE)
        entries = [_shaped(e) for e in reversed(chain.entries_after(session, oldest, newest - oldest))]
    return render(request, "ledger/index.html", entries=entries, head=top, page=number, per_page=PER_PAGE,
                  total=top.seq)



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
