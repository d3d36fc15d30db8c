"""JSON routes: a region's burden profile, the budget (public read, admin replace)."""

from typing import Annotated

from litestar import Request, Response, get, put
from litestar.params import Parameter

from registry.assessments.services import joint_token
from registry.burden import services
from registry.burden.schemas import Budget, BudgetPublic, BurdenPublic
from registry.catalog.lists import list_edition
from registry.choices import Role
from registry.db import Database
from registry.regions.services import find_region, region_index
from registry.web.auth import current_principal
from registry.web.etags import cache_headers, not_modified, not_modified_response
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY, errors


def burden_etag(code: str, edition: int, edition_hash: str | None, joints: str = "j0") -> str:
    """Depends on the region, the catalog edition and the joint assessments only (caps do not enter a profile)."""
    return f'W/"burden-{code}-{edition}-{(edition_hash or "0")[:16]}-{joints}"'


@get("/api/v1/regions/{code:str}/burden", opt=public(), sync_to_thread=True, operation_id="getRegionBurden",
     tags=["burden"])
def get_region_burden(code: str, request: Request, db: Database) -> Response[BurdenPublic]:
    """BURDEN: what the region's list puts on it, by category and department, and over its villages."""
    with db.read() as session:
        index = region_index(session)
        edition = list_edition(session, index, find_region(index, code))  # a change elsewhere keeps the tag
        tag = burden_etag(code, edition.number, edition.hash, joint_token(session))
        headers = cache_headers(request, tag)
        if not_modified(request, tag):
            return not_modified_response(headers)
        body = services.region_burden(session, code)
    return Response(content=body, headers=headers)


OwnerCode = Annotated[str | None, Parameter(max_length=12, description=(
    "A region: the caps are those of the county (or city or province) that owns it (contract §10); "
    "without it, the default county's."))]


def _county_id(db: Database, region: str | None) -> int | None:
    """The county that owns *region* (NotFound for an unknown code); None (the default county) without one."""
    if not region:
        return None
    with db.read() as session:
        index = region_index(session)
        return index.owner_id_of(find_region(index, region).id)


@get("/api/v1/budget", opt=public(), sync_to_thread=True, operation_id="getBudget", tags=["burden"],
     responses=errors(404))
def get_budget(db: Database, region: OwnerCode = None) -> BudgetPublic:
    """BUDGET: the caps per village in force in one county."""
    county_id = _county_id(db, region)
    with db.read() as session:
        return services.budget_public(session, county_id)


@put("/api/v1/budget", opt=roles(Role.ADMIN), operation_id="putBudget", tags=["burden"], security=BEARER_SECURITY,
     sync_to_thread=True, responses=errors(404))
def put_budget(request: Request, db: Database, data: Budget, region: OwnerCode = None) -> BudgetPublic:
    """Replace one county's caps (admin); appends one budget.changed ledger entry."""
    principal = current_principal(request)
    return services.set_budget(db, data.caps.values(), actor=principal.name if principal else "",
                               county_id=_county_id(db, region))


routes = [get_region_burden, get_budget, put_budget]
