"""Pages of meetings: the list, a meeting, the department's form (its flags shown before it is called), and a
town's or village's calendar counted against the meetings cap."""

from typing import Annotated

from litestar import MediaType, Request, get, post
from litestar.params import Parameter
from litestar.response import Template

from registry.choices import Attendee, RegionLevel, Role
from registry.db import Database
from registry.errors import Invalid
from registry.i18n import gettext as _
from registry.i18n import translated_problems
from registry.meetings import services
from registry.meetings.schemas import MeetingCreate
from registry.regions.services import region_index
from registry.secondments.services import today_in_shanghai
from registry.web.auth import current_principal
from registry.web.guards import public, public_page, roles
from registry.web.pages import FormValues, notify, redirect, render
from registry.web.validation import parse_data

CHECK = "check"


def _crumbs(*items: tuple[str, str | None]) -> list:
    return [(_("Home"), "/"), (_("Meetings"), "/meetings"), *items]


@get("/meetings", opt=public(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def meetings_page(request: Request, db: Database, page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1) -> Template:
    """Every meeting, latest first, with its flags."""
    with db.read() as session:
        found = services.list_page(session, page, 50)
        towns = [r for r in region_index(session).by_code.values() if r.level == RegionLevel.TOWN]
    return render(request, "meetings/list.html", found=found, towns=sorted(towns, key=lambda r: r.code),
                  breadcrumb_items=_crumbs())


def _names(index) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Region names by code: flags name regions by name, the code secondary."""
    return {code: region.name for code, region in index.by_code.items()}


def _form(request: Request, db: Database, values: dict, errors: dict, flags: list | None = None,
          status_code: int = 200) -> Template:
    with db.read() as session:
        index = region_index(session)
        towns = [(t, index.children_of(t)) for t in sorted(index.by_code.values(), key=lambda r: r.code)
                 if t.level == RegionLevel.TOWN]
    return render(request, "meetings/form.html", status_code=status_code, values=values, errors=errors,
                  flags=flags, towns=towns, attendees=list(Attendee), region_names=_names(index),
                  breadcrumb_items=_crumbs((_("New meeting"), None)))


@get("/meetings/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def new_page(request: Request, db: Database) -> Template:
    return _form(request, db, {"regions": [], "attendee": Attendee.BUSINESS_LEAD.value}, {})


@post("/meetings/new", opt=roles(Role.DEPARTMENT), sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def new_submit(request: Request, db: Database, form: FormValues) -> object:
    """`action=check` shows the flags the meeting would get; otherwise it is called (422 with the problems)."""
    principal = current_principal(request)
    assert principal is not None
    attendee = form.text("attendee") or None
    body = {"title": form.text("title"), "held_on": form.text("held_on") or None,
            "audience": [{"region_code": code, "attendee": attendee} for code in form.getall("regions")],
            "duty_code": form.text("duty_code") or None, "reason_for_rank": form.text("reason_for_rank") or None}
    values = {**form, "regions": form.getall("regions")}
    try:
        data = parse_data(MeetingCreate, body)
        if form.get("action") == CHECK:
            with db.read() as session:
                flags = services.check_flags(session, principal, data)
            return _form(request, db, values, {}, flags=flags)
        meeting_id = services.call_meeting(db, principal, data)
    except Invalid as exc:
        errors: dict[str, str] = {}
        for problem in translated_problems(exc.problems):
            errors.setdefault(problem["field"].split(".")[0], problem["message"])
        return _form(request, db, values, errors, status_code=422)
    notify(request, _("The meeting was called."), "success")
    return redirect(f"/meetings/{meeting_id}")


@get("/meetings/{meeting_id:int}", opt=public_page(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def meeting_page(request: Request, db: Database, meeting_id: int) -> Template:
    with db.read() as session:
        item = services.meeting_for(session, meeting_id)
        names = _names(region_index(session))
    return render(request, "meetings/detail.html", item=item, region_names=names,
                  breadcrumb_items=_crumbs((item.title, None)))


@get("/meetings/calendar/{code:str}", opt=public_page(), sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def calendar_page(request: Request, db: Database, code: str,
                  month: Annotated[str | None, Parameter(max_length=7)] = None) -> Template:
    """A town's or village's meetings of a month; each village's count against meetings_per_year / 12."""
    with db.read() as session:
        found = services.calendar(session, code[:12], month or today_in_shanghai().strftime("%Y-%m"))
    return render(request, "meetings/calendar.html", found=found,
                  breadcrumb_items=_crumbs((found.region.name, None)))


routes = [meetings_page, new_page, new_submit, meeting_page, calendar_page]
