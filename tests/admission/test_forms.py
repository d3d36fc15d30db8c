"""The content fields have one list (catalog.schemas.CONTENT_FIELDS): every one of them survives the trip from a
request through the edit form and back, and the REQUEST shape carries each of them."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.admission import services, workflow
from registry.admission.forms import body_from_form, form_values
from registry.admission.schemas import RequestCreate, RequestPublic, RequestUpdate
from registry.catalog.schemas import CONTENT_FIELDS
from registry.web.validation import parse_data
from tests.admission.helpers import add_body, principal

names = st.lists(st.text(alphabet="台账报表月季年度统计", min_size=1, max_size=8), max_size=3)
contents = st.fixed_dictionaries({
    "title": st.text(alphabet="协助开展村级调查登记", min_size=1, max_size=30),
    "description": st.text(alphabet="每年组织村民开展一次演练记录人数", min_size=1, max_size=80),
    "category": st.sampled_from(["assisting", "self_governance", "mechanism", "campaign"]),
    "applies_to": st.sampled_from(["all", "village", "community"]),
    "scope_code": st.sampled_from(["330122000000", "330122113000", "330122101201"]),
    "legal_basis": st.text(alphabet="《条例》第一二三条", max_size=20),
    "frequency": st.sampled_from(["once", "yearly", "monthly", "as_needed"]),
    "hours_per_month": st.integers(0, 7440).map(lambda tenths: tenths / 10 if tenths % 10 else tenths // 10),
    "funding": st.fixed_dictionaries({"provided": st.booleans(), "amount_yuan_per_year": st.integers(0, 10**6),
                                      "source": st.text(alphabet="县财政专项", max_size=6)}),
    "burdens": st.fixed_dictionaries({"ledgers": names, "reports": names, "apps": names,
                                      "meetings_per_year": st.integers(0, 50)}),
    "ends_on": st.one_of(st.none(), st.sampled_from(["2027-06-01", "2027-12-31", "2029-06-30"])),
})


def test_the_shape_carries_every_content_field():
    assert set(CONTENT_FIELDS) <= set(RequestPublic.__struct_fields__)


def test_every_content_field_survives_the_edit_form(db):
    clerk = principal(db, "yjj_clerk")

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(content=contents)
    def check(content) -> None:  # type: ignore[no-untyped-def]
        request_id = workflow.create(db, clerk, parse_data(RequestCreate, add_body(**content)))
        shown = services.request_for(db, clerk, request_id)
        values = form_values(shown, content["funding"]["provided"])
        posted = {k: ("1" if v is True else "" if v is False else str(v)) for k, v in values.items()
                  if not isinstance(v, list)}
        back = parse_data(RequestUpdate, body_from_form(posted, values["offsets"], shown.kind))
        for name in CONTENT_FIELDS:
            sent = back.model_dump(mode="json")[name]
            if name == "burdens":  # the form fills the lists it has no field for with empty lists
                sent = {k: v for k, v in sent.items() if v or k == "meetings_per_year"}
                expected = {k: v for k, v in content["burdens"].items() if v or k == "meetings_per_year"}
            else:
                expected = content[name]
                sent = "" if sent is None and expected == "" else sent  # a blank field is "missing" on the form
            assert sent == expected, name

    check()
