"""Automatic checks of a request (contract §2 flags), recomputed at every save, submit and decision.

Flags are stored as `{kind, params, duty_code?}`; FLAG_MESSAGES holds their msgids, translated when shown
(registry.admission.api.flag_public).
Similarity: Dice coefficient over the sets of character bigrams of NFKC-normalised text (punctuation
and spaces dropped, Latin case-folded). A title at or above TITLE_THRESHOLD, or a description at or above
DESCRIPTION_THRESHOLD, counts as "like"; an equal normalised title always counts.
"""

import unicodedata
from datetime import date

from sqlmodel import Session, col, select

from registry.admission import similar
from registry.admission.calendar import is_late
from registry.admission.models import AdmissionRequest, RequestOffset
from registry.burden.impact import Impact, ProposedChange, request_impact, shape_of
from registry.catalog.models import Duty
from registry.catalog.services import current_version
from registry.choices import N_, NOT_PERFORMED, Category, DutyStatus, FlagKind, RequestKind
from registry.timeutil import local_date, utcnow

TITLE_THRESHOLD = 0.6
DESCRIPTION_THRESHOLD = 0.7
MIN_DESCRIPTION_CHARS = 8
MAX_SIMILAR_FLAGS = 3

FLAG_MESSAGES = {
    FlagKind.NEGATIVE_LIST: N_("Similar to the negative-list item %(code)s “%(title)s” (similarity %(score)s%%)."),
    FlagKind.DUPLICATE: N_("Similar to the duty in force %(code)s “%(title)s” (similarity %(score)s%%)."),
    FlagKind.NO_FUNDING: N_("A duty assisting the government without funding (费随事转)."),
    FlagKind.NO_LEGAL_BASIS: N_("No legal basis is given."),
    FlagKind.LATE_FILING: N_("The start date %(start)s is less than 30 working days after filing (%(filed)s)."),
    FlagKind.OVER_BUDGET: N_("After approval, %(n)s village(s) would be above a budget cap (e.g. %(field)s)."),
}


def normalise(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def bigrams(text: str | None) -> frozenset[str]:
    clean = normalise(text)
    if len(clean) == 1:
        return frozenset({clean})
    return frozenset(clean[i:i + 2] for i in range(len(clean) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def similarity(title: str | None, description: str | None,
               other_title: str | None, other_description: str | None) -> float:
    """How alike two items are (0–1); 1.0 for equal normalised titles; 0 when below both thresholds."""
    if normalise(title) and normalise(title) == normalise(other_title):
        return 1.0
    by_title = dice(bigrams(title), bigrams(other_title))
    if by_title >= TITLE_THRESHOLD:
        return by_title
    long_enough = min(len(normalise(description)), len(normalise(other_description))) >= MIN_DESCRIPTION_CHARS
    if long_enough:
        by_description = dice(bigrams(description), bigrams(other_description))
        if by_description >= DESCRIPTION_THRESHOLD:
            return by_description
    return 0.0


def _similar_flags(req: AdmissionRequest, catalog: list[similar.Candidate], own_code: str | None) -> list[dict]:
    found: dict[str, list[tuple[float, str, str]]] = {FlagKind.NEGATIVE_LIST: [], FlagKind.DUPLICATE: []}
    if not normalise(req.title) and not normalise(req.description):
        return []
    prepared = (normalise(req.title), bigrams(req.title), len(normalise(req.description)), bigrams(req.description))
    for candidate in catalog:
        if candidate.code == own_code:
            continue
        score = similar.score(*prepared, candidate)
        if not score:
            continue
        kind = FlagKind.NEGATIVE_LIST if candidate.category in NOT_PERFORMED else FlagKind.DUPLICATE
        found[kind].append((score, candidate.code, candidate.title))
    flags = []
    for kind, matches in found.items():
        for score, code, title in sorted(matches, key=lambda m: (-m[0], m[1]))[:MAX_SIMILAR_FLAGS]:
            flags.append({"kind": str(kind), "duty_code": code, "params": {"code": code, "title": title,
                                                                           "score": round(score * 100)}})
    return flags


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
    if req.kind != RequestKind.RETIRE:
        flags += _similar_flags(req, similar.candidates(session), own.code if own else None)
        if req.category == Category.ASSISTING and not req.funding_provided:
            flags.append({"kind": str(FlagKind.NO_FUNDING), "params": {}})
        if req.category in (Category.SELF_GOVERNANCE, Category.ASSISTING) and not (req.legal_basis or "").strip():
            flags.append({"kind": str(FlagKind.NO_LEGAL_BASIS), "params": {}})
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
    if impact.exceeded:
        first = impact.exceeded[0]
        villages = len({e.village_code for e in impact.exceeded})
        flags.append({"kind": str(FlagKind.OVER_BUDGET), "params": {"n": villages, "field": first.field}})
    return flags, impact


def flag_kinds(flags: list[dict]) -> set[str]:
    return {f.get("kind", "") for f in flags}
