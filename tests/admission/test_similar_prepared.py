"""The per-edition prepared catalog scores exactly like `checks.similarity` (the oracle)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.admission.checks import bigrams, normalise, similarity
from registry.admission.similar import Candidate, score

# Texts drawn from a small alphabet of CJK, Latin (both widths), digits and punctuation, so that equal
# titles, near-duplicates and short descriptions all occur.
TEXT = st.text(alphabet="台账报表村社区行政执法证明ＡＢAb1１，。 ()（）-", max_size=24)


def prepared(title: str, description: str) -> tuple:
    return normalise(title), bigrams(title), len(normalise(description)), bigrams(description)


def candidate(title: str, description: str) -> Candidate:
    return Candidate("D00001", "assisting", title, normalise(title), bigrams(title), len(normalise(description)),
                     bigrams(description))


@settings(max_examples=400)
@given(TEXT, TEXT, TEXT, TEXT)
def test_prepared_score_equals_similarity(title, description, other_title, other_description):
    expected = similarity(title, description, other_title, other_description)
    assert score(*prepared(title, description), candidate(other_title, other_description)) == expected


def test_known_pairs():
    assert score(*prepared("行政执法", ""), candidate("行政执法", "")) == 1.0
    assert score(*prepared("协助开展行政执法工作", ""), candidate("行政执法", "")) == 0
