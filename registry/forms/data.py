"""Village data (一表通): one value per (village, indicator, period) serving every form that asks it; a
replaced value is kept in the history. Also a form's submissions for a period, per village.

Periods are `2026-11` (monthly forms), `2026-Q4` (quarterly) and `2026` (yearly and one-time forms); a
period may not begin after today (Asia/Shanghai).
"""

import json
import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from registry.accounts.services import Principal
from registry.choices import N_, FormPeriod, IndicatorType, RegionLevel, Role
from registry.db import Database
from registry.errors import FieldProblem, Forbidden, Invalid, NotFound
from registry.forms.models import Indicator, VillageValue, VillageValueHistory
from registry.forms.schemas import DataHistory, DataIn, DataPublic, HistoryEntry, SubmissionRow, Submissions
from registry.forms.services import FormRow, find_form, form_public, form_rows, villages_of
from registry.regions.models import Region
from registry.regions.reach import reaches
from registry.regions.services import region_index, region_public
from registry.timeutil import iso_utc, local_date, utcnow

MAX_NUMBER = 10**12
MAX_DECIMALS = 4
MAX_TEXT = 1000
# seed/README.md: a flow is counted within one period, so it is never carried over (definitions.toml).
FLOW_PREFIX = tomllib.loads((Path(__file__).with_name("definitions.toml")).read_text("utf-8"))["flow_prefix"]
PERIOD_SHAPES = (
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), frozenset({FormPeriod.MONTHLY})),
    (re.compile(r"^(\d{4})-Q([1-4])$"), frozenset({FormPeriod.QUARTERLY})),
    (re.compile(r"^(\d{4})$"), frozenset({FormPeriod.YEARLY, FormPeriod.ONCE})),
)
NOT_A_VILLAGE = N_("There is no village %(code)s.")
NOT_YOUR_VILLAGE = N_("You may enter data only for your own village, or for the villages of your town.")


@dataclass(frozen=True)
class Period:
    text: str
    start: date
    periods: frozenset[FormPeriod]  # the form periods filled for it


def parse_period(text: str, today: date | None = None) -> Period:
    """A period of the right shape that has begun; Invalid (422) otherwise."""
    for pattern, periods in PERIOD_SHAPES:
        found = pattern.match(text or "")
        if not found:
            continue
        year = int(found.group(1))
        month = 1
        if FormPeriod.MONTHLY in periods:
            month = int(found.group(2))
        elif FormPeriod.QUARTERLY in periods:
            month = 3 * int(found.group(2)) - 2
        if year < 2000:
            break
        start = date(year, month, 1)
        if start > (today or local_date(utcnow())):
            raise Invalid([FieldProblem("period", N_("The period %(period)s has not begun yet."), period=text)])
        return Period(text, start, periods)
    raise Invalid([FieldProblem("period", N_(
        "A period is written 2026-11 (a month), 2026-Q4 (a quarter) or 2026 (a year)."))])


def check_value(indicator: Indicator, value: Any) -> Any:
    """The value as stored, or ValueError with a msgid saying what the indicator's type needs."""
    kind = IndicatorType(indicator.type)
    if kind == IndicatorType.INTEGER:
        if type(value) is not int or not 0 <= value <= MAX_NUMBER:
            raise ValueError(N_("A whole number from 0 to 1,000,000,000,000 is needed."))
        return value
    if kind == IndicatorType.DECIMAL:
        if type(value) not in (int, float) or not math.isfinite(value) or not 0 <= value <= MAX_NUMBER:
            raise ValueError(N_("A number from 0 to 1,000,000,000,000 is needed."))
        try:
            exponent = Decimal(str(value)).as_tuple().exponent
        except InvalidOperation as exc:  # pragma: no cover (finite floats always convert)
            raise ValueError(N_("A number from 0 to 1,000,000,000,000 is needed.")) from exc
        if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
            raise ValueError(N_("At most four decimal places."))
        return int(value) if float(value).is_integer() else value
    if kind == IndicatorType.BOOLEAN:
        if type(value) is not bool:
            raise ValueError(N_("Yes (true) or no (false) is needed."))
        return value
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(N_("Text is needed."))
    text = value.strip()
    if kind == IndicatorType.DATE:
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValueError(N_("A date written YYYY-MM-DD is needed.")) from exc
    if kind == IndicatorType.CHOICE:
        if text not in (indicator.choices or []):
            raise ValueError(N_("One of the listed choices is needed."))
        return text
    if not text or len(text) > MAX_TEXT:
        raise ValueError(N_("Text of 1 to 1,000 characters is needed."))
    return text


def find_village(session: Session, code: str) -> Region:
    region = region_index(session).get(code)
    if region is None or region.level != RegionLevel.VILLAGE:
        raise NotFound(NOT_A_VILLAGE, code=code[:20])
    return region


