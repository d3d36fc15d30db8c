"""The reach rule has one home (registry.regions.reach) and every user agrees with it: for random region trees
and random catalogs, duty → villages (reach.villages_reached, the request impact) and village → duties (the SQL
list, the burden snapshot) give the same pairs as the contract's rule written here independently."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlmodel import select

from registry.admission.services import affected_regions
from registry.burden.impact import ProposedChange, village_deltas
from registry.burden.profile import snapshot
from registry.burden.shapes import shape_of
from registry.catalog.lists import region_versions
from registry.catalog.models import DutyVersion
from registry.catalog.services import record_change
from registry.choices import NOT_PERFORMED, ChangeKind, DutyStatus, RegionKind, RegionLevel
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import forget_regions, region_index
from tests.catalog.helpers import content

KINDS = {"town": ["subdistrict", "town", "township"], "village": ["village", "community"]}


def the_contract_says(village: Region, scope: Region, applies_to: str, parents: dict[int, int | None]) -> bool:
    """Scoped at the region or an ancestor, and applies_to is `all` or the village's own kind."""
    chain, current = set(), village.id
    while current is not None:
        chain.add(current)
        current = parents[current]
    return scope.id in chain and applies_to in ("all", village.kind)


tree = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(KINDS["town"]),
                          st.lists(st.sampled_from(KINDS["village"]), min_size=0, max_size=4)),
                min_size=1, max_size=3)
items = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["all", "village", "community"]),
                           st.sampled_from(["assisting", "self_governance", "prohibited"])), min_size=1, max_size=6)


def test_every_user_of_the_reach_rule_agrees(db):
    counter = {"n": 0}

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(tree=tree, picks=items)
    def check(tree, picks) -> None:  # type: ignore[no-untyped-def]
        counter["n"] += 1
        county_code = f"9{counter['n']:02d}100000000"
        with db.write() as session:
            county = Region(code=county_code, name=f"随机县{counter['n']}", level=RegionLevel.COUNTY,
                            kind=RegionKind.COUNTY)
            session.add(county)
            session.flush()
            for t, (_, town_kind, villages) in enumerate(tree):
                town = Region(code=f"{county_code[:6]}{t + 1:03d}000", name=f"随机镇{t}", level=RegionLevel.TOWN,
                              kind=town_kind, parent_id=county.id)
                session.add(town)
                session.flush()
                rows = [{"code": f"{town.code[:9]}{(100 if k == 'community' else 200) + v:03d}",
                         "name": f"随机村{t}-{v}", "level": RegionLevel.VILLAGE, "kind": k, "parent_id": town.id}
                        for v, k in enumerate(villages)]
                if rows:
                    session.execute(insert(Region), rows)
        forget_regions()
        with db.read() as session:
            index = region_index(session)
        scopes = sorted((r for r in index.by_id.values() if r.code[:4] == county_code[:4]), key=lambda r: r.code)
        with db.write() as session:
            for pick, applies_to, category in picks:
                scope = scopes[pick % len(scopes)]
                record_change(session, ChangeKind.ADDED, content(scope_code=scope.code, applies_to=applies_to,
                                                                 category=category, title=f"随机事项{pick}"))
        parents = {r.id: r.parent_id for r in index.by_id.values()}
        villages = [r for r in index.by_id.values() if r.level == RegionLevel.VILLAGE]
        with db.read() as session:
            current = list(session.exec(select(DutyVersion).where(
                DutyVersion.to_edition == None, DutyVersion.status == DutyStatus.ACTIVE)))  # noqa: E711
            expected = {(v.id, d.duty_id) for v in villages for d in current
                        if the_contract_says(v, index.by_id[d.scope_region_id], d.applies_to, parents)}
            by_sql = {(v.id, version.duty_id) for v in villages
                      for _code, version in region_versions(session, v, index, None)}
            snap = snapshot(session)
            by_snapshot = {(v.id, item.duty_id) for v in villages for item in snap.items_for(v, index)}
        by_reverse = {(v.id, d.duty_id) for d in current
                      for v in reach.villages_reached(index, d.scope_region_id, d.applies_to)}
        assert by_sql == expected
        assert by_snapshot == expected
        assert by_reverse == expected
        for d in current:
            reached = {v.id for v in reach.villages_reached(index, d.scope_region_id, d.applies_to)}
            assert affected_regions(index, d.scope_region_id, d.applies_to)[0] == len(reached)
            shape = shape_of(d)
            if d.category not in NOT_PERFORMED and shape is not None:  # performed items change every village reached
                assert set(village_deltas(index, [ProposedChange(None, shape)])) == reached

    check()
    assert counter["n"] >= 5
