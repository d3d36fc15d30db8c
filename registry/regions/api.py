"""Public JSON reads of regions and departments."""

from litestar import get

from registry.db import Database
from registry.regions.schemas import DepartmentListing, RegionWithChildren
from registry.regions.services import active_departments, department_listing, region_index, region_with_children
from registry.web.guards import public


@get("/api/v1/regions/{code:str}", opt=public(), sync_to_thread=True, operation_id="getRegion", tags=["regions"])
def get_region(code: str, db: Database) -> RegionWithChildren:
    """A region with its children."""
    with db.read() as session:
        return region_with_children(region_index(session), code)


@get("/api/v1/departments", opt=public(), sync_to_thread=True, operation_id="listDepartments", tags=["regions"])
def list_departments(db: Database) -> list[DepartmentListing]:
    """Every active department, by code, with the region that owns it."""
    with db.read() as session:
        index = region_index(session)
        return [department_listing(d, index) for d in active_departments(session)]


routes = [get_region, list_departments]
