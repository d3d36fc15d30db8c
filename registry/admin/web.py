"""Administration pages (admin only): accounts, tokens, departments, review stages and the audit log.

Thin: each handler asks registry.admin.services (or accounts.services) to make the change, which records who did
it. Destructive actions (disable an account, revoke a token, remove a stage) ask for confirmation: a form posted
without `confirmed=yes` answers with a confirmation page (no JavaScript needed); with JavaScript the button's
`data-confirm` dialog adds the field.
"""

from litestar import MediaType, Request, get, post
from litestar.response import Template

from registry.accounts import services as accounts
from registry.accounts.services import MIN_PASSWORD_LENGTH, Principal
from registry.admin import services
from registry.admin.wording import detail_text
from registry.admission.services import review_stages_public
from registry.choices import DEPARTMENT_ROLES, AuditKind, DepartmentKind, Role
from registry.db import Database
from registry.errors import Conflict, Invalid, NotFound
from registry.i18n import first_problem_of_each_input
from registry.i18n import gettext as _
from registry.regions.picker import picker_choices
from registry.regions.services import department_lookup, region_index
from registry.web.auth import current_principal
from registry.web.guards import roles
from registry.web.pages import FormValues, notify, redirect, render

ADMIN = roles(Role.ADMIN)
CONFIRMED = "yes"


def _actor(request: Request) -> Principal:
    principal = current_principal(request)
    assert principal is not None  # the access guard admits admins only
    return principal


def _errors(exc: Invalid) -> dict[str, str]:
    return first_problem_of_each_input(exc.problems, lambda path: path)


def _confirm(request: Request, form: FormValues, question: str, action: str, back: str) -> Template | None:
    """The confirmation page, unless the form says the user has confirmed."""
    if form.get("confirmed") == CONFIRMED:
        return None
    return render(request, "confirm.html", question=question, action=action, back=back)


@get("/admin", opt=ADMIN, sync_to_thread=False, include_in_schema=False, media_type=MediaType.HTML)
def admin_home(request: Request) -> Template:
    return render(request, "admin/index.html")


def _accounts_page(request: Request, db: Database, values: dict, errors: dict, status_code: int = 200) -> Template:
    with db.read() as session:
        rows = services.accounts(session)
        departments = [d for d, _count in services.departments(session)]
        regions = picker_choices(region_index(session))
    return render(request, "admin/accounts.html", status_code=status_code, rows=rows, departments=departments,
                  regions=regions,
                  roles=list(Role), values=values, errors=errors, min_password=MIN_PASSWORD_LENGTH,
                  department_roles=sorted(DEPARTMENT_ROLES))


