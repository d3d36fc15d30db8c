"""The review queue page: per department, what is due, overdue or lapsing, with the villages' ratings beside it;
a clerk of the department renews, amends or retires from there."""

from datetime import date

from litestar import MediaType, Request, get
from litestar.response import Template

from registry.choices import RequestKind, ReviewState, Role
from registry.db import Database
from registry.i18n import gettext as _
from registry.reviews import services
from registry.reviews.api import queue_for
from registry.web.auth import current_principal
from registry.web.guards import public
from registry.web.pages import render


@get("/reviews", opt=public(), sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def reviews_page(request: Request, db: Database, before: date | None = None) -> Template:
    principal = current_principal(request)
    before, items = queue_for(db, before, None)
    own = principal.department_code if principal is not None and principal.role == Role.DEPARTMENT else None
    counts = {state: sum(item.review_state == state for item in items) for state in ReviewState}
    return render(request, "reviews/index.html", before=before, groups=services.by_department(items), counts=counts,
                  own_department=own, kinds=RequestKind, states=list(ReviewState),
                  breadcrumb_items=[(_("Home"), "/"), (_("Duties due for review"), None)])


routes = [reviews_page]
