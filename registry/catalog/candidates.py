"""The active catalog prepared for the similarity checks (registry.admission.checks), once per edition.

Profiling an item's text (segmenting words, folding synonyms) is the costly part of comparing a request with
the catalog; every save, submit and decision compares with all active items. The profiles are therefore kept
per catalog edition and database, and a new edition reuses the profiles of every text it still holds (a profile
depends on the text alone), so an approval re-profiles only the item it changed.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from registry.catalog.models import Duty, DutyVersion
from registry.catalog.services import current_edition
from registry.catalog.similarity import Corpus, Profile, corpus_of, profile
from registry.choices import NOT_PERFORMED, DutyStatus

KEPT = 32  # (edition, county) pairs: the counties with requests under way now, and the edition before
RANKINGS_KEPT = 256  # per edition: the texts of the requests under way


@dataclass(frozen=True)
class Candidate:
    code: str
    title: str | None
    negative: bool  # a negative-list item (a category the villages do not perform)


@dataclass(frozen=True)
class PreparedCatalog:
    """The active items of one edition with their profiles and corpus (shared: treat as read-only)."""

    candidates: dict[str, Candidate]
    profiles: list[tuple[str, Profile, bool]]
    corpus: Corpus
    by_text: dict[tuple[str | None, str | None], Profile]
    _ranked: "OrderedDict[tuple, list[tuple[float, str]]]" = field(default_factory=OrderedDict)

    def ranked_once(self, key: tuple, compute: Callable[[], list[tuple[float, str]]]) -> list[tuple[float, str]]:
        """The ranking of one text against this edition, computed once: a request is checked at its save,
        submit and every decision, mostly within one edition. *key* must hold everything *compute* reads."""
        with _lock:
            found = self._ranked.get(key)
        if found is None:
            found = compute()
            with _lock:
                self._ranked[key] = found
                while len(self._ranked) > RANKINGS_KEPT:
                    self._ranked.popitem(last=False)
        return list(found)


_prepared: "OrderedDict[tuple, PreparedCatalog]" = OrderedDict()
_lock = threading.Lock()
_text_profile = profile.__wrapped__  # uncached: thousands of items would only evict the small cache's entries


def prepared_catalog(session: Session, owner: int | None = None, scopes: set[int] | None = None) -> PreparedCatalog:
    """The current edition's active items, prepared (one plain-row query and no profiling when kept); with
    *scopes*, only the items scoped there (the part of the catalog that region *owner* sees)."""
    edition = current_edition(session)
    database = str(session.get_bind().url)
    key = (database, edition.number, edition.hash, owner)
    with _lock:
        found = _prepared.get(key)
        if found is not None:
            _prepared.move_to_end(key)
            return found
        known: dict[tuple[str | None, str | None], Profile] = {}
        for kept in _prepared.values():
            known.update(kept.by_text)
    statement = (
        select(Duty.code, DutyVersion.title, DutyVersion.description, DutyVersion.category)
        .join(DutyVersion, col(DutyVersion.duty_id) == col(Duty.id))
        .where(col(DutyVersion.to_edition).is_(None), DutyVersion.status == DutyStatus.ACTIVE)
        .order_by(col(Duty.code))
    )
    if scopes is not None:  # in the database: a national catalog holds hundreds of thousands of items
        statement = statement.where(col(DutyVersion.scope_region_id).in_(sorted(scopes)))
    rows = session.exec(statement).all()
    candidates, profiles, by_text = {}, [], {}
    for code, title, description, category in rows:
        made = known.get((title, description)) or _text_profile(title, description)
        negative = category in NOT_PERFORMED
        candidates[code] = Candidate(code, title, negative)
        profiles.append((code, made, negative))
        by_text[(title, description)] = made
    prepared = PreparedCatalog(candidates, profiles, corpus_of(profiles), by_text)
    with _lock:
        _prepared[key] = prepared
        while len(_prepared) > KEPT:
            _prepared.popitem(last=False)
    return prepared
