"""The synthetic data set as plain data: a pure function of (scale, seed), no database.

Guarantees:
- deterministic: the same scale and seed give the same regions, codes, names and items, in the same order;
  another seed gives other codes (each level's codes are drawn from its range by the seeded generator);
- marked: every region, department and item name contains MARK, and every province code is one of
  PROVINCE_CODES, two-digit codes no real province uses (GB/T 2260 uses 11–65, 71, 81, 82), so no
  synthetic code can be a real region's;
- exact sizes: each scale has exactly the numbers of SCALES (split unevenly, but summing exactly);
- valid codes: 12 digits, PP CC DD TTT VVV, each region's code extending its parent's.

The builder (registry.synthetic.build) writes this plan; the checks compute their oracle from it.
"""

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from registry.choices import AppliesTo, Category, DepartmentKind, Frequency, RegionKind, RegionLevel

WORDS = json.loads((Path(__file__).parent / "vocabulary.json").read_text("utf-8"))
MARK: str = WORDS["mark"]
PROVINCE_CODES = tuple(c for c in range(66, 100) if c not in (71, 81, 82))  # 31 codes outside GB/T 2260


@dataclass(frozen=True)
class Scale:
    provinces: int
    cities: int
    counties: int
    towns: int
    villages: int
    province_items: tuple[int, int] = (3, 6)  # items scoped at each province, at least and at most
    city_items: tuple[int, int] = (2, 5)
    county_items: tuple[int, int] = (150, 300)  # items of each county's catalog (county, town and village scopes)


SCALES = {
    "county": Scale(1, 1, 1, 14, 220),
    "province": Scale(1, 10, 90, 1_220, 20_000),
    "national": Scale(31, 330, 2_800, 38_000, 600_000),
}


@dataclass(frozen=True, slots=True)
class PlanRegion:
    code: str
    name: str
    level: str
    kind: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One catalog item: its duty code, scope, and the content's draw (expanded by `content`)."""

    code: str
    scope: str
    owner: str  # the county, city or province whose department is responsible
    applies_to: str
    topic: int
    action: int
    category: str
    frequency: str
    hours_tenths: int


DEPARTMENTS: tuple[tuple[str, str, str], ...] = tuple((c, n, DepartmentKind(k)) for c, n, k in WORDS["departments"])
TOPICS: tuple[str, ...] = tuple(WORDS["topics"])
ACTIONS: tuple[str, ...] = tuple(WORDS["actions"])
CATEGORIES = (Category.ASSISTING, Category.ASSISTING, Category.ASSISTING, Category.SELF_GOVERNANCE,
              Category.SELF_GOVERNANCE, Category.PROHIBITED, Category.CERTIFICATE_ALLOWED,
              Category.CERTIFICATE_PROHIBITED, Category.SIGNBOARD, Category.MECHANISM)
