"""JSON routes of the form register (contract §8): the public register and its figures, a village's data for a
period (its cadres), a form's submissions (its department, the office, admins)."""

from typing import Annotated, Literal

from litestar import Request, Response, get, put
from litestar.params import Parameter

from registry.choices import DutyStatus, Role
from registry.db import Database
from registry.forms import data as village_data
from registry.forms import export, services
from registry.forms.schemas import (
    DataHistory,
    DataIn,
    DataPublic,
    FormDetail,
    FormPage,
    FormStats,
    IndicatorPage,
    Submissions,
)
from registry.timeutil import local_date, utcnow
from registry.web.auth import current_principal
from registry.web.downloads import attachment
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY, errors

TAGS = ["forms"]
MAX_NUMBER = 10**12 - 1
PageNumber = Annotated[int, Parameter(ge=1, le=MAX_NUMBER)]
PerPage = Annotated[int, Parameter(ge=1, le=100)]
Query = Annotated[str | None, Parameter(max_length=200)]
Period = Annotated[str, Parameter(max_length=16)]
DATA_ROLES = (Role.CADRE, Role.OFFICE, Role.ADMIN)
SUBMISSION_ROLES = (Role.DEPARTMENT, Role.OFFICE, Role.ADMIN)


@get("/api/v1/forms", opt=public(), sync_to_thread=True, operation_id="listForms", tags=TAGS)
def list_forms(db: Database, status: DutyStatus | None = DutyStatus.ACTIVE, department: Query = None,
               duty: Query = None, page: PageNumber = 1, per_page: PerPage = 20) -> FormPage:
    """The form register by code: active forms unless `status=retired`."""
    with db.read() as session:
        return services.list_forms(session, status, department, duty, page, per_page)


@get("/api/v1/forms/stats", opt=public(), sync_to_thread=True, operation_id="formStats", tags=TAGS)
def form_stats(db: Database) -> FormStats:
    """Forms, indicators, shared indicators, and entries per village per year with and without sharing."""
    with db.read() as session:
        return services.stats(session)


@get("/api/v1/forms/{code:str}", opt=public(), sync_to_thread=True, operation_id="getForm", tags=TAGS,
     responses=errors(404))
def get_form(db: Database, code: str) -> FormDetail:
    """FORM plus `questions`: its indicators in column order."""
    with db.read() as session:
        return services.form_detail(session, code)


@get("/api/v1/indicators", opt=public(), sync_to_thread=True, operation_id="listIndicators", tags=TAGS)
def list_indicators(db: Database, q: Query = None, page: PageNumber = 1, per_page: PerPage = 20) -> IndicatorPage:
    """The indicator dictionary by code; `q` matches a substring of code, name, unit or definition."""
    with db.read() as session:
        return services.list_indicators(session, q, page, per_page)


@put("/api/v1/regions/{village:str}/data/{period:str}", opt=roles(Role.CADRE), sync_to_thread=True,
     security=BEARER_SECURITY, operation_id="enterVillageData", tags=TAGS, responses=errors(404))
def enter_data(request: Request, db: Database, village: str, period: str, data: DataIn) -> DataPublic:
    """Enter values for a period (that village's cadre, or its town's): each stored once and serving every
    form that asks it; a replaced value goes to the history."""
    principal = current_principal(request)
    assert principal is not None
    return village_data.enter_data(db, principal, village, period, data)


@get("/api/v1/regions/{village:str}/data/{period:str}", opt=roles(*DATA_ROLES), sync_to_thread=True,
     security=BEARER_SECURITY, operation_id="getVillageData", tags=TAGS, responses=errors(404, 422))
def get_data(request: Request, db: Database, village: str, period: Period) -> DataPublic:
    """The village's values for a period, and which of its forms they complete."""
    principal = current_principal(request)
    assert principal is not None
    return village_data.read_data(db, principal, village, period)


@get("/api/v1/regions/{village:str}/data/{period:str}/history", opt=roles(*DATA_ROLES), sync_to_thread=True,
     security=BEARER_SECURITY, operation_id="getVillageDataHistory", tags=TAGS, responses=errors(404, 422))
def get_history(request: Request, db: Database, village: str, period: Period) -> DataHistory:
    """Every value entered for the period, the one in force first, then those it replaced."""
    principal = current_principal(request)
    assert principal is not None
    return village_data.data_history(db, principal, village, period)


@get("/api/v1/forms/{code:str}/submissions", opt=roles(*SUBMISSION_ROLES), sync_to_thread=True,
     security=BEARER_SECURITY, operation_id="formSubmissions", tags=TAGS, responses=errors(404, 422))
def form_submissions(request: Request, db: Database, code: str, period: Period,
                     fmt: Annotated[Literal["json", "csv", "xlsx"], Parameter(query="format")] = "json",
                     ) -> Response[Submissions] | Response[bytes]:
    """One row per village that fills the form: `{region, values, complete}`; `?format=csv|xlsx` downloads it."""
    principal = current_principal(request)
    assert principal is not None
    found = village_data.submissions(db, principal, code, period)
    if fmt not in export.MEDIA_TYPES:
        return Response(content=found)
    with db.read() as session:
        questions = services.form_detail(session, code).questions
        stamp = export.stamp_of(session, local_date(utcnow()), found.form.department.code)
        names = export.filename(session, found, fmt)
    return Response(content=export.render(found, questions, fmt, stamp), media_type=export.MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": attachment(*names)})


routes = [list_forms, form_stats, get_form, list_indicators, enter_data, get_data, get_history, form_submissions]
