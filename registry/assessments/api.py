"""JSON routes of joint assessments (contract §8): the office merges assessments; anyone lists the merges."""

from litestar import Request, get, post

from registry.assessments import services
from registry.assessments.schemas import JointAssessmentIn, JointAssessmentPublic
from registry.choices import Role
from registry.db import Database
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY, errors

TAGS = ["assessments"]


@post("/api/v1/assessments/joint", opt=roles(Role.OFFICE), status_code=201, operation_id="joinAssessments",
      tags=TAGS, security=BEARER_SECURITY, sync_to_thread=True, responses=errors(409))
def join_assessments(request: Request, db: Database, data: JointAssessmentIn) -> JointAssessmentPublic:
    """Merge two or more assessments (names as duties' `burdens.assessments` hold them) into one joint assessment;
    every village's `TOTALS.assessments` then counts those on its list once. 422 for an unknown or repeated member,
    409 when the title is taken or a member is already in a joint assessment. Appends an `assessments.joined`
    ledger entry."""
    principal = current_principal(request)
    assert principal is not None
    return services.create_joint(db, principal, data)


@get("/api/v1/assessments/joint", opt=public(), sync_to_thread=True, operation_id="listJointAssessments", tags=TAGS)
def list_joint_assessments(db: Database) -> list[JointAssessmentPublic]:
    """Every joint assessment, oldest first."""
    with db.read() as session:
        return services.joint_assessments(session)


routes = [join_assessments, list_joint_assessments]
