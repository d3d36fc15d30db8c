"""Joint assessments (考核督查, contract §8): the office merges several assessments into one, and a village's
`TOTALS.assessments` then counts the members on its list once (registry.burden.totals does the counting).

A member is an assessment name as duties in force hold it in `burdens.assessments` (the catalog has no assessment
codes); the office's spelling is matched after NFKC, case folding and without spaces. A name joins at most one
joint assessment. Each merge appends one `assessments.joined` ledger entry naming the office's department (never
a person) and an audit record naming the account; the catalog edition does not move.
"""

import unicodedata

from sqlmodel import Session, col, func, select

from registry.accounts.models import AuditEvent
from registry.accounts.services import Principal
from registry.assessments.models import JointAssessment, JointAssessmentMember
from registry.assessments.schemas import JointAssessmentIn, JointAssessmentPublic
from registry.choices import N_, AuditKind, LedgerKind, Role, TotalsField
from registry.db import Database
from registry.errors import Conflict, FieldProblem, Forbidden, Invalid
from registry.ledger import chain
from registry.regions.models import Department
from registry.regions.services import department_lookup, department_public
from registry.timeutil import iso_utc

UNKNOWN_MEMBER = N_("No duty in force lists the assessment “%(name)s”.")
MEMBER_TWICE = N_("The assessment “%(name)s” is listed twice.")
TITLE_TAKEN = N_("A joint assessment is already called “%(title)s”.")
ALREADY_JOINED = N_("The assessment “%(name)s” is already part of the joint assessment “%(title)s”.")


def name_key(name: str) -> str:
    """How two spellings of one assessment name are compared (NFKC, case-folded, no whitespace)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def joined_names(session: Session) -> dict[str, int]:
    """{member name: joint assessment id} for every joint assessment (a small table, read whole)."""
    return dict(session.exec(select(JointAssessmentMember.name, JointAssessmentMember.joint_id)).all())


def joint_token(session: Session) -> str:
    """Changes whenever a joint assessment is made (they are never changed or removed): for ETags of pages that
    show TOTALS."""
    newest = session.exec(select(func.max(JointAssessment.id))).one()
    return f"j{newest or 0}"


def assessment_names(session: Session) -> dict[str, str]:
    """{name_key: name} of every assessment that a duty in force lists (from the cached burden snapshot)."""
    from registry.burden.profile import snapshot  # burden imports this module: import at call time

    def compute() -> dict[str, str]:
        found: dict[str, str] = {}
        for items in snap.by_scope.values():
            for item in items:
                for name in (item.shape.burdens or {}).get(TotalsField.ASSESSMENTS.value) or []:
                    found.setdefault(name_key(name), name)
        return found

    snap = snapshot(session)
    return snap.memo(("assessment_names",), compute)


def joint_assessments(session: Session) -> list[JointAssessmentPublic]:
    """Every joint assessment, oldest first, with its members in the office's order."""
    departments = department_lookup(session)
    members: dict[int, list[str]] = {}
    for row in session.exec(select(JointAssessmentMember).order_by(col(JointAssessmentMember.joint_id),
                                                                   col(JointAssessmentMember.position))):
        members.setdefault(row.joint_id, []).append(row.name)
    found = []
    for joint in session.exec(select(JointAssessment).order_by(col(JointAssessment.id))):
        department = departments.public(joint.department_id)
        assert department is not None and joint.id is not None
        found.append(JointAssessmentPublic(id=joint.id, title=joint.title, members=members.get(joint.id, []),
                                           department=department, created_at=iso_utc(joint.created_at) or ""))
    return found


def _resolve(session: Session, wanted: list[str]) -> list[str]:
    """The members as duties spell them; Invalid naming each unknown or repeated one."""
    known = assessment_names(session)
    resolved: list[str] = []
    problems: list[FieldProblem] = []
    for position, member in enumerate(wanted):
        name = known.get(name_key(member))
        if name is None:
            problems.append(FieldProblem(f"members.{position}", UNKNOWN_MEMBER, name=member))
        elif name in resolved:
            problems.append(FieldProblem(f"members.{position}", MEMBER_TWICE, name=member))
        else:
            resolved.append(name)
    if problems:
        raise Invalid(problems)
    return resolved


def create_joint(db: Database, principal: Principal, data: JointAssessmentIn) -> JointAssessmentPublic:
    """Merge the members into one joint assessment (the office), in one serialised transaction with its ledger
    entry and audit record."""
    if principal.role != Role.OFFICE or principal.department_id is None:
        raise Forbidden()
    with db.write(exclusive=True) as session:
        members = _resolve(session, data.members)
        if session.exec(select(JointAssessment.id).where(JointAssessment.title == data.title)).first() is not None:
            raise Conflict(TITLE_TAKEN, title=data.title)
        taken = session.exec(
            select(JointAssessmentMember.name, JointAssessment.title)
            .join(JointAssessment, col(JointAssessment.id) == col(JointAssessmentMember.joint_id))
            .where(col(JointAssessmentMember.name).in_(members))
            .order_by(col(JointAssessmentMember.name))
        ).first()
        if taken is not None:
            raise Conflict(ALREADY_JOINED, name=taken[0], title=taken[1])
        department = session.get(Department, principal.department_id)
        assert department is not None
        joint = JointAssessment(title=data.title, department_id=principal.department_id)
        session.add(joint)
        session.flush()
        assert joint.id is not None
        for position, name in enumerate(members):
            session.add(JointAssessmentMember(name=name, joint_id=joint.id, position=position))
        public = JointAssessmentPublic(id=joint.id, title=joint.title, members=members,
                                       department=department_public(department),
                                       created_at=iso_utc(joint.created_at) or "")
        chain.append(session, LedgerKind.ASSESSMENTS_JOINED,
                     {"id": joint.id, "title": joint.title, "members": members, "department": public.department})
        session.add(AuditEvent(kind=AuditKind.ASSESSMENTS_JOINED, actor=principal.name[:64],
                               detail=f"{joint.title}: {'; '.join(members)}"[:500]))
        session.flush()
        return public
