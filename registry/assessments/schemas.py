"""Shapes of joint assessments (contract §8): the office's input with every limit, the public Structs out."""

from typing import Annotated

import msgspec
from pydantic import Field

from registry.catalog.schemas import BurdenName, StrictModel, bounded_text
from registry.regions.schemas import DepartmentPublic

MAX_MEMBERS = 50


class JointAssessmentIn(StrictModel):
    """`POST /api/v1/assessments/joint`: a title and at least two assessment names as duties' `burdens.assessments`
    hold them (there are no assessment codes)."""

    title: bounded_text(200, min_length=1)  # type: ignore[valid-type]
    members: Annotated[list[BurdenName], Field(min_length=2, max_length=MAX_MEMBERS)]  # type: ignore[valid-type]


class JointAssessmentPublic(msgspec.Struct, frozen=True, kw_only=True):
    """A joint assessment: its members count as one assessment on every village list that carries any of them."""

    id: int
    title: str
    members: list[str]
    department: DepartmentPublic
    created_at: str