FREQUENCIES = tuple(Frequency)
SYLLABLES: str = WORDS["syllables"]
SUFFIXES: dict[str, str] = WORDS["suffixes"]
TEMPLATES: dict[str, str] = WORDS["templates"]
TOWN_KINDS = (RegionKind.TOWN, RegionKind.SUBDISTRICT, RegionKind.TOWNSHIP)


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """*total* in *parts* uneven shares (each at least 1) that sum exactly to *total*."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    shares = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _name(rng: random.Random, kind: RegionKind) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + SUFFIXES[kind] + MARK


def regions(scale_name: str, seed: int) -> list[PlanRegion]:
    """Every region of the set, parents before children (provinces, cities, counties, towns, villages)."""
    scale = SCALES[scale_name]
    rng = random.Random(f"synthetic-regions:{scale_name}:{seed}")
    provinces = [PlanRegion(f"{p:02d}0000000000", _name(rng, RegionKind.PROVINCE), RegionLevel.PROVINCE,
                            RegionKind.PROVINCE, None)
                 for p in sorted(rng.sample(PROVINCE_CODES, scale.provinces))]
    cities: list[PlanRegion] = []
    for province, count in zip(provinces, split(scale.cities, len(provinces), rng), strict=True):
        cities += [PlanRegion(f"{province.code[:2]}{c:02d}00000000", _name(rng, RegionKind.CITY), RegionLevel.CITY,
                              RegionKind.CITY, province.code) for c in sorted(rng.sample(range(1, 100), count))]
    counties: list[PlanRegion] = []
    for city, count in zip(cities, split(scale.counties, len(cities), rng), strict=True):
        for d in sorted(rng.sample(range(1, 100), count)):
            # GB/T 2260's ranges: 01–20 districts, 21–80 counties, 81–99 county-level cities.
            kind = (RegionKind.DISTRICT if d <= 20 else RegionKind.COUNTY if d <= 80 else RegionKind.COUNTY_CITY)
            counties.append(PlanRegion(f"{city.code[:4]}{d:02d}000000", _name(rng, kind), RegionLevel.COUNTY, kind,
                                       city.code))
    towns: list[PlanRegion] = []
    for county, count in zip(counties, split(scale.towns, len(counties), rng), strict=True):
        for t in sorted(rng.sample(range(1, 1000), count)):
            kind = rng.choice(TOWN_KINDS)
            towns.append(PlanRegion(f"{county.code[:6]}{t:03d}000", _name(rng, kind), RegionLevel.TOWN, kind,
                                    county.code))
    villages: list[PlanRegion] = []
    for town, count in zip(towns, split(scale.villages, len(towns), rng), strict=True):
        share = 0.7 if town.kind == RegionKind.SUBDISTRICT else 0.15  # subdistricts hold mostly communities
        for v in sorted(rng.sample(range(1, 1000), count)):
            kind = RegionKind.COMMUNITY if rng.random() < share else RegionKind.VILLAGE
            villages.append(PlanRegion(f"{town.code[:9]}{v:03d}", _name(rng, kind), RegionLevel.VILLAGE, kind,
                                       town.code))
    return provinces + cities + counties + towns + villages


def items(scale_name: str, seed: int, plan: list[PlanRegion]) -> Iterator[PlanItem]:
    """The catalog, in the order it is recorded: per province its few items, per city its few, then per
    county its catalog (scoped at the county, its towns and its villages)."""
    scale = SCALES[scale_name]
    rng = random.Random(f"synthetic-items:{scale_name}:{seed}")
    below: dict[str, list[PlanRegion]] = {}
    for region in plan:
        if region.parent is not None:
            below.setdefault(region.parent, []).append(region)

    def draw(n: int, scope: PlanRegion, owner: str) -> PlanItem:
        return PlanItem(f"SIM-{owner}-{n:03d}", scope.code, owner, rng.choice(tuple(AppliesTo)),
                        rng.randrange(len(TOPICS)), rng.randrange(len(ACTIONS)), rng.choice(CATEGORIES),
                        rng.choice(FREQUENCIES), rng.randint(1, 80))

    for level, bounds in ((RegionLevel.PROVINCE, scale.province_items), (RegionLevel.CITY, scale.city_items)):
        for region in (r for r in plan if r.level == level):
            for n in range(rng.randint(*bounds)):
                yield draw(n, region, region.code)
    for county in (r for r in plan if r.level == RegionLevel.COUNTY):
        towns = below.get(county.code, [])
        villages = [v for t in towns for v in below.get(t.code, [])]
        for n in range(rng.randint(*scale.county_items)):
            where = rng.random()
            # About 60% county-wide, 30% on one town, 10% on one village.
            scope = county if where < 0.6 or not villages else rng.choice(towns) if where < 0.9 \
                else rng.choice(villages)
            yield draw(n, scope, county.code)


def content(item: PlanItem, names: dict[str, str]) -> dict:
    """The DutyContent fields of *item*; *names* gives each owner region's name (for nothing but realism)."""
    words = {"topic": TOPICS[item.topic], "action": ACTIONS[item.action], "mark": MARK,
             "owner": names.get(item.owner, "").removesuffix(MARK)}
    department = DEPARTMENTS[(item.topic + item.action) % len(DEPARTMENTS)][0]
    return {
        "title": TEMPLATES["title"].format(**words),
        "description": TEMPLATES["description"].format(**words),
        "category": str(item.category),
        "applies_to": str(item.applies_to),
        "scope_code": item.scope,
        "department": department_code(item.owner, department),
        "legal_basis": TEMPLATES["legal_basis"].format(**words),
        "frequency": str(item.frequency),
        "hours_per_month": item.hours_tenths // 10 if item.hours_tenths % 10 == 0 else item.hours_tenths / 10,
        "burdens": {"ledgers": [TEMPLATES["ledger"].format(**words)],
                    "reports": [TEMPLATES["report"].format(**words)] if item.action % 2 else []},
    }


def department_code(owner: str, short: str) -> str:
    """A department of region *owner* (county, city or province): unique across the deployment."""
    return f"{owner}-{short}"


def reaching(village: PlanRegion, by_code: dict[str, PlanRegion]) -> list[str]:
    """The codes of the scopes whose items can be on *village*'s list: it, its town, county, city, province."""
    chain = [village.code]
    region: PlanRegion | None = village
    while region is not None and region.parent is not None:
        chain.append(region.parent)
        region = by_code.get(region.parent)
    return chain


def fits(applies_to: str, village: PlanRegion) -> bool:
    """The reach rule's `applies_to` test, restated here for the oracle: a 村 takes all and village,
    a 社区 all and community."""
    return applies_to in (AppliesTo.ALL, AppliesTo.COMMUNITY if village.kind == RegionKind.COMMUNITY
                          else AppliesTo.VILLAGE)
