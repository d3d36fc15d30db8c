"""How alike two duty texts are: ONE measure for the admission checks (`negative_list`, `duplicate`) and for
anything else that must tell whether a text names a catalog item (the reports area's `match`).

A text is profiled once (`profile`): its NFKC-normalised, case-folded letters and digits; the character
bigrams of its title and description; its content words, segmented by jieba (the `rjieba` binding) after
synonyms are folded to one form (最低生活保障 → 低保, 开具 → 出具, 微信群 → 工作群, 签到 → 打卡 …); and the
key terms it contains (KEY_TERMS: the formalism that the negative list names). The vocabulary is data, in
similarity_terms.toml.

An item counts as "like" a request (`Corpus.similarity` > 0) when any of these holds:
- equal normalised titles (always);
- the titles' bigram Dice coefficient ≥ `title`;
- the descriptions' bigram Dice ≥ `description` (both at least `min_description_chars` long);
- word overlap: the harmonic mean of (the share of the item's title words found in the request) and (the
  share of the request's title words found in the item), words weighted by their rarity in the corpus
  (IDF), ≥ `words`, and the item's rarest title word is in the request (居民婚姻状况证明 is not
  居民就业状况证明);
- containment: the request holds at least `contains` of the item's title words, and the item at least
  `contains_floor` of the request's (a request naming 无犯罪记录证明 names that certificate);
- for a negative-list item: the request's title holds one of the item's key terms that is distinctive
  (names at most `max_items_per_key_term` negative-list items; 证明 names twenty and tells none apart). Only
  the title: a description may say what is not asked (不承担执法检查职责).
Words are found by substring in the other text, so that a word segmented differently in two contexts
still counts. The `Thresholds` were set from tests/catalog/rewordings.csv
(`python -m tests.catalog.rewording_report` prints precision and recall).
"""

import math
import re
import threading
import tomllib
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Thresholds:
    """Where each rule starts to count (set from tests/catalog/rewordings.csv; see the module docstring)."""

    title: float = 0.6  # bigram Dice of the titles
    description: float = 0.7  # bigram Dice of the descriptions …
    min_description_chars: int = 8  # … when both are at least this long
    words: float = 0.5  # weighted word overlap (and the item's rarest title word present)
    contains: float = 0.9  # share of the item's title words in the request …
    contains_floor: float = 0.25  # … with at least this share of the request's title words in the item
    max_items_per_key_term: int = 2  # a key term naming more negative-list items tells none apart


THRESHOLDS = Thresholds()

# The vocabulary (key terms, synonyms, stop words, domain words) is data: similarity_terms.toml beside this file.
_TERMS = tomllib.loads((Path(__file__).with_name("similarity_terms.toml")).read_text("utf-8"))
KEY_TERMS: dict[str, tuple[str, ...]] = {concept: tuple(ways) for concept, ways in _TERMS["key_terms"].items()}
SYNONYMS: dict[str, str] = dict(_TERMS["synonyms"])
STOP_WORDS = frozenset(_TERMS["stop_words"])
DOMAIN_WORDS = tuple(_TERMS["domain_words"])

_FOLD: dict[str, str] = {**{v: c for c, vs in KEY_TERMS.items() for v in vs}, **SYNONYMS}
_FOLD_PATTERN = re.compile("|".join(re.escape(v) for v in sorted(_FOLD, key=len, reverse=True)))


_segmenter_lock = threading.Lock()
_loaded: list = []  # rjieba, once its dictionary has our words


def _segmenter():  # type: ignore[no-untyped-def]
    """rjieba's own instance (its import loads the dictionary: about a second, so only on first use), with
    DOMAIN_WORDS and the key terms added exactly once, under a lock; afterwards it is only read, by any thread."""
    if not _loaded:
        with _segmenter_lock:
            if not _loaded:
                import rjieba

                for word in sorted({*(v for vs in KEY_TERMS.values() for v in vs), *KEY_TERMS, *DOMAIN_WORDS}):
                    rjieba.add_word(word, None, None)
                _loaded.append(rjieba)
    return _loaded[0]


