"""What duty search reads, stored with each version: pure functions of the version's content (no database),
shared by record_change, the migration that recomputed every version (0003) and the search itself.

- `search_text`: title and description, one per line (what the contract's `q` matches);
- `search_reach`: code, title, description and every burden name, one per line, then the department codes
  (responsible first) each as "\\x1fCODE\\x1f" (what `reach=all` matches) — all NFKC-normalised and
  case-folded (`search_key`), control characters turned into spaces so that no typed text can forge a line or
  a department mark;
- `search_title`: the title alone (a title hit ranks first);
- `search_words`: the words of every field, segmented by jieba (registry.catalog.similarity), as " w1 w2 … "
  (a whole-word hit ranks above a partial one). Segmentation only ranks: it never decides what matches.
  After the segmenter's dictionary changes, a data migration should recompute this column.
"""

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import event

from registry.catalog.models import DutyVersion
from registry.catalog.similarity import segment_for_search
from registry.choices import BURDEN_LISTS
from registry.regions.models import Department

LINE = "\n"
MARK = "\x1f"
MAX_WORDS = 10


def search_key(text: str | None) -> str:
    """The form search compares: NFKC (full-width → half-width), case-folded, control characters as spaces."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    if folded.isprintable():  # no control character (Cc) in it: nothing to replace
        return folded
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in folded)


def department_mark(code: str) -> str:
    """How a department code stands in `search_text` (a LIKE on it finds the department's items)."""
    return f"{MARK}{search_key(code)}{MARK}"


def search_columns(code: str, title: str | None, description: str | None, burdens: dict | None,
                   department_codes: Iterable[str]) -> tuple[str, str, str, str]:
    """(search_text, search_reach, search_title, search_words) of one version of duty *code*."""
    names = [str(name) for kind in BURDEN_LISTS for name in (burdens or {}).get(kind) or []]
    fields = [code, title, description, *names]
    departments = list(dict.fromkeys(department_codes))
    reach = LINE.join(search_key(f) for f in fields) + LINE + "".join(department_mark(c) for c in departments)
    text = search_key(title) + LINE + search_key(description)
    words: set[str] = set()
    for field in [*fields, *departments]:
        words.update(_field_words(search_key(field)))
    return text, reach, search_key(title), " " + " ".join(sorted(words)) + " "


@lru_cache(maxsize=4096)
def _field_words(key: str) -> tuple[str, ...]:
    # Names of burdens, departments and stock phrases repeat across thousands of items; segmenting is the cost.
    return tuple(segment_for_search(key))


def fill_search_columns(version: DutyVersion, code: str, department_code: str) -> None:
    """Set the search columns of *version* from its own content."""
    version.search_text, version.search_reach, version.search_title, version.search_words = search_columns(
        code, version.title, version.description, version.burdens, [department_code, *version.co_departments])


@event.listens_for(Department, "before_insert")
@event.listens_for(Department, "before_update")
def _department_search_name(_mapper, _connection, department: Department) -> None:  # type: ignore[no-untyped-def]
    """Keep `Department.search_name` equal to search_key(name) whatever changed the name (admin, seed, tests)."""
    department.search_name = search_key(department.name)


def query_words(q: str | None) -> list[str]:
    """The words of a query: normalised, split at any space (full-width too), each once, at most MAX_WORDS."""
    return list(dict.fromkeys(search_key(q).split()))[:MAX_WORDS]
