"""The joint assessments page: every merge (anyone), and the office's form to merge assessments."""

from litestar import MediaType, Request, get, post
from litestar.response import Template

from registry.assessments import services
from registry.assessments.schemas import JointAssessmentIn
from registry.choices import Role
from registry.db import Database
from registry.errors import Conflict, Invalid
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data


def _page(request: Request, db: Database, values: dict, errors: list[str], status_code: int = 200) -> Template:
    principal = current_principal(request)
    with db.read() as session:
        joints = services.joint_assessments(session)
        joined = services.joined_names(session)
        names = sorted(set(services.assessment_names(session).values()) - set(joined))
    return render(request, "assessments/joint.html", status_code=status_code, joints=joints, names=names,
                  may_merge=principal is not None and principal.role == Role.OFFICE, values=values, errors=errors,
                  breadcrumb_items=[(_("Home"), "/"), (_("Joint assessments"), None)])


@get("/assessments", opt=public(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def joint_page(request: Request, db: Database) -> Template:
    """Every joint assessment; for the office, the form that merges assessments in force."""
    return _page(request, db, {"title": "", "members": []}, [])


@post("/assessments", opt=roles(Role.OFFICE), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def joint_submit(request: Request, db: Database, form: FormValues) -> object:
    principal = current_principal(request)
    assert principal is not None
    values = {"title": form.text("title"), "members": [m for m in form.getall("members") if m.strip()]}
    try:
        joint = services.create_joint(db, principal, parse_data(JointAssessmentIn, values))
    except Invalid as exc:
        return _page(request, db, values, [p["message"] for p in translated_problems(exc.problems)], 422)
    except Conflict as exc:
        return _page(request, db, values, [_(exc.message, **exc.params)], 409)
    notify(request, _("The joint assessment “%(title)s” is recorded.", title=joint.title), "success")
    return redirect("/assessments")


routes = [joint_page, joint_submit]
