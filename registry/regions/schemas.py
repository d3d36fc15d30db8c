"""Public shapes of regions and departments (contract §2 REGION, departments list)."""

import msgspec

from registry.choices import RegionKind, RegionLevel


class RegionPublic(msgspec.Struct, frozen=True, kw_only=True):
    """REGION: `{code, name, level, kind, parent_code}`."""

    code: str
    name: str
    level: RegionLevel
    kind: RegionKind
    parent_code: str | None


class RegionWithChildren(RegionPublic, frozen=True, kw_only=True):
    """REGION plus its children, for `GET /api/v1/regions/{code}`."""

    children: list[RegionPublic]


class DepartmentPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A department as public records name it: `{code, name}`."""

    code: str
    name: str


class DepartmentListing(DepartmentPublic, frozen=True, kw_only=True):
    """A department in `GET /api/v1/departments`: also the county, city or province that owns it (§10)."""

    region_code: str
