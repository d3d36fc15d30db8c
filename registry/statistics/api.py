"""JSON route of the year's figures (contract §7), public."""

from typing import Annotated

from litestar import get
from litestar.params import Parameter

from registry.db import Database
from registry.ratings.schemas import MAX_YEAR, MIN_YEAR
from registry.statistics import services
from registry.statistics.schemas import YearStatistics
from registry.web.guards import public

TAGS = ["statistics"]
YearPath = Annotated[int, Parameter(ge=MIN_YEAR, le=MAX_YEAR)]


def statistics_of(db: Database, year: int) -> YearStatistics:
    with db.read() as session:
        return services.year_statistics(session, year)


@get("/api/v1/statistics/{year:int}", opt=public(), sync_to_thread=True, operation_id="yearStatistics", tags=TAGS)
def year_statistics(db: Database, year: YearPath) -> YearStatistics:
    """The year's figures, from the ledger and the request records only: catalog at the start and end, changes,
    requests, per department, the median village's burden, reports (§6) and ratings."""
    return statistics_of(db, year)


routes = [year_statistics]
