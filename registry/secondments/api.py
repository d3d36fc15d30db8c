"""JSON routes of secondments and temporary bodies (contract §9). Public routes never carry a person:
`person_ref` is answered only on the parties' own routes (filing, consent, outcome, `/secondments/mine`)."""

from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from registry.accounts.services import Principal
from registry.choices import Role, SecondmentState
from registry.db import Database
from registry.secondments import services, workflow
from registry.secondments.schemas import (
    ConsentIn,
    OutcomeIn,
    SecondmentCreate,
    SecondmentPage,
    SecondmentPublic,
    SecondmentStats,
    TemporaryBodyCreate,
    TemporaryBodyPublic,
    TownAway,
)
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY

TAGS = ["secondments"]
PARTIES = (Role.DEPARTMENT, Role.REVIEWER, Role.CADRE, Role.ADMIN)
Page = Annotated[int, Parameter(ge=1, le=1_000_000)]
PerPage = Annotated[int, Parameter(ge=1, le=100)]


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None  # the access guard let only signed-in roles through
    return principal


def _with_person(db: Database, principal: Principal, secondment_id: int) -> SecondmentPublic:
    with db.read() as session:
        return services.secondment_for(session, principal, secondment_id, with_person=True)


@post("/api/v1/secondments", opt=roles(Role.DEPARTMENT), status_code=201, operation_id="createSecondment",
      tags=TAGS, security=BEARER_SECURITY, sync_to_thread=True)
def create_secondment(request: Request, db: Database, data: SecondmentCreate) -> SecondmentPublic:
    """File a secondment for your department (or a temporary body it leads); it waits for both consents."""
    principal = _principal(request)
    return _with_person(db, principal, workflow.file_secondment(db, principal, data))


@get("/api/v1/secondments", opt=public(), sync_to_thread=True, operation_id="listSecondments", tags=TAGS)
def list_secondments(
    request: Request, db: Database,
    secondment_state: Annotated[SecondmentState | None, Parameter(query="state")] = None,
    home: Annotated[str | None, Parameter(max_length=32)] = None,
    host: Annotated[str | None, Parameter(max_length=32)] = None,
    page: Page = 1, per_page: PerPage = 20,
) -> SecondmentPage:
    """Secondments newest first (those awaiting consent only for their parties); never a person."""
    with db.read() as session:
        return services.list_page(session, current_principal(request), secondment_state, page, per_page, home, host)


@get("/api/v1/secondments/mine", opt=roles(*PARTIES), sync_to_thread=True, security=BEARER_SECURITY,
     operation_id="listMySecondments", tags=TAGS)
def my_secondments(
    request: Request, db: Database,
    secondment_state: Annotated[SecondmentState | None, Parameter(query="state")] = None,
    page: Page = 1, per_page: PerPage = 20,
) -> SecondmentPage:
    """The secondments you are a party to (host, home unit, 组织部; admins all), with `person_ref`."""
    with db.read() as session:
        return services.list_page(session, _principal(request), secondment_state, page, per_page, with_person=True)


@get("/api/v1/secondments/stats", opt=public(), sync_to_thread=True, operation_id="secondmentStats", tags=TAGS)
def secondment_stats(db: Database) -> SecondmentStats:
    """The clean-up figures: units checked, active, cleared, returned, transferred, extended, longer than 6 months."""
    with db.read() as session:
        return services.statistics(session)


@get("/api/v1/secondments/towns/{code:str}", opt=public(), sync_to_thread=True, operation_id="townStaffAway",
     tags=TAGS)
def town_staff_away(db: Database, code: str) -> TownAway:
    """How many of a town's staff are away today, and for how long (no persons)."""
    with db.read() as session:
        return services.town_away(session, code[:20], services.today_in_shanghai())


@get("/api/v1/secondments/{secondment_id:int}", opt=public(), sync_to_thread=True, operation_id="getSecondment",
     tags=TAGS)
def get_secondment(request: Request, db: Database, secondment_id: int) -> SecondmentPublic:
    """One secondment (awaiting consent: only its parties; anyone else 404); never a person."""
    with db.read() as session:
        return services.secondment_for(session, current_principal(request), secondment_id)


@post("/api/v1/secondments/{secondment_id:int}/consent", opt=roles(Role.CADRE, Role.REVIEWER), status_code=200,
      operation_id="consentToSecondment", tags=TAGS, security=BEARER_SECURITY, sync_to_thread=True)
def consent_to_secondment(request: Request, db: Database, secondment_id: int, data: ConsentIn) -> SecondmentPublic:
    """The home unit's or the 组织部's written consent or refusal, with its reason."""
    principal = _principal(request)
    return _with_person(db, principal, workflow.consent(db, principal, secondment_id, data))


@post("/api/v1/secondments/{secondment_id:int}/outcome", opt=roles(Role.REVIEWER), status_code=200,
      operation_id="recordSecondmentOutcome", tags=TAGS, security=BEARER_SECURITY, sync_to_thread=True)
def record_outcome(request: Request, db: Database, secondment_id: int, data: OutcomeIn) -> SecondmentPublic:
    """The 组织部's clean-up: returned, transferred (both end it) or extended (new `end_on`, consents again)."""
    principal = _principal(request)
    return _with_person(db, principal, workflow.record_outcome(db, principal, secondment_id, data))


@get("/api/v1/temporary-bodies", opt=public(), sync_to_thread=True, operation_id="listTemporaryBodies",
     tags=TAGS)
def list_temporary_bodies(db: Database) -> list[TemporaryBodyPublic]:
    """Every temporary body and work group, by code, ended ones included (`ended`)."""
    with db.read() as session:
        return services.temporary_bodies_public(session)


@post("/api/v1/temporary-bodies", opt=roles(Role.ADMIN, Role.REVIEWER), status_code=201, security=BEARER_SECURITY,
      operation_id="registerTemporaryBody", tags=TAGS, sync_to_thread=True)
def register_temporary_body(request: Request, db: Database, data: TemporaryBodyCreate) -> TemporaryBodyPublic:
    """Register a temporary body with its lead department and end date (admins, the 组织部's reviewers)."""
    return workflow.register_body(db, _principal(request), data)


routes = [
    create_secondment, list_secondments, my_secondments, secondment_stats, town_staff_away, get_secondment,
    consent_to_secondment, record_outcome, list_temporary_bodies, register_temporary_body,
]
