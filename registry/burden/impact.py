"""What a request would change in the burden of every village it touches (contract §2 `impact`).

Interface shared by admission (which builds ProposedChange from a request) and burden (which computes).

Definitions where the contract leaves room:
- A village is affected when `before` or `after` reaches it (scope at the village or an ancestor,
  applies_to fitting its kind); its delta is TOTALS(after, if it reaches) − TOTALS(before, if it
  reaches), counting performed categories only. Offsets (retire changes) are netted per village.
  `villages` counts the villages whose net delta is nonzero in at least one field.
- `delta_per_village`: per field, the change of largest magnitude among those villages, sign kept
  (on a tie between +x and −x, +x). For the usual request every village changes alike and this is
  simply that change; for a retire it is the largest reduction.
- `delta_total`: per field, the sum over those villages.
- `exceeded`: for every such village and every capped field whose net delta is positive, the new
  value (current TOTALS + delta) strictly above the cap.
- Joint assessments (registry.assessments): a list counts a joint assessment once, so the delta of
  `assessments` counts one only where the change brings the first item naming it onto a village's list
  (or takes the last one off).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import msgspec
from sqlmodel import Session

from registry.burden import aggregates
from registry.burden import totals as t
from registry.burden.profile import snapshot
from registry.burden.schemas import ImpactPublic, TotalsPublic
from registry.burden.services import caps_by_county
from registry.burden.shapes import CapExceeded, DutyShape, ProposedChange, shape_of
from registry.choices import TOTALS_FIELDS
from registry.regions import reach
from registry.regions.models import Region
from registry.regions.services import RegionIndex, region_index

__all__ = ["CapExceeded", "DutyShape", "Impact", "ProposedChange", "request_impact", "shape_of", "stored_impact",
           "village_deltas"]


@dataclass
class Impact:
    villages: int = 0
    delta_per_village: TotalsPublic = field(default_factory=lambda: t.public_totals(t.zero()))
    delta_total: TotalsPublic = field(default_factory=lambda: t.public_totals(t.zero()))
    exceeded: list[CapExceeded] = field(default_factory=list)
    forms_per_village: int = 0
    indicators_per_village: int = 0

    @property
    def over_budget(self) -> bool:
        return bool(self.exceeded)

    def public(self) -> ImpactPublic:
        """The REQUEST's `impact` shape."""
        return ImpactPublic(villages=self.villages, delta_per_village=self.delta_per_village,
                            delta_total=self.delta_total, over_budget=self.over_budget,
                            forms_per_village=self.forms_per_village,
                            indicators_per_village=self.indicators_per_village)

    def stored(self) -> dict:
        """The `impact` as a request row keeps it (plain JSON values)."""
        return msgspec.to_builtins(self.public())


def stored_impact(stored: dict | None) -> ImpactPublic:
    """A request row's stored `impact` back as the public shape (no impact yet: zeros)."""
    return msgspec.convert(stored, ImpactPublic) if stored else Impact().public()


def village_deltas(index: RegionIndex, changes: Sequence[ProposedChange], joined: Mapping[str, int] | None = None,
                   by_scope: dict[int, list] | None = None) -> dict[int, dict[str, int]]:
    """Net internal TOTALS delta (hours in tenths) per village id, zero deltas dropped. With *joined* (joint
    assessments) and the current items *by_scope*, a joint assessment counts only when it comes onto a village's
    list or leaves it (registry.burden.totals counts it once per list)."""
    deltas: dict[int, dict[str, int]] = {}
    for change in changes:
        for shape, sign in ((change.before, -1), (change.after, 1)):
            if shape is None:
                continue
            contribution = t.item_totals(shape, joined)
            if not any(contribution.values()):
                continue
            for village in reach.villages_reached(index, shape.scope_region_id, shape.applies_to):
                t.add_into(deltas.setdefault(village.id, t.zero()), contribution, sign)  # type: ignore[arg-type]
    if joined and by_scope is not None:
        for village_id, fix in _joint_fixes(index, changes, joined, by_scope).items():
            deltas.setdefault(village_id, t.zero())[t.ASSESSMENTS] += fix
    return {vid: delta for vid, delta in deltas.items() if any(delta.values())}


def _joint_fixes(index: RegionIndex, changes: Sequence[ProposedChange], joined: Mapping[str, int],
                 by_scope: dict[int, list]) -> dict[int, int]:
    """Per village, the item-by-item assessments delta's error about joint assessments: each item counted the joint
    ones it names (+1 added, −1 removed), but a village's list counts one only while some item names it."""
    net: dict[int, Counter] = {}
    for change in changes:
        for shape, sign in ((change.before, -1), (change.after, 1)):
            hits = t.joints_hit(shape, joined) if shape is not None else set()
            if not hits:
                continue
            for village in reach.villages_reached(index, shape.scope_region_id, shape.applies_to):  # type: ignore[union-attr]
                counter = net.setdefault(village.id, Counter())  # type: ignore[arg-type]
                for joint in hits:
                    counter[joint] += sign
    if not net:
        return {}
    touched = {joint for counter in net.values() for joint in counter}
    now = aggregates.joint_counts(by_scope, index, joined, touched)  # the current list, `before` items included
    fixes: dict[int, int] = {}
    for village_id, counter in net.items():
        here = now.get(village_id, Counter())
        fix = sum((int(here[j] + d > 0) - int(here[j] > 0)) - d for j, d in counter.items())
        if fix:
            fixes[village_id] = fix
    return fixes


def _largest(values: list[int]) -> int:
    return max(values, key=lambda v: (abs(v), v)) if values else 0


def _common_owner(index: RegionIndex, changes: Sequence[ProposedChange]) -> Region | None:
    """The owner (county, or city or province) of every scope the changes touch, whose burden snapshot holds all
    the villages they reach; None (the whole deployment) when they belong to different owners."""
    scopes = {shape.scope_region_id for change in changes for shape in (change.before, change.after) if shape}
    owners = {index.owner_id_of(scope) for scope in scopes if scope is not None}
    return index.by_id.get(owners.pop()) if len(owners) == 1 else None  # type: ignore[arg-type]


def request_impact(session: Session, change: ProposedChange, offsets: Sequence[ProposedChange] = ()) -> Impact:
    """The change to every affected village's TOTALS, offsets netted out, and the caps it would break."""
    index = region_index(session)
    snap = snapshot(session, _common_owner(index, [change, *offsets]))
    deltas = village_deltas(index, [change, *offsets], snap.joined, snap.by_scope)
    if not deltas:
        return Impact()
    per_village = {name: _largest([d[name] for d in deltas.values()]) for name in TOTALS_FIELDS}
    total = t.zero()
    for delta in deltas.values():
        t.add_into(total, delta)
    counties = caps_by_county(session)  # each village is held to its own county's caps (contract §10)
    current = snap.village_totals(index)
    exceeded: list[CapExceeded] = []
    for village_id in sorted(deltas, key=lambda vid: index.by_id[vid].code):
        caps = counties.get(index.owner_id_of(village_id) or 0, {})
        delta, before = deltas[village_id], current.get(village_id) or t.zero()
        for name in TOTALS_FIELDS:
            cap = caps.get(name)
            if cap is None or delta[name] <= 0:
                continue
            new = before[name] + delta[name]
            limit = round(float(cap) * 10) if name == t.HOURS else cap
            if new > limit:
                value = t.hours_number(new) if name == t.HOURS else new
                exceeded.append(CapExceeded(name, index.by_id[village_id].code, value, cap))
    return Impact(len(deltas), t.public_totals(per_village), t.public_totals(total), exceeded)
