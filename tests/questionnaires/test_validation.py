"""Bad answers and bad pairwise sets are refused with every problem listed by item id."""

from __future__ import annotations

import pytest

import questionnaires as q

TLX = {"mental": 15, "physical": 2, "temporal": 8, "performance": 6, "effort": 12, "frustration": 10}


def problems(instrument_id, answers, pairs=None) -> dict[str, str]:
    with pytest.raises(q.ValidationError) as caught:
        q.validate(instrument_id, answers, pairs)
    return {problem.item: problem.message for problem in caught.value.problems}


def test_valid_answers_pass():
    q.validate("umux_lite", {"i1": 1, "i2": 7})
    q.validate("nasa_tlx", TLX, pairs=[a for a, _ in q.pairwise_pairs("nasa_tlx")])
    q.validate("demographics", {"age": 27, "gender": "female", "ml_experience": 52.9})


def test_missing_required_item():
    found = problems("umux_lite", {"i1": 4})
    assert found == {"i2": "required item is missing; give a value"}


def test_blank_text_counts_as_missing():
    assert "gender" in problems("demographics", {"age": 30, "gender": "  ", "ml_experience": 10})


@pytest.mark.parametrize(("value", "fragment"), [
    (8, "value 8 is outside the scale 1..7"),
    (0, "value 0 is outside the scale 1..7"),
    (4.5, "not on the scale's steps (every 1 from 1)"),
    ("4", "expected a number, got str '4'"),
    (True, "expected a number, got bool True"),
    (float("nan"), "expected a number"),
])
def test_value_off_a_likert_scale(value, fragment):
    assert fragment in problems("umux_lite", {"i1": value, "i2": 5})["i1"]


def test_tlx_rating_given_as_percent_explains_the_conversion():
    message = problems("nasa_tlx", TLX | {"effort": 75})["effort"]
    assert "outside the scale 0..20" in message and "tlx_percent_to_steps" in message


def test_vas_accepts_any_value_in_range_but_not_beyond():
    q.validate("custom_hill", {f"q{n}": 33.3 for n in range(1, 8)})
    assert "outside the scale 0..100" in problems("custom_hill", {f"q{n}": 101 for n in range(1, 8)})["q3"]


def test_choice_and_number_scales():
    found = problems("demographics", {"age": 17, "gender": 3, "ml_experience": 50})
    assert "outside the scale 18..120" in found["age"]
    assert "expected a text" in found["gender"]
    # free choice: a self-description outside the listed options is accepted
    q.validate("demographics", {"age": 40.0, "gender": "agender", "ml_experience": 0})


def test_unknown_item_id_and_every_problem_listed_together():
    with pytest.raises(q.ValidationError) as caught:
        q.validate("umux_lite", {"i1": 9, "i3": 4})
    error = caught.value
    assert error.items == ["i3", "i1", "i2"]
    text = str(error)
    assert text.startswith("3 problems in the answers to 'umux_lite':")
    assert "i3: unknown item (items of 'umux_lite': i1, i2)" in text
    assert "i1: value 9 is outside the scale 1..7" in text
    assert "i2: required item is missing" in text


def test_answers_that_are_not_a_mapping():
    with pytest.raises(q.ValidationError, match="answers must be a mapping of item id to value, got list"):
        q.validate("umux_lite", [6, 5])


def test_malformed_answer_objects():
    found = problems("custom_hill", {"q1": {"value": 10, "moved": True}, "q2": {"value": 10, "untouched": "yes"}}
                     | {f"q{n}": 50 for n in range(3, 8)})
    assert "unknown answer field 'moved'" in found["q1"]
    assert "'untouched' must be true or false" in found["q2"]


def test_untouched_slider_without_a_value_is_missing():
    answers = {f"q{n}": 50 for n in range(2, 8)} | {"q1": {"value": None, "untouched": True}}
    assert problems("custom_hill", answers) == {"q1": "required item is missing; give a value "
                                                      "(the slider was never moved)"}


def test_pairs_of_the_wrong_length():
    found = problems("nasa_tlx", TLX, pairs=["mental"] * 14)
    assert found == {"pairs": "expected 15 choices (one per pair, in the instrument's pair order), got 14"}


def test_pair_choice_not_in_its_pair():
    choices = [a for a, _ in q.pairwise_pairs("nasa_tlx")]
    choices[5] = "mental"  # pair 5 is physical / temporal
    assert problems("nasa_tlx", TLX, pairs=choices) == {
        "pairs[5]": "choice 'mental' is not in its pair physical / temporal"}


def test_labelled_pairs_in_any_order_are_accepted():
    labelled = [{"pair": [b, a], "choice": b} for a, b in reversed(q.pairwise_pairs("nasa_tlx"))]
    result = q.score("nasa_tlx", TLX, pairs=labelled)
    # every pair won by its second member: mental 0, physical 1, temporal 2, performance 3, effort 4, frustration 5
    assert list(result["weights"].values()) == [0, 1, 2, 3, 4, 5]


def test_labelled_pairs_with_duplicates_unknown_pairs_and_gaps():
    pairs = list(q.pairwise_pairs("nasa_tlx"))
    entries = [(a, b, a) for a, b in pairs[:13]]
    entries.append(("mental", "physical", "physical"))  # the first pair again
    entries.append(("mental", "boredom", "mental"))  # not a pair of the instrument
    entries.append(("effort", "frustration", "temporal"))  # choice outside its pair
    found = problems("nasa_tlx", TLX, pairs=entries)
    assert found["pairs[13]"] == "the pair mental / physical is answered twice (first at pairs[0])"
    assert found["pairs[14]"] == "mental / boredom is not one of the instrument's pairs"
    assert found["pairs[15]"] == "choice 'temporal' is not in its pair effort / frustration"
    assert found["pairs"] == ("2 of 15 pairs are not answered: performance / frustration, "
                              "effort / frustration")


def test_pairs_given_where_none_exist_or_in_the_wrong_shape():
    assert problems("umux_lite", {"i1": 6, "i2": 5}, pairs=["i1"]) == {
        "pairs": "this instrument has no pairwise comparisons; leave pairs out"}
    assert "pairs must be a list" in problems("nasa_tlx", TLX, pairs="mental")["pairs"]
    assert "expected {'pair': [a, b], 'choice': c}" in problems("nasa_tlx", TLX, pairs=[1, 2])["pairs[0]"]
