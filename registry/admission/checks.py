"""Automatic checks of a request (contract §2 flags), recomputed at every save, submit and decision.

Flags are stored as `{kind, params, duty_code?}`; FLAG_MESSAGES holds their msgids, translated when shown
(registry.admission.api.flag_public).
`negative_list` and `duplicate` use the one similarity measure of registry.catalog.similarity (equal
titles always count; bigrams, segmented words and the negative list's key terms), over the active catalog.
"""

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from registry.admission.calendar import is_late
from registry.admission.models import AdmissionRequest, RequestOffset
from registry.burden.impact import Impact, ProposedChange, request_impact, shape_of
from registry.catalog.candidates import prepared_catalog
from registry.catalog.models import Duty
from registry.catalog.services import current_version
from registry.catalog.similarity import THRESHOLDS, Thresholds, matches, profile, ranked
from registry.choices import ECHOING_KINDS, N_, NOT_PERFORMED, Category, DutyStatus, FlagKind, RequestKind
from registry.forms import proposals
from registry.regions import reach
from registry.regions.services import RegionIndex, region_index
from registry.timeutil import local_date, utcnow

MAX_SIMILAR_FLAGS = 3

FLAG_MESSAGES = {
    FlagKind.NEGATIVE_LIST: N_("Similar to the negative-list item %(code)s “%(title)s” (similarity %(score)s%%)."),
    FlagKind.DUPLICATE: N_("Similar to the duty in force %(code)s “%(title)s” (similarity %(score)s%%)."),
    FlagKind.NO_FUNDING: N_("A duty assisting the government without funding (费随事转)."),
    FlagKind.NO_LEGAL_BASIS: N_("No legal basis is given."),
    FlagKind.LATE_FILING: N_("The start date %(start)s is less than 30 working days after filing (%(filed)s)."),
    FlagKind.OVER_BUDGET: N_("After approval, %(n)s village(s) would be above a budget cap: %(field)s, capped at "
                             "%(cap)s per village, would be exceeded by up to %(excess)s (in %(village)s)."),
    FlagKind.DUPLICATE_INDICATOR: proposals.DUPLICATE_INDICATOR_MESSAGE,
}
# Flags stored before the over-budget flag named its cap and excess are worded as they were then.
OLD_OVER_BUDGET = N_("After approval, %(n)s village(s) would be above a budget cap (e.g. %(field)s).")


def _plain(number: int | float) -> int | float:
    """A whole number without its ".0"; others to one decimal place."""
    return int(number) if float(number).is_integer() else round(float(number), 1)


def _related_scopes(index: RegionIndex, owner_region_id: int | None) -> set[int] | None:
    """The scopes a request of this owner is compared with (None: no owner, or a one-county tree)."""
    owner = index.by_id.get(owner_region_id) if owner_region_id is not None else None
    if owner is None or index.parent(owner) is None:
        return None
    return set(reach.related_scope_ids(index, owner))


def similar_flags(title: str | None, description: str | None,
                  catalog: Sequence[tuple[str, str | None, str | None, str | None]],
                  own_code: str | None = None, limits: Thresholds = THRESHOLDS) -> list[dict]:
    """`negative_list` and `duplicate` flags of a text against catalog items (code, title, description,
    category): at most MAX_SIMILAR_FLAGS per kind, most alike first, then by code."""
    titles = {code: item_title or "" for code, item_title, _d, _c in catalog}
    negative = {code for code, _t, _d, category in catalog if category in NOT_PERFORMED}
    items = [(code, t, d, code in negative) for code, t, d, _c in catalog]  # the corpus: the catalog as it is
    alike = [(score, code) for score, code in matches(title, description, items, limits) if code != own_code]
    return _flags_of(alike, titles, negative)


def _flags_of(alike: list[tuple[float, str]], titles: dict[str, str], negative: set[str]) -> list[dict]:
    flags: list[dict] = []
    for kind in (FlagKind.NEGATIVE_LIST, FlagKind.DUPLICATE):
        found = [(score, code) for score, code in alike if (code in negative) == (kind == FlagKind.NEGATIVE_LIST)]
        flags += [{"kind": str(kind), "duty_code": code,
                   "params": {"code": code, "title": titles[code], "score": round(score * 100)}}
                  for score, code in found[:MAX_SIMILAR_FLAGS]]
    return flags


