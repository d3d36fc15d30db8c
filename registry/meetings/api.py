"""JSON routes of meetings (contract §9): call one (with its flags), list them, a region's monthly calendar."""

from datetime import date
from typing import Annotated

from litestar import Request, get, post
from litestar.params import Parameter

from registry.choices import Role
from registry.db import Database
from registry.meetings import services
from registry.meetings.schemas import MeetingCalendar, MeetingCreate, MeetingFlagPublic, MeetingPage, MeetingPublic
from registry.secondments.services import today_in_shanghai
from registry.web.auth import current_principal
from registry.web.guards import public, roles
from registry.web.openapi import BEARER_SECURITY, errors

TAGS = ["meetings"]


@post("/api/v1/meetings", opt=roles(Role.DEPARTMENT), status_code=201, operation_id="callMeeting", tags=TAGS,
      security=BEARER_SECURITY, sync_to_thread=True)
def call_meeting(request: Request, db: Database, data: MeetingCreate) -> MeetingPublic:
    """Call a meeting for towns or villages; 201 with its flags (unrelated_audience, rank, mergeable)."""
    principal = current_principal(request)
    assert principal is not None
    meeting_id = services.call_meeting(db, principal, data)
    with db.read() as session:
        return services.meeting_for(session, meeting_id)


@post("/api/v1/meetings/check", opt=roles(Role.DEPARTMENT), status_code=200, operation_id="checkMeeting",
      tags=TAGS, security=BEARER_SECURITY, sync_to_thread=True)
def check_meeting(request: Request, db: Database, data: MeetingCreate) -> list[MeetingFlagPublic]:
    """The flags the meeting would get, before it is called; nothing is saved."""
    principal = current_principal(request)
    assert principal is not None
    with db.read() as session:
        return services.check_flags(session, principal, data)


@get("/api/v1/meetings", opt=public(), sync_to_thread=True, operation_id="listMeetings", tags=TAGS,
     responses=errors(404))
def list_meetings(
    db: Database,
    department: Annotated[str | None, Parameter(max_length=32)] = None,
    region: Annotated[str | None, Parameter(max_length=12)] = None,
    start: Annotated[date | None, Parameter(query="from")] = None,
    end: Annotated[date | None, Parameter(query="to")] = None,
    page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
) -> MeetingPage:
    """Meetings, latest first; `department`, `region` (it or a region below invited), `from`/`to` dates."""
    with db.read() as session:
        return services.list_page(session, page, per_page, department, region, start, end)


@get("/api/v1/meetings/{meeting_id:int}", opt=public(), sync_to_thread=True, operation_id="getMeeting", tags=TAGS)
def get_meeting(db: Database, meeting_id: int) -> MeetingPublic:
    with db.read() as session:
        return services.meeting_for(session, meeting_id)


@get("/api/v1/regions/{code:str}/meetings", opt=public(), sync_to_thread=True, operation_id="regionMeetings",
     tags=TAGS)
def region_meetings(db: Database, code: str,
                    month: Annotated[str | None, Parameter(max_length=7)] = None) -> MeetingCalendar:
    """A town's or village's meetings in a month (default: this month), counted against meetings_per_year / 12."""
    with db.read() as session:
        return services.calendar(session, code[:12], month or today_in_shanghai().strftime("%Y-%m"))


routes = [call_meeting, check_meeting, list_meetings, get_meeting, region_meetings]
