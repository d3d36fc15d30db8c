"""Public JSON reads of regions and departments."""

from litestar import get

from registry.db import Database
from registry.errors import NotFound
from registry.regions.services import active_departments, department_public, region_index, region_public
from registry.web.guards import public


@get("/api/v1/regions/{code:str}", opt=public(), sync_to_thread=True, operation_id="getRegion", tags=["regions"])
def get_region(code: str, db: Database) -> dict:
    """A region with its children."""
    with db.read() as session:
        index = region_index(session)
        region = index.get(code)
        if region is None:
            raise NotFound()
        shaped = region_public(region, index)
        shaped["children"] = [region_public(child, index) for child in index.children_of(region)]
        return shaped


@get("/api/v1/departments", opt=public(), sync_to_thread=True, operation_id="listDepartments", tags=["regions"])
def list_departments(db: Database) -> list[dict]:
    """Every active department, by code."""
    with db.read() as session:
        return [department_public(d) for d in active_departments(session)]


routes = [get_region, list_departments]