@get("/admin/accounts", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def accounts_page(request: Request, db: Database) -> Template:
    return _accounts_page(request, db, {}, {})


@post("/admin/accounts", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def account_create(request: Request, db: Database, form: FormValues) -> object:
    role = form.text("role")
    try:
        user = accounts.create_user(db, form.text("name"), role, form.get("password", ""),
                                    department_code=(form.get("department") or "").strip() or None,
                                    region_code=(form.get("region") or "").strip() or None, actor=_actor(request).name)
    except Invalid as exc:
        return _accounts_page(request, db, dict(form), _errors(exc), status_code=422)
    except Conflict as exc:
        return _accounts_page(request, db, dict(form), {"name": _(exc.message, **exc.params)}, status_code=409)
    notify(request, _("The account %(name)s was created.", name=user.name), "success")
    return redirect(f"/admin/accounts/{user.id}")


def _account_page(request: Request, db: Database, user_id: int, *, token: str | None = None,
                  errors: dict | None = None, status_code: int = 200) -> Template:
    with db.read() as session:
        row, tokens = services.account(session, user_id)
    return render(request, "admin/account.html", status_code=status_code, row=row, tokens=tokens, new_token=token,
                  errors=errors or {}, min_password=MIN_PASSWORD_LENGTH)


@get("/admin/accounts/{user_id:int}", opt=ADMIN, sync_to_thread=True, include_in_schema=False,
     media_type=MediaType.HTML)
def account_page(request: Request, db: Database, user_id: int) -> Template:
    return _account_page(request, db, user_id)


@post("/admin/accounts/{user_id:int}/password", opt=ADMIN, sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def account_password(request: Request, db: Database, user_id: int, form: FormValues) -> object:
    try:
        services.reset_password(db, _actor(request).name, user_id, form.get("password", ""))
    except Invalid as exc:
        return _account_page(request, db, user_id, errors=_errors(exc), status_code=422)
    notify(request, _("The password was reset."), "success")
    return redirect(f"/admin/accounts/{user_id}")


@post("/admin/accounts/{user_id:int}/disable", opt=ADMIN, sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def account_disable(request: Request, db: Database, user_id: int, form: FormValues) -> object:
    with db.read() as session:
        row, _tokens = services.account(session, user_id)
    back = f"/admin/accounts/{user_id}"
    page = _confirm(request, form, _("Disable the account %(name)s? It can no longer sign in, and its sessions "
                                     "and tokens stop working at once.", name=row.name),
                    f"{back}/disable", back)
    if page is not None:
        return page
    try:
        services.set_enabled(db, _actor(request).name, user_id, enabled=False)
    except Conflict as exc:
        notify(request, _(exc.message, **exc.params), "error")
        return redirect(back)
    notify(request, _("The account %(name)s was disabled.", name=row.name), "success")
    return redirect(back)


@post("/admin/accounts/{user_id:int}/enable", opt=ADMIN, sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def account_enable(request: Request, db: Database, user_id: int, form: FormValues) -> object:
    services.set_enabled(db, _actor(request).name, user_id, enabled=True)
    notify(request, _("The account was enabled again."), "success")
    return redirect(f"/admin/accounts/{user_id}")


@post("/admin/accounts/{user_id:int}/tokens", opt=ADMIN, sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def token_issue(request: Request, db: Database, user_id: int, form: FormValues) -> object:
    with db.read() as session:
        row, _tokens = services.account(session, user_id)
    try:
        token = accounts.create_token(db, row.name, actor=_actor(request).name)
    except NotFound as exc:
        notify(request, _(exc.message, **exc.params), "error")
        return redirect(f"/admin/accounts/{user_id}")
    # Shown once, on this page only (never in a flash message or a URL); the response is private, no-store.
    return _account_page(request, db, user_id, token=token)


@post("/admin/accounts/{user_id:int}/tokens/{token_id:int}/revoke", opt=ADMIN, sync_to_thread=True,
      include_in_schema=False, media_type=MediaType.HTML)
def token_revoke(request: Request, db: Database, user_id: int, token_id: int, form: FormValues) -> object:
    with db.read() as session:
        services.account(session, user_id)  # 404 for an unknown account, before asking anything
    back = f"/admin/accounts/{user_id}"
    page = _confirm(request, form, _("Revoke token %(id)s? Scripts that use it stop working at once.", id=token_id),
                    f"{back}/tokens/{token_id}/revoke", back)
    if page is not None:
        return page
    services.revoke_token(db, _actor(request).name, user_id, token_id)
    notify(request, _("The token was revoked."), "success")
    return redirect(back)


def _departments_page(request: Request, db: Database, values: dict, errors: dict, status_code: int = 200) -> Template:
    with db.read() as session:
        rows = services.departments(session)
    return render(request, "admin/departments.html", status_code=status_code, rows=rows, kinds=list(DepartmentKind),
                  values=values, errors=errors)


@get("/admin/departments", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def departments_page(request: Request, db: Database) -> Template:
    return _departments_page(request, db, {}, {})


@post("/admin/departments", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def department_create(request: Request, db: Database, form: FormValues) -> object:
    try:
        services.create_department(db, _actor(request).name, form.get("code") or "", form.text("name"),
                                   form.text("kind"))
    except Invalid as exc:
        return _departments_page(request, db, dict(form), _errors(exc), status_code=422)
    except Conflict as exc:
        return _departments_page(request, db, dict(form), {"code": _(exc.message, **exc.params)}, status_code=409)
    notify(request, _("The department was created."), "success")
    return redirect("/admin/departments")


@post("/admin/departments/{code:str}", opt=ADMIN, sync_to_thread=True, include_in_schema=False,
      media_type=MediaType.HTML)
def department_rename(request: Request, db: Database, code: str, form: FormValues) -> object:
    try:
        services.rename_department(db, _actor(request).name, code, form.text("name"))
    except (Invalid, Conflict) as exc:
        message = _errors(exc).get("name", "") if isinstance(exc, Invalid) else _(exc.message, **exc.params)
        notify(request, message, "error")
        return redirect("/admin/departments")
    notify(request, _("The department was renamed."), "success")
    return redirect("/admin/departments")


def _stages_page(request: Request, db: Database, values: dict, errors: dict, status_code: int = 200) -> Template:
    with db.read() as session:
        stages = review_stages_public(session)
        departments = [d for d, _count in services.departments(session) if d.active]
    return render(request, "admin/stages.html", status_code=status_code, stages=stages, departments=departments,
                  values=values, errors=errors)


@get("/admin/stages", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def stages_page(request: Request, db: Database) -> Template:
    return _stages_page(request, db, {}, {})


@post("/admin/stages", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def stage_create(request: Request, db: Database, form: FormValues) -> object:
    try:
        services.create_stage(db, _actor(request).name, form.get("code") or "", form.text("name"),
                              form.getall("departments"), before=form.text("before") or None)
    except Invalid as exc:
        return _stages_page(request, db, {**form, "departments": form.getall("departments")}, _errors(exc), 422)
    except Conflict as exc:
        return _stages_page(request, db, {**form, "departments": form.getall("departments")},
                            {"code": _(exc.message, **exc.params)}, 409)
    notify(request, _("The review stage was added."), "success")
    return redirect("/admin/stages")


@post("/admin/stages/{code:str}", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def stage_update(request: Request, db: Database, code: str, form: FormValues) -> object:
    action = form.get("action", "save")
    try:
        if action in ("up", "down"):
            services.move_stage(db, _actor(request).name, code, -1 if action == "up" else 1)
        elif action == "remove":
            page = _confirm(request, form, _("Remove the review stage %(code)s?", code=code),
                            f"/admin/stages/{code}", "/admin/stages")
            if page is not None:
                return page
            services.remove_stage(db, _actor(request).name, code)
        else:
            services.update_stage(db, _actor(request).name, code, form.text("name"), form.getall("departments"))
    except Invalid as exc:
        notify(request, "; ".join(_errors(exc).values()), "error")
        return redirect("/admin/stages")
    except Conflict as exc:
        notify(request, _(exc.message, **exc.params), "error")
        return redirect("/admin/stages")
    notify(request, _("The review stages were saved."), "success")
    return redirect("/admin/stages")


@get("/admin/audit", opt=ADMIN, sync_to_thread=True, include_in_schema=False, media_type=MediaType.HTML)
def audit_page(request: Request, db: Database, kind: str | None = None, page: int = 1) -> Template:
    chosen = kind if kind in AuditKind.values() else None
    number = page if 1 <= page <= 1_000_000 else 1
    with db.read() as session:
        events, total = services.audit_events(session, chosen, number)
        index, departments = region_index(session), department_lookup(session)
        stages = {stage.code: stage.name for stage in review_stages_public(session)}
    details = [detail_text(e.detail or "", index, departments, stages) for e in events]
    return render(request, "admin/audit.html", events=events, details=details, total=total, kind=chosen or "",
                  kinds=list(AuditKind), page=number, per_page=services.AUDIT_PAGE)


routes = [
    admin_home, accounts_page, account_create, account_page, account_password, account_disable, account_enable,
    token_issue, token_revoke, departments_page, department_create, department_rename, stages_page, stage_create,
    stage_update, audit_page,
]
