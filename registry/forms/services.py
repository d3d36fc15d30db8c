"""Reading the form register: INDICATOR and FORM shapes, the dictionary's search, the register's figures.

A form's status is its duty's: the forms of a retired duty are retired. The register is small (a county's
forms and indicators), so it is read whole and joined in memory.
"""

import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, col, select

from registry.catalog.models import Duty, DutyVersion
from registry.choices import N_, PERIOD_FILINGS, DutyStatus, FormPeriod, IndicatorType
from registry.errors import NotFound
from registry.forms.models import Form, Indicator
from registry.forms.schemas import FormDetail, FormPage, FormPublic, FormStats, IndicatorPage, IndicatorPublic
from registry.regions.models import Region
from registry.regions.reach import villages_reached
from registry.regions.services import RegionIndex, department_lookup

UNKNOWN_FORM = N_("There is no form %(code)s.")


@dataclass(frozen=True)
class FormRow:
    """A form with what its shape needs: its duty's code and current version."""

    form: Form
    duty_code: str
    version: DutyVersion

    @property
    def active(self) -> bool:
        return self.version.status == DutyStatus.ACTIVE


def form_rows(session: Session) -> list[FormRow]:
    """Every form with its duty's current version, in code order."""
    statement = (
        select(Form, Duty.code, DutyVersion)
        .join(Duty, col(Duty.id) == col(Form.duty_id))
        .join(DutyVersion, (col(DutyVersion.duty_id) == col(Duty.id)) & col(DutyVersion.to_edition).is_(None))
        .order_by(col(Form.code))
    )
    return [FormRow(form, code, version) for form, code, version in session.exec(statement)]


def indicators_by_code(session: Session) -> dict[str, Indicator]:
    return {i.code: i for i in session.exec(select(Indicator).order_by(col(Indicator.code)))}


def _uses(rows: list[FormRow]) -> dict[str, list[str]]:
    """Indicator code → the active forms asking it, in code order."""
    uses: dict[str, list[str]] = {}
    for row in rows:
        if row.active:
            for code in row.form.indicators:
                uses.setdefault(code, []).append(row.form.code)
    return uses


def indicator_public(indicator: Indicator, forms: list[str]) -> IndicatorPublic:
    return IndicatorPublic(code=indicator.code, name=indicator.name, unit=indicator.unit,
                           type=IndicatorType(indicator.type), choices=list(indicator.choices or []),
                           definition=indicator.definition, forms=forms)


def form_public(row: FormRow, session: Session) -> FormPublic:
    departments = department_lookup(session)
    return _form_public(row, departments.public(row.form.department_id))  # type: ignore[arg-type]


def _form_public(row: FormRow, department) -> FormPublic:  # type: ignore[no-untyped-def]
    return FormPublic(code=row.form.code, title=row.form.title, department=department, duty_code=row.duty_code,
                      period=FormPeriod(row.form.period), indicators=list(row.form.indicators),
                      status=DutyStatus.ACTIVE if row.active else DutyStatus.RETIRED)


def list_forms(session: Session, status: DutyStatus | None = DutyStatus.ACTIVE, department: str | None = None,
               duty: str | None = None, page: int = 1, per_page: int = 20) -> FormPage:
    """Forms by code; active ones unless `status` says otherwise (None: all)."""
    departments = department_lookup(session)
    rows = [r for r in form_rows(session)
            if (status is None or (r.active == (status == DutyStatus.ACTIVE)))
            and (not department or departments.by_id[r.form.department_id].code == department)
            and (not duty or r.duty_code == duty)]
    chosen = rows[(page - 1) * per_page: page * per_page]
    items = [_form_public(r, departments.public(r.form.department_id)) for r in chosen]
    return FormPage(items=items, total=len(rows), page=page, per_page=per_page)


def find_form(session: Session, code: str) -> FormRow:
    for row in form_rows(session):
        if row.form.code == code:
            return row
    raise NotFound(UNKNOWN_FORM, code=code[:20])


def form_detail(session: Session, code: str) -> FormDetail:
    """FORM plus its questions (the indicators in the form's order)."""
    rows = form_rows(session)
    row = next((r for r in rows if r.form.code == code), None)
    if row is None:
        raise NotFound(UNKNOWN_FORM, code=code[:20])
    uses = _uses(rows)
    indicators = indicators_by_code(session)
    questions = [indicator_public(indicators[c], uses.get(c, [])) for c in row.form.indicators if c in indicators]
    base = form_public(row, session)
    return FormDetail(**{f: getattr(base, f) for f in base.__struct_fields__}, questions=questions)


def search_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def list_indicators(session: Session, q: str | None = None, page: int = 1, per_page: int = 20) -> IndicatorPage:
    """The dictionary by code; `q` matches a substring of the code, name, unit or definition (NFKC, case-folded)."""
    uses = _uses(form_rows(session))
    key = search_key(q or "").strip()
    found = [i for i in indicators_by_code(session).values()
             if not key or key in search_key(f"{i.code}\n{i.name}\n{i.unit}\n{i.definition}")]
    chosen = found[(page - 1) * per_page: page * per_page]
    return IndicatorPage(items=[indicator_public(i, uses.get(i.code, [])) for i in chosen], total=len(found),
                         page=page, per_page=per_page)


def stats(session: Session) -> FormStats:
    """Entries per village per year: each active form's indicators once per its period, against each indicator
    once per the shortest period among the forms asking it."""
    rows = [r for r in form_rows(session) if r.active]
    without = sum(len(r.form.indicators) * PERIOD_FILINGS[FormPeriod(r.form.period)] for r in rows)
    most: dict[str, int] = {}
    users: dict[str, int] = {}
    for row in rows:
        filings = PERIOD_FILINGS[FormPeriod(row.form.period)]
        for code in row.form.indicators:
            most[code] = max(most.get(code, 0), filings)
            users[code] = users.get(code, 0) + 1
    with_sharing = sum(most.values())
    saved = round(100 * (without - with_sharing) / without, 1) if without else 0.0
    total = len(indicators_by_code(session))
    return FormStats(forms=len(rows), indicators=total, shared_indicators=sum(1 for n in users.values() if n >= 2),
                     entries_without_sharing=without, entries_with_sharing=with_sharing, saved_percent=saved)


def villages_of(index: RegionIndex, row: FormRow) -> list[Region]:
    """The villages that fill a form: those whose list its duty is on."""
    return villages_reached(index, row.version.scope_region_id, row.version.applies_to)