def may_enter(principal: Principal, village: Region) -> bool:
    """That village's cadre, or the cadre of its town (contract §5)."""
    return principal.role == Role.CADRE and principal.region_id in (village.id, village.parent_id)


def may_read(principal: Principal, village: Region) -> bool:
    return may_enter(principal, village) or principal.role in (Role.OFFICE, Role.ADMIN)


def forms_for(session: Session, village: Region, period: Period) -> list[FormRow]:
    """The active forms this village fills for this period, by code."""
    index = region_index(session)
    return [r for r in form_rows(session) if r.active and FormPeriod(r.form.period) in period.periods
            and reaches(index, r.version.scope_region_id, r.version.applies_to, village)]


def _stored(session: Session, village: Region, period: str) -> dict[int, VillageValue]:
    rows = session.exec(select(VillageValue).where(VillageValue.region_id == village.id,
                                                   VillageValue.period == period))
    return {row.indicator_id: row for row in rows}


def _answer(session: Session, village: Region, period: Period) -> DataPublic:
    forms = forms_for(session, village, period)
    asked = list(dict.fromkeys(code for row in forms for code in row.form.indicators))
    ids = {i.code: i.id for i in session.exec(select(Indicator).where(col(Indicator.code).in_(asked)))}
    stored = _stored(session, village, period.text)
    values = {code: json.loads(stored[ids[code]].value) for code in asked if ids.get(code) in stored}
    missing = {}
    for row in forms:
        gaps = [code for code in row.form.indicators if code not in values]
        if gaps:
            missing[row.form.code] = gaps
    complete = [row.form.code for row in forms if row.form.code not in missing]
    return DataPublic(period=period.text, values=values, complete_forms=complete, missing=missing)


def read_data(db: Database, principal: Principal, village_code: str, period_text: str) -> DataPublic:
    """The village's values for the period and which of its forms they complete."""
    with db.read() as session:
        village = find_village(session, village_code)
        if not may_read(principal, village):
            raise Forbidden(NOT_YOUR_VILLAGE)
        return _answer(session, village, parse_period(period_text))


def enter_data(db: Database, principal: Principal, village_code: str, period_text: str, data: DataIn) -> DataPublic:
    """Store each value once for (village, indicator, period); a changed value moves the old one to the history.
    Nothing is stored unless every value is valid."""
    with db.write() as session:
        village = find_village(session, village_code)
        if not may_enter(principal, village):
            raise Forbidden(NOT_YOUR_VILLAGE)
        period = parse_period(period_text)
        asked = {code for row in forms_for(session, village, period) for code in row.form.indicators}
        indicators = {i.code: i for i in session.exec(select(Indicator).where(
            col(Indicator.code).in_(list(data.values))))}
        problems, clean = [], {}
        for code, value in data.values.items():
            indicator = indicators.get(code)
            if indicator is None:
                problems.append(FieldProblem(f"values.{code}", N_("There is no indicator %(code)s."), code=code))
            elif code not in asked:
                problems.append(FieldProblem(f"values.{code}", N_(
                    "No form asks this village for indicator %(code)s in this period."), code=code))
            else:
                try:
                    clean[code] = (indicator, check_value(indicator, value))
                except ValueError as exc:
                    problems.append(FieldProblem(f"values.{code}", str(exc)))
        if problems:
            raise Invalid(problems)
        stored = _stored(session, village, period.text)
        now = utcnow()
        for indicator, value in clean.values():
            text = json.dumps(value, ensure_ascii=False)
            row = stored.get(indicator.id)  # type: ignore[arg-type]
            if row is None:
                session.add(VillageValue(region_id=village.id, indicator_id=indicator.id, period=period.text,  # type: ignore[arg-type]
                                         value=text, set_at=now, set_by=principal.user_id))
            elif row.value != text:
                session.add(VillageValueHistory(region_id=row.region_id, indicator_id=row.indicator_id,
                                                period=row.period, value=row.value, set_at=row.set_at,
                                                set_by=row.set_by, replaced_at=now))
                row.value, row.set_at, row.set_by = text, now, principal.user_id
                session.add(row)
        session.flush()
        return _answer(session, village, period)


def data_history(db: Database, principal: Principal, village_code: str, period_text: str) -> DataHistory:
    """Every value entered for the period, the one in force first, then those it replaced, newest first."""
    with db.read() as session:
        village = find_village(session, village_code)
        if not may_read(principal, village):
            raise Forbidden(NOT_YOUR_VILLAGE)
        period = parse_period(period_text)
        codes = {i.id: i.code for i in session.exec(select(Indicator))}
        history: dict[str, list[HistoryEntry]] = {}
        for row in sorted(_stored(session, village, period.text).values(), key=lambda r: codes[r.indicator_id]):
            history[codes[row.indicator_id]] = [HistoryEntry(value=json.loads(row.value), set_at=iso_utc(row.set_at),  # type: ignore[arg-type]
                                                             replaced_at=None)]
        old = session.exec(select(VillageValueHistory).where(
            VillageValueHistory.region_id == village.id, VillageValueHistory.period == period.text,
        ).order_by(col(VillageValueHistory.replaced_at).desc(), col(VillageValueHistory.id).desc()))
        for row in old:
            history.setdefault(codes[row.indicator_id], []).append(HistoryEntry(
                value=json.loads(row.value), set_at=iso_utc(row.set_at), replaced_at=iso_utc(row.replaced_at)))  # type: ignore[arg-type]
        return DataHistory(period=period.text, history=history)


