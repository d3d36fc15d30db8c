"""The audit log's `detail` in the reader's words: stored as compact text (`cadre 330122113000`, `ledgers=3, …`,
`token 5`, `added leadership`), shown with labels, regions and departments by name (the code secondary)."""

import re

from registry.choices import N_, Role, TotalsField
from registry.i18n import gettext, label_of
from registry.regions.services import DepartmentLookup, RegionIndex

NUMBERED = {"token": N_("token %(id)s"), "notification": N_("notification %(id)s")}
STAGE_CHANGES = {"added": N_("Added stage %(stage)s"), "changed": N_("Changed stage %(stage)s"),
                 "moved": N_("Moved stage %(stage)s"), "removed": N_("Removed stage %(stage)s")}
REGION_CODE = re.compile(r"^\d{12}$")


def _word(word: str, index: RegionIndex, departments: DepartmentLookup) -> str:
    key, equals, value = word.partition("=")
    if equals and key in TotalsField.values():
        return f"{label_of(TotalsField, key)} {value}"
    if word in Role.values():
        return label_of(Role, word)
    region = index.get(word) if REGION_CODE.match(word) else None
    if region is not None:
        return gettext(N_("%(name)s (%(code)s)"), name=region.name, code=word)
    department = departments.by_code.get(word)
    if department is not None:
        return gettext(N_("%(name)s (%(code)s)"), name=department.name, code=word)
    return word


def detail_text(detail: str, index: RegionIndex, departments: DepartmentLookup, stages: dict[str, str]) -> str:
    """*detail* with its codes in words; text it does not recognise stays as it is."""
    verb, _, rest = detail.partition(" ")
    if verb in NUMBERED and rest.isdigit():
        return gettext(NUMBERED[verb], id=rest)
    if verb in STAGE_CHANGES and rest and " " not in rest:
        return gettext(STAGE_CHANGES[verb], stage=stages.get(rest, rest))
    return "".join(_word(part, index, departments) for part in re.split(r"(, | |: )", detail))
