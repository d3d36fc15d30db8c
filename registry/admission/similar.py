"""The catalog as the similarity check reads it, prepared once per edition.

`checks._similar_flags` compared a request with every active version, loading each as an ORM object
(JSON columns parsed) and normalising and splitting both texts into bigrams on every save, submit and
decision. Here the active versions of an edition are read once as plain columns, their normalised
titles, description lengths and bigram sets kept, and the scores are the same as `checks.similarity`.
Cached per (database, edition number, edition hash), a few editions at most; the prepared texts are also
kept by text across editions (byte-bounded), so a new edition prepares only its new version.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from registry.bytecache import ByteBudgetCache
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import current_edition
from registry.choices import DutyStatus

EDITIONS_KEPT = 4
# Prepared texts by (title, description), kept across editions; about 24 bytes a character for the
# normalised text and the bigram sets, plus the tuple and set headers.
FEATURES_BYTES = 16 * 1024 * 1024
FEATURE_OVERHEAD_BYTES = 1024
_features: ByteBudgetCache[tuple] = ByteBudgetCache(FEATURES_BYTES)


@dataclass(frozen=True)
class Candidate:
    """One active duty with the features the similarity score needs."""

    code: str
    category: str
    title: str
    title_key: str
    title_bigrams: frozenset[str]
    description_length: int
    description_bigrams: frozenset[str]


_lock = threading.Lock()
_cache: "OrderedDict[tuple, list[Candidate]]" = OrderedDict()


def candidates(session: Session) -> list[Candidate]:
    """The active versions of the session's current edition, prepared (shared and read-only)."""
    from registry.admission.checks import bigrams, normalise

    edition = current_edition(session)
    key = (str(session.get_bind().url), edition.number, edition.hash)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    in_force = or_(col(DutyVersion.to_edition).is_(None), col(DutyVersion.to_edition) > edition.number)
    rows = session.exec(
        select(Duty.code, DutyVersion.category, DutyVersion.title, DutyVersion.description)
        .join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(col(DutyVersion.from_edition) <= edition.number, in_force, DutyVersion.status == DutyStatus.ACTIVE)
    ).all()
    found = []
    for code, category, title, description in rows:
        features = _features.get((title, description))
        if features is None:  # a version's text never changes: most of an edition was prepared for the last one
            features = (normalise(title), bigrams(title), len(normalise(description)), bigrams(description))
            _features.put((title, description), features,
                          FEATURE_OVERHEAD_BYTES + 24 * (len(title or "") + len(description or "")))
        found.append(Candidate(code, category or "", title or "", *features))
    with _lock:
        _cache[key] = found
        while len(_cache) > EDITIONS_KEPT:
            _cache.popitem(last=False)
    return found


def score(title_key: str, title_bigrams: frozenset[str], description_length: int,
          description_bigrams: frozenset[str], other: Candidate) -> float:
    """`checks.similarity` of a request (prepared the same way) and a candidate."""
    from registry.admission.checks import DESCRIPTION_THRESHOLD, MIN_DESCRIPTION_CHARS, TITLE_THRESHOLD, dice

    if title_key and title_key == other.title_key:
        return 1.0
    by_title = dice(title_bigrams, other.title_bigrams)
    if by_title >= TITLE_THRESHOLD:
        return by_title
    if min(description_length, other.description_length) >= MIN_DESCRIPTION_CHARS:
        by_description = dice(description_bigrams, other.description_bigrams)
        if by_description >= DESCRIPTION_THRESHOLD:
            return by_description
    return 0.0
