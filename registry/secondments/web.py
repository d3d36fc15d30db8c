"""Pages of secondments: the public list, figures and a town's staff away; the department's filing form; the
parties' own page (with staff numbers) where the home unit and the 组织部 consent and the 组织部 records
outcomes; temporary bodies. No public page ever shows a person (see services.secondment_public)."""

from typing import Annotated

from litestar import MediaType, Request, get, post
from litestar.params import Parameter
from litestar.response import Template

from registry.accounts.services import Principal
from registry.choices import ConsentDecision, ConsentParty, RegionLevel, Role, SecondmentOutcome, SecondmentState
from registry.db import Database
from registry.errors import Invalid
from registry.i18n import first_problem_of_each_input
from registry.i18n import gettext as _
from registry.secondments import services, workflow
from registry.secondments.models import Secondment
from registry.secondments.schemas import ConsentIn, OutcomeIn, SecondmentCreate, TemporaryBodyCreate
from registry.web.auth import current_principal
from registry.web.guards import public, public_page, roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data

PARTIES = (Role.DEPARTMENT, Role.REVIEWER, Role.CADRE, Role.ADMIN)
FORM_FIELDS = tuple(SecondmentCreate.model_fields)  # the form's inputs are the API body's fields


def _principal(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None
    return principal


def errors_by_field(exc: Invalid) -> dict[str, str]:
    return first_problem_of_each_input(exc.problems)


def _crumbs(*items: tuple[str, str | None]) -> list:
    return [(_("Home"), "/"), (_("Secondments"), "/secondments"), *items]


@get("/secondments", opt=public(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def secondments_page(request: Request, db: Database,
                     secondment_state: Annotated[SecondmentState | None, Parameter(query="state")] = None,
                     page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1) -> Template:
    """Every secondment one may see, newest first, without persons."""
    with db.read() as session:
        found = services.list_page(session, current_principal(request), secondment_state, page, 50)
        figures = services.statistics(session)
    return render(request, "secondments/list.html", found=found, figures=figures, state=secondment_state,
                  states=list(SecondmentState), breadcrumb_items=_crumbs())


@get("/secondments/stats", opt=public_page(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def stats_page(request: Request, db: Database) -> Template:
    """The clean-up figures stated as the seed states them (units checked, cleared, transferred, returned)."""
    with db.read() as session:
        figures = services.statistics(session)
        towns = [r for r in services.region_index(session).by_code.values() if r.level == RegionLevel.TOWN]
    return render(request, "secondments/stats.html", figures=figures, towns=sorted(towns, key=lambda r: r.code),
                  breadcrumb_items=_crumbs((_("Figures"), None)))


@get("/secondments/towns/{code:str}", opt=public_page(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def town_page(request: Request, db: Database, code: str) -> Template:
    """How many of a town's staff are away today and for how long."""
    with db.read() as session:
        away = services.town_away(session, code[:20], services.today_in_shanghai())
    return render(request, "secondments/town.html", away=away,
                  breadcrumb_items=_crumbs((away.town.name, None)))


@get("/secondments/mine", opt=roles(*PARTIES), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def mine_page(request: Request, db: Database) -> Template:
    """The parties' own page: what waits for my consent, and the secondments I am party to, with staff numbers."""
    principal = _principal(request)
    with db.read() as session:
        waiting = services.waiting_for_me(session, principal)
        found = services.list_page(session, principal, None, 1, 100, with_person=True)
    return render(request, "secondments/mine.html", waiting=waiting, found=found,
                  decisions=list(ConsentDecision), outcomes=list(SecondmentOutcome),
                  organisation=services.is_organisation(principal),
                  breadcrumb_items=_crumbs((_("My secondments"), None)))


def _form(request: Request, db: Database, values: dict, errors: dict, status_code: int = 200) -> Template:
    principal = _principal(request)
    with db.read() as session:
        bodies = [b for b in services.temporary_bodies_public(session)
                  if b.lead_department == principal.department_code and not b.ended]
    return render(request, "secondments/form.html", status_code=status_code, values=values, errors=errors,
                  bodies=bodies, breadcrumb_items=_crumbs((_("New secondment"), None)))


@get("/secondments/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def new_page(request: Request, db: Database) -> Template:
    return _form(request, db, {}, {})


@post("/secondments/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def new_submit(request: Request, db: Database, form: FormValues) -> object:
    """File the secondment; a refusal shows the form again with each field's problem (422)."""
    body = {name: form.text(name) or None for name in FORM_FIELDS}
    try:
        secondment_id = workflow.file_secondment(db, _principal(request), parse_data(SecondmentCreate, body))
    except Invalid as exc:
        return _form(request, db, dict(form), errors_by_field(exc), status_code=422)
    notify(request, _("The secondment was filed; it waits for the consent of the home unit and the organisation "
                      "department."), "success")
    return redirect(f"/secondments/{secondment_id}")


@get("/secondments/{secondment_id:int}", opt=public(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def detail_page(request: Request, db: Database, secondment_id: int) -> Template:
    """One secondment with its consents and flags; the forms its viewer may use (never the person)."""
    principal = current_principal(request)
    with db.read() as session:
        item = services.secondment_for(session, principal, secondment_id)
        row = session.get(Secondment, secondment_id)
        lookups = services.Lookups.load(session, [row])  # type: ignore[list-item]
        can_consent = principal is not None and any(
            services.can_consent_as(principal, row, ConsentParty(p), lookups.index)  # type: ignore[arg-type]
            for p in item.waiting_for)
    can_outcome = services.is_organisation(principal) and item.state == SecondmentState.APPROVED
    return render(request, "secondments/detail.html", item=item, can_consent=can_consent, can_outcome=can_outcome,
                  decisions=list(ConsentDecision), outcomes=list(SecondmentOutcome),
                  breadcrumb_items=_crumbs((item.number, None)))


@post("/secondments/{secondment_id:int}/consent", opt=roles(Role.CADRE, Role.REVIEWER), sync_to_thread=True,
      include_in_schema=False, media_type=MediaType.HTML)
def consent_submit(request: Request, db: Database, secondment_id: int, form: FormValues) -> object:
    data = parse_data(ConsentIn, {"decision": form.text("decision") or None, "reason": form.text("reason")})
    workflow.consent(db, _principal(request), secondment_id, data)
    notify(request, _("Your answer was recorded."), "success")
    return redirect(f"/secondments/{secondment_id}")


@post("/secondments/{secondment_id:int}/outcome", opt=roles(Role.REVIEWER), sync_to_thread=True,
      include_in_schema=False, media_type=MediaType.HTML)
def outcome_submit(request: Request, db: Database, secondment_id: int, form: FormValues) -> object:
    data = parse_data(OutcomeIn, {"outcome": form.text("outcome") or None, "reason": form.text("reason"),
                                  "end_on": form.text("end_on") or None})
    workflow.record_outcome(db, _principal(request), secondment_id, data)
    notify(request, _("The outcome was recorded."), "success")
    return redirect(f"/secondments/{secondment_id}")


@get("/temporary-bodies", opt=public(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def bodies_page(request: Request, db: Database) -> Template:
    """Every temporary body; administrators and the 组织部 register new ones here."""
    principal = current_principal(request)
    with db.read() as session:
        bodies = services.temporary_bodies_public(session)
    may_register = principal is not None and (principal.role == Role.ADMIN or services.is_organisation(principal))
    return render(request, "secondments/bodies.html", bodies=bodies, may_register=may_register, values={},
                  errors={}, breadcrumb_items=_crumbs((_("Temporary bodies"), None)))


@post("/temporary-bodies", opt=roles(Role.ADMIN, Role.REVIEWER), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def bodies_submit(request: Request, db: Database, form: FormValues) -> object:
    body = {name: form.text(name) or None for name in TemporaryBodyCreate.model_fields}
    workflow.register_body(db, _principal(request), parse_data(TemporaryBodyCreate, body))
    notify(request, _("The temporary body was registered."), "success")
    return redirect("/temporary-bodies")


routes = [
    secondments_page, stats_page, town_page, mine_page, new_page, new_submit, detail_page, consent_submit,
    outcome_submit, bodies_page, bodies_submit,
]