def normalise(text: str | None) -> str:
    """NFKC (full-width → half-width), case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def fold(text: str | None) -> str:
    """`normalise`, then every KEY_TERMS variant and synonym written in its one compared form."""
    return _FOLD_PATTERN.sub(lambda m: _FOLD[m.group(0)], normalise(text))


def segment(text: str | None) -> list[str]:
    """The words of *text* in order, as jieba cuts it (NFKC, case-folded; punctuation and spaces dropped)."""
    clean = unicodedata.normalize("NFKC", text or "").casefold()
    return [w for w in _segmenter().cut(clean) if any(ch.isalnum() for ch in w)]


def segment_for_search(text: str | None) -> list[str]:
    """`segment`, plus the shorter dictionary words inside long ones (招商引资 → 招商, 引资, 招商引资)."""
    clean = unicodedata.normalize("NFKC", text or "").casefold()
    return [w for w in _segmenter().cut_for_search(clean) if any(ch.isalnum() for ch in w)]


def content_words(text: str | None) -> frozenset[str]:
    """The words that say what *text* is about: folded, segmented, two characters or more, no stop words."""
    return frozenset(w for w in _segmenter().cut(fold(text)) if len(w) >= 2 and w not in STOP_WORDS)


def bigrams(text: str | None) -> frozenset[str]:
    clean = normalise(text)
    if len(clean) == 1:
        return frozenset({clean})
    return frozenset(clean[i:i + 2] for i in range(len(clean) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass(frozen=True)
class Profile:
    """What the measure needs of one (title, description), computed once."""

    title: str  # normalised
    folded: str  # folded title + "\n" + folded description
    title_bigrams: frozenset[str]
    description_bigrams: frozenset[str]
    description_chars: int
    title_words: frozenset[str]
    words: frozenset[str]  # title and description
    key_terms: frozenset[str]  # in the title and description (an item's own words)
    title_key_terms: frozenset[str]  # in the title alone (a request's: descriptions say what is NOT asked)


@lru_cache(maxsize=1024)
def profile(title: str | None, description: str | None) -> Profile:
    """The profile of a text (cached by content: equal texts have equal profiles)."""
    folded = fold(title) + "\n" + fold(description)
    title_words = content_words(title)
    return Profile(
        title=normalise(title),
        folded=folded,
        title_bigrams=bigrams(title),
        description_bigrams=bigrams(description),
        description_chars=len(normalise(description)),
        title_words=title_words,
        words=title_words | content_words(description),
        key_terms=frozenset(term for term in KEY_TERMS if term in folded),
        title_key_terms=frozenset(term for term in KEY_TERMS if term in fold(title)),
    )


@dataclass(frozen=True)
class Parts:
    """The measured parts of one comparison (for the report script and for ranking)."""

    equal_title: bool
    title_dice: float
    description_dice: float
    item_covered: float  # share of the item's title words found in the request
    request_covered: float  # share of the request's title words found in the item
    rarest_found: bool  # the item's rarest title word (its heaviest) is in the request
    key_terms: frozenset[str]  # distinctive key terms of the item that the request holds

    @property
    def words(self) -> float:
        a, b = self.item_covered, self.request_covered
        return 2 * a * b / (a + b) if a + b else 0.0

    def score(self, limits: Thresholds = THRESHOLDS) -> float:
        """0 when no rule holds; else the highest measured likeness (1.0 for equal titles)."""
        if self.equal_title:
            return 1.0
        rules = (
            self.title_dice >= limits.title,
            self.description_dice >= limits.description,
            self.words >= limits.words and self.rarest_found,
            self.item_covered >= limits.contains and self.request_covered >= limits.contains_floor,
            bool(self.key_terms),
        )
        if not any(rules):
            return 0.0
        return max(self.title_dice, self.description_dice, self.words, self.item_covered)


class Corpus:
    """The items a text is compared with (e.g. the active catalog). Word weights are their rarity here
    (IDF), so that 宣传 or 证明 weigh little and 低保 or 打卡 much."""

    def __init__(self, items: Iterable[Profile], negative: Iterable[Profile] = ()):
        profiles = list(items)
        self.size = len(profiles)
        self.frequency: dict[str, int] = {}
        for item in profiles:
            for word in item.words:
                self.frequency[word] = self.frequency.get(word, 0) + 1
        named: dict[str, int] = {}
        for item in negative:
            for term in item.key_terms:
                named[term] = named.get(term, 0) + 1
        self.key_term_items = named
        # Every known word's weight computed once: a request is compared with thousands of items.
        self._weights = {word: math.log((self.size + 1) / (count + 0.5)) for word, count in self.frequency.items()}
        self._unknown_weight = math.log((self.size + 1) / 0.5)

    def weight(self, word: str) -> float:
        """Inverse document frequency: a word in most items weighs almost nothing, one in no item the most."""
        return self._weights.get(word, self._unknown_weight)

    def _covered(self, words: frozenset[str], text: str) -> float:
        total = sum(self.weight(w) for w in words)
        return sum(self.weight(w) for w in words if w in text) / total if total else 0.0

    def _rarest_found(self, words: frozenset[str], text: str) -> bool:
        if not words:
            return False
        top = max(self.weight(w) for w in words)
        return any(w in text for w in words if self.weight(w) == top)

    def parts(self, request: Profile, item: Profile, negative: bool = False,
              limits: Thresholds = THRESHOLDS) -> Parts:
        """Every part of the measure for *request* against *item* (a negative-list item when *negative*)."""
        long_enough = min(request.description_chars, item.description_chars) >= limits.min_description_chars
        request_words = request.title_words or request.words
        key_terms = frozenset()
        if negative:
            key_terms = frozenset(t for t in item.key_terms & request.title_key_terms
                                  if self.key_term_items.get(t, 0) <= limits.max_items_per_key_term)
        return Parts(
            equal_title=bool(request.title) and request.title == item.title,
            title_dice=dice(request.title_bigrams, item.title_bigrams),
            description_dice=dice(request.description_bigrams, item.description_bigrams) if long_enough else 0.0,
            item_covered=self._covered(item.title_words, request.folded),
            request_covered=self._covered(request_words, item.folded),
            rarest_found=self._rarest_found(item.title_words, request.folded),
            key_terms=key_terms,
        )

    def similarity(self, request: Profile, item: Profile, negative: bool = False,
                   limits: Thresholds = THRESHOLDS) -> float:
        """How alike (0–1); 0 when no rule of the module holds."""
        return self.parts(request, item, negative, limits).score(limits)


def matches(title: str | None, description: str | None,
            items: Sequence[tuple[Hashable, str | None, str | None, bool]],
            limits: Thresholds = THRESHOLDS) -> list[tuple[float, Hashable]]:
    """The items (key, title, description, negative-list item?) like the text, as (score, key), most alike
    first, then by key. The corpus is *items* itself. Nothing for a text without letters or digits."""
    profiles = [(key, profile(t, d), negative) for key, t, d, negative in items]
    return ranked(profile(title, description), profiles, corpus_of(profiles), limits)


def corpus_of(profiles: Sequence[tuple[Hashable, Profile, bool]]) -> Corpus:
    """The corpus of (key, profile, negative-list item?) items: their words' rarity, their key terms."""
    return Corpus([p for _k, p, _n in profiles], [p for _k, p, negative in profiles if negative])


def ranked(request: Profile, profiles: Sequence[tuple[Hashable, Profile, bool]], corpus: Corpus,
           limits: Thresholds = THRESHOLDS) -> list[tuple[float, Hashable]]:
    """`matches` over items already profiled, with their corpus (kept by a caller that compares many texts
    with the same items, e.g. once per catalog edition)."""
    if not request.folded.strip():
        return []
    scored = [(corpus.similarity(request, item, negative, limits), key) for key, item, negative in profiles]
    return sorted(((score, key) for score, key in scored if score), key=lambda m: (-m[0], str(m[1])))


def similarity(title: str | None, description: str | None,
               other_title: str | None, other_description: str | None, negative: bool = False) -> float:
    """The measure between two texts alone: the corpus is the other text (its words weigh 1, the request's
    own words a little more)."""
    other = profile(other_title, other_description)
    corpus = Corpus([other], [other] if negative else [])
    return corpus.similarity(profile(title, description), other, negative)
