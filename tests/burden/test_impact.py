"""request_impact: over budget, offsets, the impact equals the profile change after approval; a property test."""

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from registry.burden import totals as t
from registry.burden.impact import DutyShape, ProposedChange, request_impact
from registry.burden.profile import snapshot, village_totals
from registry.burden.services import current_caps, replace_caps
from registry.burden.shapes import shape_of
from registry.catalog.models import Duty, DutyVersion
from registry.catalog.schemas import DutyContent
from registry.catalog.services import record_change
from registry.choices import TOTALS_FIELDS, RegionLevel
from registry.regions.services import region_index

COUNTY = "330122000000"


def shape_of_code(session, code: str) -> DutyShape:  # type: ignore[no-untyped-def]
    duty = session.exec(select(Duty).where(Duty.code == code)).one()
    version = session.exec(select(DutyVersion).where(DutyVersion.duty_id == duty.id,
                                                     col(DutyVersion.to_edition).is_(None))).one()
    return shape_of(version)


def app_shape(session, applies_to: str = "all") -> DutyShape:  # type: ignore[no-untyped-def]
    county = region_index(session).get(COUNTY)
    return DutyShape("assisting", applies_to, county.id, "monthly", 0, {"apps": ["新的政务APP"]})


def all_village_totals(client, codes) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {code: client.get(f"/api/v1/regions/{code}/burden").json()["totals"] for code in codes}


def village_codes(session) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.code for r in region_index(session).by_id.values() if r.level == RegionLevel.VILLAGE)


