"""JSON routes of admission: file, edit, submit, withdraw and decide requests; read them (contract §2)."""

from typing import Annotated

from litestar import Request, get, patch, post
from litestar.params import Parameter

from registry.accounts.services import Principal
from registry.admission import decision, services, workflow
from registry.admission.schemas import (
    DecisionIn,
    RequestCreate,
    RequestPage,
    RequestPublic,
    RequestUpdate,
    ReviewStagePublic,
)
from registry.choices import RequestState, Role
from registry.db import Database
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY

TAGS = ["requests"]


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None  # the access guard let only signed-in roles through
    return principal


@post("/api/v1/requests", opt=roles(Role.DEPARTMENT), status_code=201, operation_id="createRequest", tags=TAGS,
      security=BEARER_SECURITY, sync_to_thread=True)
def create_request(request: Request, db: Database, data: RequestCreate) -> RequestPublic:
    """File a request (a draft, or submitted at once with `submit: true`)."""
    principal = _principal(request)
    return services.request_for(db, principal, workflow.create(db, principal, data))


@get("/api/v1/requests", opt=public(), sync_to_thread=True, operation_id="listRequests", tags=TAGS)
def list_requests(
    request: Request,
    db: Database,
    request_state: Annotated[RequestState | None, Parameter(query="state")] = None,
    department: Annotated[str | None, Parameter(max_length=32)] = None,
    year: Annotated[int | None, Parameter(ge=2000, le=9999)] = None,
    page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
) -> RequestPage:
    """Decided requests (approved, rejected) with their decisions and reasons, for everyone (公示); a department
    also lists its own undecided requests, reviewers and admins every submitted one. Newest first; `department`
    (the filing department's code) and `year` (the year in the request number) narrow the list."""
    with db.read() as session:
        return services.list_page(session, current_principal(request), request_state, page, per_page,
                                  department=department, year=year)


@get("/api/v1/requests/{request_id:int}", opt=public(), sync_to_thread=True, operation_id="getRequest", tags=TAGS)
def get_request(request: Request, request_id: int, db: Database) -> RequestPublic:
    """Public once approved or rejected (公示); before that only its department, reviewers and admins."""
    return services.request_for(db, current_principal(request), request_id)


@patch("/api/v1/requests/{request_id:int}", opt=roles(Role.DEPARTMENT), operation_id="updateRequest", tags=TAGS,
       security=BEARER_SECURITY, sync_to_thread=True)
def update_request(request: Request, request_id: int, db: Database, data: RequestUpdate) -> RequestPublic:
    """Edit a draft or returned request; a stale `row_version` gets 409."""
    principal = _principal(request)
    return services.request_for(db, principal, workflow.update(db, principal, request_id, data))


@post("/api/v1/requests/{request_id:int}/submit", opt=roles(Role.DEPARTMENT), status_code=200, security=BEARER_SECURITY,
      operation_id="submitRequest", tags=TAGS, sync_to_thread=True)
def submit_request(request: Request, request_id: int, db: Database) -> RequestPublic:
    """draft/returned → submitted at the first review stage."""
    principal = _principal(request)
    return services.request_for(db, principal, workflow.submit(db, principal, request_id))


@post("/api/v1/requests/{request_id:int}/withdraw", opt=roles(Role.DEPARTMENT),
      status_code=200, security=BEARER_SECURITY,
      operation_id="withdrawRequest", tags=TAGS, sync_to_thread=True)
def withdraw_request(request: Request, request_id: int, db: Database) -> RequestPublic:
    """Any undecided state → withdrawn."""
    principal = _principal(request)
    return services.request_for(db, principal, workflow.withdraw(db, principal, request_id))


@post("/api/v1/requests/{request_id:int}/decision", opt=roles(Role.REVIEWER, Role.ADMIN), status_code=200,
      operation_id="decideRequest", tags=TAGS, security=BEARER_SECURITY, sync_to_thread=True)
def decide_request(request: Request, request_id: int, db: Database, data: DecisionIn) -> RequestPublic:
    """Approve, reject or return at the stage the request waits at; the loser of a race gets 409."""
    principal = _principal(request)
    return services.request_for(db, principal, decision.decide(db, principal, request_id, data))


@get("/api/v1/review-stages", opt=public(), sync_to_thread=True, operation_id="listReviewStages", tags=TAGS)
def list_review_stages(db: Database) -> list[ReviewStagePublic]:
    """The review stages in order, with the departments whose reviewers act at each."""
    with db.read() as session:
        return services.review_stages_public(session)


routes = [
    list_review_stages, create_request, list_requests, get_request, update_request, submit_request, withdraw_request,
    decide_request,
]