def _similar_flags(session: Session, req: AdmissionRequest, own_code: str | None) -> list[dict]:
    """`similar_flags` against the catalog in force that the request's county sees (contract §10: the items scoped
    at that county, below it or above it; another county's items are not its duplicates), prepared once per
    edition and county (registry.catalog.candidates)."""
    related = _related_scopes(region_index(session), req.owner_region_id)
    catalog = prepared_catalog(session, req.owner_region_id if related is not None else None, related)
    ranking = catalog.ranked_once((req.title, req.description), lambda: ranked(  # type: ignore[arg-type, return-value]
        profile(req.title, req.description), catalog.profiles, catalog.corpus))
    alike = [(score, code) for score, code in ranking if code != own_code]
    titles = {code: item.title or "" for code, item in catalog.candidates.items()}
    negative = {code for code, item in catalog.candidates.items() if item.negative}
    return _flags_of(alike, titles, negative)  # type: ignore[arg-type]


def proposed_change(session: Session, req: AdmissionRequest) -> ProposedChange | None:
    current = current_version(session, req.duty_id)
    before = shape_of(current) if current is not None and current.status == DutyStatus.ACTIVE else None
    after = None if req.kind == RequestKind.RETIRE else shape_of(req)
    if req.kind != RequestKind.RETIRE and after is None:
        return None
    if req.kind != RequestKind.ADD and before is None:
        return None
    return ProposedChange(before=before, after=after)


def offset_requests(session: Session, req: AdmissionRequest) -> list[AdmissionRequest]:
    if req.id is None:
        return []
    statement = (
        select(AdmissionRequest)
        .join(RequestOffset, col(RequestOffset.offset_request_id) == col(AdmissionRequest.id))
        .where(RequestOffset.request_id == req.id)
        .order_by(col(AdmissionRequest.id))
    )
    return list(session.exec(statement))


def evaluate(session: Session, req: AdmissionRequest,
             offsets: list[AdmissionRequest] | None = None) -> tuple[list[dict], Impact]:
    """The request's flags and burden impact as of now."""
    flags: list[dict] = []
    own = session.get(Duty, req.duty_id) if req.duty_id else None
    if req.kind not in ECHOING_KINDS:  # a retire or renew request proposes no new content
        flags += _similar_flags(session, req, own.code if own else None)
        if req.category == Category.ASSISTING and not req.funding_provided:
            flags.append({"kind": str(FlagKind.NO_FUNDING), "params": {}})
        if req.category in (Category.SELF_GOVERNANCE, Category.ASSISTING) and not (req.legal_basis or "").strip():
            flags.append({"kind": str(FlagKind.NO_LEGAL_BASIS), "params": {}})
        flags += proposals.flags(session, req.id)
    if req.start_date is not None:
        filed: date = local_date(req.submitted_at or utcnow())
        if is_late(session, filed, req.start_date):
            flags.append({"kind": str(FlagKind.LATE_FILING),
                          "params": {"start": req.start_date.isoformat(), "filed": filed.isoformat()}})
    impact = Impact()
    change = proposed_change(session, req)
    if change is not None:
        pending = offsets if offsets is not None else offset_requests(session, req)
        offset_changes = [c for c in (proposed_change(session, o) for o in pending) if c is not None]
        impact = request_impact(session, change, offset_changes)
    if req.kind != RequestKind.RETIRE:
        impact.forms_per_village, impact.indicators_per_village = proposals.counts(session, req.id)
    if impact.exceeded:
        # Name the cap with the largest excess, how many villages go over any cap, and where the excess is largest.
        worst = max(impact.exceeded, key=lambda e: (e.value - e.cap, e.field))
        villages = len({e.village_code for e in impact.exceeded})
        village = region_index(session).get(worst.village_code)
        excess = worst.value - worst.cap
        flags.append({"kind": str(FlagKind.OVER_BUDGET), "params": {
            "n": villages, "field": worst.field, "cap": _plain(worst.cap), "excess": _plain(excess),
            "village": village.name if village else worst.village_code}})
    return flags, impact


def flag_kinds(flags: list[dict]) -> set[str]:
    return {f.get("kind", "") for f in flags}