def test_adding_an_app_at_the_cap_is_over_budget_and_an_offset_clears_it(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        most_apps = max(village_totals(session, code).apps for code in village_codes(session))
        replace_caps(session, {**current_caps(session), "apps": most_apps})
    with db.read() as session:
        change = ProposedChange(None, app_shape(session))
        impact = request_impact(session, change)
        assert impact.villages == 60
        assert impact.delta_per_village.apps == 1 and impact.delta_per_village.duties == 1
        assert impact.delta_total.apps == 60
        assert impact.over_budget and impact.public().over_budget is True
        assert {e.field for e in impact.exceeded} == {"apps"}
        at_cap = [c for c in village_codes(session) if village_totals(session, c).apps == most_apps]
        assert sorted(e.village_code for e in impact.exceeded) == at_cap
        assert all(e.value == most_apps + 1 and e.cap == most_apps for e in impact.exceeded)
        # one in, one out: retiring D00011 (assisting, all villages, one app) nets the app out
        offset = ProposedChange(shape_of_code(session, "D00011"), None)
        netted = request_impact(session, change, [offset])
        assert netted.delta_total.apps == 0 and not netted.over_budget
        assert netted.delta_per_village.hours_per_month == -4  # D00011 took 4 hours a month
        # an offset that does not reach every village leaves the others over
        community_only = ProposedChange(shape_of_code(session, "D00009"), None)
        partial = request_impact(session, change, [community_only])
        assert partial.over_budget


def test_the_impact_is_the_profile_change_after_approval(db, client) -> None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        codes = village_codes(session)
        town = region_index(session).get("330122113000")
        after = DutyShape("assisting", "village", town.id, "weekly", 35,
                          {"ledgers": ["台账一", "台账二"], "reports": ["周报"], "meetings_per_year": 4})
        before = shape_of_code(session, "D00020")
        impact = request_impact(session, ProposedChange(before, DutyShape(
            after.category, after.applies_to, after.scope_region_id, after.frequency, after.hours_tenths,
            after.burdens)))
    old = all_village_totals(client, codes)
    content = client.get("/api/v1/duties/D00020").json()
    new_content = {k: content[k] for k in ("title", "description", "category", "legal_basis", "frequency")}
    new_content.update(applies_to="village", scope_code="330122113000", department=content["department"]["code"],
                       frequency="weekly", hours_per_month=3.5, category="assisting",
                       burdens={"ledgers": ["台账一", "台账二"], "reports": ["周报"], "meetings_per_year": 4})
    with db.write() as session:
        record_change(session, "amended", DutyContent.model_validate(new_content), duty_code="D00020")
    new = all_village_totals(client, codes)
    diffs = {c: {f: round(new[c][f] - old[c][f], 1) for f in TOTALS_FIELDS} for c in codes}
    changed = {c: d for c, d in diffs.items() if any(d.values())}
    assert impact.villages == len(changed) == 60  # every village loses D00020; the town's villages gain the new
    for field in TOTALS_FIELDS:
        assert round(sum(d[field] for d in changed.values()), 1) == getattr(impact.delta_total, field), field
        largest = max((d[field] for d in changed.values()), key=lambda v: (abs(v), v))
        assert largest == getattr(impact.delta_per_village, field), field


def test_moving_to_a_category_not_performed_removes_the_item(db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        before = shape_of_code(session, "D00020")
        after = DutyShape("prohibited", before.applies_to, before.scope_region_id, before.frequency,
                          before.hours_tenths, before.burdens)
        impact = request_impact(session, ProposedChange(before, after))
        assert impact.villages == 60
        assert impact.delta_per_village.duties == -1 and impact.delta_per_village.apps == -1
        assert impact.delta_per_village.hours_per_month == -5
        assert not impact.over_budget
        same = request_impact(session, ProposedChange(before, before))
        assert same.villages == 0 and msgspec.to_builtins(same.delta_total) == dict.fromkeys(TOTALS_FIELDS, 0)


BURDENS = st.fixed_dictionaries({
    **{name: st.lists(st.text(min_size=1, max_size=3), max_size=3) for name in t.BURDEN_LISTS},
    "meetings_per_year": st.integers(0, 30),
})


def test_delta_total_is_the_sum_of_recomputed_village_changes(db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as session:
        index = region_index(session)
        snap = snapshot(session)
        current = [item.shape for items in snap.by_scope.values() for item in items]
        villages = [r for r in index.by_id.values() if r.level == RegionLevel.VILLAGE]
        region_ids = sorted(index.by_id)
        shapes = st.builds(
            DutyShape,
            category=st.sampled_from([c for c in t.CATEGORIES]),
            applies_to=st.sampled_from(["all", "village", "community"]),
            scope_region_id=st.sampled_from(region_ids),
            frequency=st.sampled_from(["once", "yearly", "quarterly", "monthly", "weekly", "daily", "as_needed"]),
            hours_tenths=st.integers(0, 7440),
            burdens=BURDENS,
        )

        def on_list(shape: DutyShape, village) -> bool:  # type: ignore[no-untyped-def]
            # The contract's rule, written here independently of registry.regions.reach.
            fits = {"village": {"all", "village"}, "community": {"all", "community"}}[village.kind]
            return shape.applies_to in fits and shape.scope_region_id in {a.id for a in index.ancestors(village)}

        def recompute(items: list[DutyShape]) -> dict[int, dict[str, int]]:
            return {v.id: t.totals_of(s for s in items if on_list(s, v)) for v in villages}

        base = recompute(current)

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(before_index=st.one_of(st.none(), st.integers(0, len(current) - 1)), after=st.one_of(st.none(), shapes),
               retire=st.lists(st.integers(0, len(current) - 1), max_size=2, unique=True))
        def check(before_index, after, retire) -> None:  # type: ignore[no-untyped-def]
            retire = [i for i in retire if i != before_index]
            before = current[before_index] if before_index is not None else None
            items = [s for i, s in enumerate(current) if i != before_index and i not in retire]
            if after is not None:
                items.append(after)
            moved = recompute(items)
            diffs = [{f: moved[v.id][f] - base[v.id][f] for f in TOTALS_FIELDS} for v in villages]
            diffs = [d for d in diffs if any(d.values())]
            offsets = [ProposedChange(current[i], None) for i in retire]
            impact = request_impact(session, ProposedChange(before, after), offsets)
            assert impact.villages == len(diffs)
            expected = t.public_totals({f: sum(d[f] for d in diffs) for f in TOTALS_FIELDS})
            assert impact.delta_total == expected

        check()