def last_values(session: Session, village: Region, period: str, codes: list[str]) -> dict[str, Any]:
    """For pre-filling: each indicator's newest value from another period, where its definition is a stock
    (not counted "within the period")."""
    indicators = {i.id: i for i in session.exec(select(Indicator).where(col(Indicator.code).in_(codes)))}
    rows = session.exec(select(VillageValue).where(
        VillageValue.region_id == village.id, VillageValue.period != period,
        col(VillageValue.indicator_id).in_(list(indicators))).order_by(col(VillageValue.set_at)))
    found = {}
    for row in rows:
        indicator = indicators[row.indicator_id]
        if not indicator.definition.startswith(FLOW_PREFIX):
            found[indicator.code] = json.loads(row.value)
    return found


def submissions(db: Database, principal: Principal, form_code: str, period_text: str) -> Submissions:
    """One row per village that fills the form, values in the form's column order (null where not entered).
    The form's department, the office and admins only."""
    with db.read() as session:
        row = find_form(session, form_code)
        if principal.role == Role.DEPARTMENT and principal.department_id != row.form.department_id:
            raise Forbidden(N_("Only the form's own department may draw its submissions."))
        if principal.role not in (Role.DEPARTMENT, Role.OFFICE, Role.ADMIN):
            raise Forbidden()
        period = parse_period(period_text)
        if FormPeriod(row.form.period) not in period.periods:
            raise Invalid([FieldProblem("period", N_("This form is not filled for a period like %(period)s."),
                                        period=period_text)])
        index = region_index(session)
        villages = villages_of(index, row)
        indicators = {i.id: i.code for i in session.exec(select(Indicator).where(
            col(Indicator.code).in_(row.form.indicators)))}
        stored: dict[int, dict[str, Any]] = {}
        for value in session.exec(select(VillageValue).where(
                VillageValue.period == period.text, col(VillageValue.indicator_id).in_(list(indicators)))):
            stored.setdefault(value.region_id, {})[indicators[value.indicator_id]] = json.loads(value.value)
        items = []
        for village in villages:
            answers = stored.get(village.id, {})  # type: ignore[arg-type]
            values = {code: answers.get(code) for code in row.form.indicators}
            items.append(SubmissionRow(region=region_public(village, index), values=values,
                                       complete=all(code in answers for code in row.form.indicators)))
        return Submissions(form=form_public(row, session), period=period.text,
                           complete=sum(1 for i in items if i.complete), items=items)



@dataclass(frozen=True)
class SheetLine:
    """One indicator on the village's entry page: asked once, whatever the number of forms asking it."""

    indicator: Indicator
    forms: list[tuple[str, str]]  # (code, title) of the forms it serves
    value: Any  # the value in force for this period, or None
    carried: Any  # a value from an earlier period offered for a stock, or None


@dataclass(frozen=True)
class Sheet:
    village: Region
    period: Period
    lines: list[SheetLine]
    answer: DataPublic


def entry_sheet(db: Database, principal: Principal, village_code: str, period_text: str) -> Sheet:
    """What the village's entry page shows for a period: each indicator once, with the forms it serves, the
    value in force and, for stocks not yet entered, the newest value of an earlier period."""
    with db.read() as session:
        village = find_village(session, village_code)
        if not may_enter(principal, village):
            raise Forbidden(NOT_YOUR_VILLAGE)
        period = parse_period(period_text)
        forms = forms_for(session, village, period)
        serves: dict[str, list[tuple[str, str]]] = {}
        for row in forms:
            for code in row.form.indicators:
                serves.setdefault(code, []).append((row.form.code, row.form.title))
        indicators = {i.code: i for i in session.exec(select(Indicator).where(col(Indicator.code).in_(list(serves))))}
        answer = _answer(session, village, period)
        carried = last_values(session, village, period.text, list(serves))
        lines = [SheetLine(indicators[code], serves[code], answer.values.get(code),
                           None if code in answer.values else carried.get(code))
                 for code in serves if code in indicators]
        return Sheet(village, period, lines, answer)


def current_period(kind: FormPeriod, today: date | None = None) -> str:
    """The period of this kind that today falls in."""
    today = today or local_date(utcnow())
    if kind == FormPeriod.MONTHLY:
        return f"{today.year}-{today.month:02d}"
    if kind == FormPeriod.QUARTERLY:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return str(today.year)
