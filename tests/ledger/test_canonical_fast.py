"""The fast canonical-form check behind `registry ledger verify` says yes exactly when the standard library's
`canonical()` (the contract's rule, used by the standalone verifier) says yes."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.ledger.chain import _encode_fast, stored_form_problem_of
from registry.ledger.verifier import MAX_NUMBER, canonical

NOT_CANONICAL = "payload is not stored in canonical form"

scalars = (st.none() | st.booleans() | st.integers(min_value=-MAX_NUMBER + 1, max_value=MAX_NUMBER - 1)
           | st.text())  # every code point but lone surrogates, which UTF-8 text cannot hold
payloads = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)
with_floats = st.recursive(scalars | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14),
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(payloads)
def test_the_c_encoder_writes_the_canonical_bytes_of_every_payload_without_a_float(payload):
    assert _encode_fast(payload) == canonical(payload)


@settings(max_examples=300, deadline=None)
@given(with_floats)
def test_the_check_agrees_with_the_standard_library_on_canonical_and_spaced_forms(payload):
    stored = canonical(payload)
    assert stored_form_problem_of(stored) is None
    spaced = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    expected = None if spaced == stored else NOT_CANONICAL
    assert stored_form_problem_of(spaced) == expected


@pytest.mark.parametrize(("stored", "problem"), [
    (b'{"a":1,"a":2}', NOT_CANONICAL),                 # a duplicate key: the parsed form drops one
    (b'{"b":1,"a":2}', NOT_CANONICAL),                 # keys out of order
    (b'{"a":1e-05}', None),                            # a float in Python's own spelling
    (b'{"a":0.00001}', NOT_CANONICAL),                 # the same float as msgspec would spell it
    (b'{"a":1.0}', None),                              # canonical() keeps a float's ".0"
    (b'{"a":"\\u00e9"}', NOT_CANONICAL),               # escaped where canonical text is literal
    (b'{"a":"\\ud800"}', NOT_CANONICAL),               # a lone surrogate has no canonical bytes
    (b'{"a":1', "payload is not JSON"),
    (b'', "payload is not JSON"),
])
def test_table_of_stored_forms(stored, problem):
    assert stored_form_problem_of(stored) == problem
