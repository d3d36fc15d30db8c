"""Precision and recall of the `negative_list` and `duplicate` checks on the rewording table.

`python -m tests.catalog.rewording_report` prints, per flag kind, how many rewordings of the seed's items
(tests/catalog/rewordings.csv) raise a flag naming the item they reword (recall), how many of the flags
raised name an item the row rewords (precision), every miss, and every unrelated task that raised a flag.
It runs registry.admission.checks.similar_flags — the function the admission checks call — over the seed
catalog (seed/catalog.json, every item active as seeded).
"""

import csv
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from registry.admission.checks import similar_flags
from registry.catalog.similarity import THRESHOLDS, Thresholds
from registry.choices import FlagKind

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).with_name("rewordings.csv")
UNRELATED = "unrelated"
KINDS = (str(FlagKind.NEGATIVE_LIST), str(FlagKind.DUPLICATE))


@dataclass(frozen=True)
class Row:
    kind: str  # negative_list, duplicate or unrelated
    codes: frozenset[str]  # the items it rewords (any one of them counts)
    title: str
    description: str


def table() -> list[Row]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [Row(r["kind"], frozenset(c for c in r["codes"].split(";") if c), r["title"], r["description"])
                for r in csv.DictReader(handle)]


def seed_catalog() -> list[tuple[str, str, str, str]]:
    items = json.loads((ROOT / "seed" / "catalog.json").read_text("utf-8"))
    return [(d["code"], d["title"], d["description"], d["category"]) for d in items]


@dataclass
class KindFigures:
    rows: int = 0
    caught: int = 0
    flags: int = 0
    right_flags: int = 0
    misses: list[tuple[Row, list[dict]]] = field(default_factory=list)
    wrong: list[tuple[Row, dict]] = field(default_factory=list)  # flags naming an item the row does not reword

    @property
    def recall(self) -> float:
        return self.caught / self.rows if self.rows else 1.0

    @property
    def precision(self) -> float:
        return self.right_flags / self.flags if self.flags else 1.0


@dataclass
class Figures:
    kinds: dict[str, KindFigures]
    unrelated: int
    false_matches: list[tuple[Row, list[dict]]]

    @property
    def recall(self) -> float:
        rows = sum(k.rows for k in self.kinds.values())
        return sum(k.caught for k in self.kinds.values()) / rows


def evaluate(rows: list[Row] | None = None, catalog: list[tuple[str, str, str, str]] | None = None,
             limits: Thresholds = THRESHOLDS) -> Figures:
    """Run the checks over every row of the table against the seed catalog."""
    rows = table() if rows is None else rows
    catalog = seed_catalog() if catalog is None else catalog
    figures = Figures({kind: KindFigures() for kind in KINDS}, 0, [])
    for row in rows:
        flags = similar_flags(row.title, row.description, catalog, limits=limits)
        for flag in flags:
            kind = figures.kinds[flag["kind"]]
            kind.flags += 1
            right = flag["kind"] == row.kind and flag["duty_code"] in row.codes
            kind.right_flags += right
            if not right and row.kind != UNRELATED:
                kind.wrong.append((row, flag))
        if row.kind == UNRELATED:
            figures.unrelated += 1
            if flags:
                figures.false_matches.append((row, flags))
            continue
        kind = figures.kinds[row.kind]
        kind.rows += 1
        if any(f["kind"] == row.kind and f["duty_code"] in row.codes for f in flags):
            kind.caught += 1
        else:
            kind.misses.append((row, flags))
    return figures


def _flags_text(flags: list[dict]) -> str:
    return ", ".join(f"{f['kind']}:{f['duty_code']}({f['params']['score']}%)" for f in flags) or "no flag"


def sweep(rows: list[Row], catalog: list[tuple[str, str, str, str]]) -> None:
    """How the figures move with the word-overlap threshold (the others held at their values)."""
    print(f"{'words':>6}{'recall':>8}{'neg recall':>11}{'neg prec':>9}{'dup recall':>11}{'dup prec':>9}{'false':>6}")
    for step in range(6, 15):
        value = step * 0.05
        figures = evaluate(rows, catalog, replace(THRESHOLDS, words=value))
        neg, dup = figures.kinds[KINDS[0]], figures.kinds[KINDS[1]]
        mark = "  <- in force" if abs(value - THRESHOLDS.words) < 1e-9 else ""
        print(f"{value:>6.2f}{figures.recall:>8.2f}{neg.recall:>11.2f}{neg.precision:>9.2f}{dup.recall:>11.2f}"
              f"{dup.precision:>9.2f}{len(figures.false_matches):>6}{mark}")


def main() -> None:
    rows, catalog = table(), seed_catalog()
    figures = evaluate(rows, catalog)
    print(f"{'kind':<14}{'rows':>5}{'caught':>8}{'recall':>8}{'flags':>7}{'right':>7}{'precision':>11}")
    for name, kind in figures.kinds.items():
        print(f"{name:<14}{kind.rows:>5}{kind.caught:>8}{kind.recall:>8.2f}{kind.flags:>7}{kind.right_flags:>7}"
              f"{kind.precision:>11.2f}")
    print(f"rewordings: recall {figures.recall:.2f}; unrelated tasks: {len(figures.false_matches)} of "
          f"{figures.unrelated} raised a flag")
    for name, kind in figures.kinds.items():
        for row, flags in kind.misses:
            print(f"miss {name} {'/'.join(sorted(row.codes))} {row.title}: {_flags_text(flags)}")
    for name, kind in figures.kinds.items():
        for row, flag in kind.wrong:
            print(f"wrong {name} flag on {'/'.join(sorted(row.codes))} {row.title}: {_flags_text([flag])}")
    for row, flags in figures.false_matches:
        print(f"false match {row.title}: {_flags_text(flags)}")
    print()
    sweep(rows, catalog)


if __name__ == "__main__":
    main()
