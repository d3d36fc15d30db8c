"""Shapes of the form register (contract §8): the inputs, with every limit, and INDICATOR, FORM, the village's
data for a period, a form's submissions and the register's figures as answered."""

from typing import Annotated, Any

import msgspec
from pydantic import Field, field_validator

from registry.catalog.schemas import StrictModel, bounded_text
from registry.choices import DutyStatus, FormPeriod, IndicatorType
from registry.regions.schemas import DepartmentPublic, RegionPublic

MAX_VALUES = 500
MAX_FORMS_PER_REQUEST = 20
MAX_INDICATORS_PER_FORM = 100
MAX_CHOICES = 50
IndicatorCode = bounded_text(16, min_length=1)
IndicatorName = bounded_text(100, min_length=1)
Unit = bounded_text(20)
Definition = bounded_text(2000)
ChoiceText = bounded_text(100, min_length=1)
FormTitle = bounded_text(200, min_length=1)


class DataIn(StrictModel):
    """`PUT /regions/{village}/data/{period}`: values by indicator code; each value is checked against its type."""

    values: Annotated[dict[IndicatorCode, Any], Field(max_length=MAX_VALUES)]  # type: ignore[valid-type]


class ExistingIndicatorIn(StrictModel):
    """A form's question that reuses an indicator of the dictionary."""

    code: IndicatorCode  # type: ignore[valid-type]


class NewIndicatorIn(StrictModel):
    """A form's question that proposes a new indicator."""

    name: IndicatorName  # type: ignore[valid-type]
    unit: Unit = ""  # type: ignore[valid-type]
    type: IndicatorType
    definition: Definition  # type: ignore[valid-type]
    choices: Annotated[list[ChoiceText], Field(max_length=MAX_CHOICES)] | None = None  # type: ignore[valid-type]

    @field_validator("choices")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("choices_repeated")
        return value


class FormIn(StrictModel):
    """A form an `add` or `amend` request proposes."""

    title: FormTitle  # type: ignore[valid-type]
    period: FormPeriod
    indicators: Annotated[list[ExistingIndicatorIn | NewIndicatorIn], Field(min_length=1,
                                                                            max_length=MAX_INDICATORS_PER_FORM)]


FormsIn = Annotated[list[FormIn], Field(max_length=MAX_FORMS_PER_REQUEST)]


class IndicatorPublic(msgspec.Struct, frozen=True, kw_only=True):
    """INDICATOR: `{code, name, unit, type, choices, definition, forms}` (forms: the active forms asking it)."""

    code: str
    name: str
    unit: str
    type: IndicatorType
    choices: list[str]
    definition: str
    forms: list[str]


class FormPublic(msgspec.Struct, frozen=True, kw_only=True):
    """FORM: `{code, title, department, duty_code, period, indicators, status}`."""

    code: str
    title: str
    department: DepartmentPublic
    duty_code: str
    period: FormPeriod
    indicators: list[str]
    status: DutyStatus


class FormDetail(FormPublic, frozen=True, kw_only=True):
    """FORM plus its questions in order, for the form's page and `GET /api/v1/forms/{code}`."""

    questions: list[IndicatorPublic]


class FormPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[FormPublic]
    total: int
    page: int
    per_page: int


class IndicatorPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[IndicatorPublic]
    total: int
    page: int
    per_page: int


class DataPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A village's data for one period: `{period, values, complete_forms, missing}` over the forms that ask
    that village for that period."""

    period: str
    values: dict[str, Any]
    complete_forms: list[str]
    missing: dict[str, list[str]]


class HistoryEntry(msgspec.Struct, frozen=True, kw_only=True):
    value: Any
    set_at: str
    replaced_at: str | None  # None: the value in force


class DataHistory(msgspec.Struct, frozen=True, kw_only=True):
    """Every value a village has entered for a period, newest first per indicator."""

    period: str
    history: dict[str, list[HistoryEntry]]


class SubmissionRow(msgspec.Struct, frozen=True, kw_only=True):
    """One village's answers to a form: values in the form's column order (null where not entered)."""

    region: RegionPublic
    values: dict[str, Any]
    complete: bool


class Submissions(msgspec.Struct, frozen=True, kw_only=True):
    form: FormPublic
    period: str
    complete: int
    items: list[SubmissionRow]


class FormStats(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/v1/forms/stats`: entries per village per year with and without sharing (contract §8)."""

    forms: int
    indicators: int
    shared_indicators: int
    entries_without_sharing: int
    entries_with_sharing: int
    saved_percent: float
