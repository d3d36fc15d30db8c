"""The home page: search and the region picker."""

from litestar import Request, get
from litestar.response import Template

from registry.choices import RegionLevel
from registry.db import Database
from registry.regions.services import region_index
from registry.web.guards import public_page
from registry.web.pages import render


@get("/", opt=public_page(), sync_to_thread=True, name="home")
def home(request: Request, db: Database) -> Template:
    with db.read() as session:
        index = region_index(session)
    # The root of the tree and its children: a county's towns, or a province's (city's) cities and counties.
    county = next((r for r in index.roots() if r.level != RegionLevel.VILLAGE), None)
    towns = index.children_of(county) if county else []
    return render(request, "home.html", county=county, towns=towns)


routes = [home]
