"""The independent oracle of a synthetic set: what a village's list must hold, computed from the plan alone
(registry.synthetic.plan), never from the database or the list code. Shared by the tests and
tests/perf/national.py."""

import random

from registry.choices import RegionLevel
from registry.synthetic import plan


class Oracle:
    """The plan of (scale, seed) and, per village, the duty codes its list must show."""

    def __init__(self, scale: str, seed: int):
        self.regions = plan.regions(scale, seed)
        self.by_code = {r.code: r for r in self.regions}
        self.items = list(plan.items(scale, seed, self.regions))
        self.by_scope: dict[str, list[plan.PlanItem]] = {}
        for item in self.items:
            self.by_scope.setdefault(item.scope, []).append(item)
        self.villages = [r for r in self.regions if r.level == RegionLevel.VILLAGE]

    def expected(self, village_code: str) -> list[str]:
        """The codes on the village's list, sorted: items scoped at it, its town, county, city or province
        whose `applies_to` fits its kind."""
        village = self.by_code[village_code]
        return sorted(item.code for scope in plan.reaching(village, self.by_code)
                      for item in self.by_scope.get(scope, []) if plan.fits(item.applies_to, village))

    def sample(self, n: int, seed: int = 0) -> list[str]:
        rng = random.Random(seed)
        return [v.code for v in rng.sample(self.villages, min(n, len(self.villages)))]
