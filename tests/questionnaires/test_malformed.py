"""Broken instrument files are refused with a message naming the file and the field."""

from __future__ import annotations

import pytest
import yaml

import questionnaires as q


def base() -> dict:
    return {"id": "mine", "title": "Mine", "items": [
        {"id": "a", "text": "First?", "scale": {"type": "likert", "points": 5}},
        {"id": "b", "text": "Second?", "scale": {"type": "vas"}, "anchors": ["low", "high"]},
    ], "scoring": {"kind": "mean"}}


def load_written(tmp_path, data, name="mine.yaml"):
    (tmp_path / name).write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return q.load(name.rsplit(".", 1)[0], search_path=[tmp_path])


def test_the_base_file_is_fine(tmp_path):
    instrument = load_written(tmp_path, base())
    assert instrument.source == str(tmp_path / "mine.yaml")
    # mean of 4 (on 1..5) and 60 (on 0..100) = 32
    assert q.score(instrument, {"a": 4, "b": 60})["mean"] == pytest.approx(32)


def edit(path: str, value):
    """A copy of the base file with one field (dotted path, list indices as numbers) set; None deletes it."""
    data = base()
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = data
    for part in parents:
        target = target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "field", "fragment"), [
    ("title", None, "title", "is required but missing"),
    ("items", [], "items", "must list at least one item"),
    ("colour", "red", "colour", "unknown field"),
    ("items.0.requried", False, "items[0].requried", "unknown field (known fields here: anchors, id, label"),
    ("items.0.scale", None, "items[0].scale", "is required but missing"),
    ("items.0.scale", {"type": "slider"}, "items[0].scale.type", "unknown scale type 'slider'"),
    ("items.0.scale", {"type": "likert", "points": "seven"}, "items[0].scale.points", "whole number >= 2"),
    ("items.0.scale", {"type": "likert"}, "items[0].scale.points", "is required but missing"),
    ("items.1.scale", {"type": "vas", "min": 100, "max": 0}, "items[1].scale.max", "must be larger than min"),
    ("items.1.scale", {"type": "vas", "step": -1}, "items[1].scale.step", "must be positive"),
    ("items.1.scale", {"type": "tlx", "display": "stars"}, "items[1].scale.display", "steps, percent"),
    ("items.1.scale", {"type": "choice", "options": ["x"]}, "items[1].scale.options", "at least two"),
    ("items.1.anchors", ["low"], "items[1].anchors", "give 2 anchor labels"),
    ("items.1.required", "yes", "items[1].required", "must be true or false, got str 'yes'"),
    ("items.1.id", "a", "items[1].id", "item id 'a' is used twice"),
    ("items.1.id", "b c", "items[1].id", "'b c' is not a usable id"),
    ("items.1.text", None, "items[1].text", "is required but missing"),
    ("scoring", {"kind": "median"}, "scoring.kind", "unknown scoring kind 'median'"),
    ("scoring", {"kind": "sum", "items": ["a", "z"]}, "scoring.items", "'z' is not an item"),
    ("scoring", {"kind": "sum", "name": "items"}, "scoring.name", "is reserved"),
    ("scoring", {"kind": "umux_lite"}, "scoring.items", "exactly two Likert items"),
    ("scoring", {"kind": "nasa_tlx", "zero_based": True}, "scoring.zero_based", "unknown field"),
    ("pairwise", {"pairs": [["a", "a"]]}, "pairwise.pairs[0]", "two different items"),
    ("pairwise", {"pairs": [["a", "b"], ["b", "a"]]}, "pairwise.pairs[1]", "listed twice"),
    ("pairwise", {"pairs": [["a", "q"]]}, "pairwise.pairs[0]", "'q' is not an item"),
    ("pairwise", {"pairs": ["a"]}, "pairwise.pairs[0]", "a list of two item ids"),
])
def test_malformed_field_is_named(tmp_path, path, value, field, fragment):
    with pytest.raises(q.InstrumentError) as caught:
        load_written(tmp_path, edit(path, value))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'mine.yaml'}: field '{field}': ")
    assert fragment in message


def test_scored_item_must_be_required_and_bounded(tmp_path):
    data = edit("items.1.required", False)
    with pytest.raises(q.InstrumentError, match=r"field 'scoring.items': item 'b' is scored, so it must be requ"):
        load_written(tmp_path, data)
    data = base()
    data["items"].append({"id": "n", "text": "How many?", "scale": {"type": "number", "min": 0}})
    data["scoring"]["items"] = ["a", "n"]
    with pytest.raises(q.InstrumentError, match="item 'n' cannot be scored: its number scale has no min and max"):
        load_written(tmp_path, data)


def test_reverse_needs_a_bounded_scale(tmp_path):
    data = base()
    data["items"].append({"id": "t", "text": "Say more", "scale": "text", "reverse": True, "required": False})
    with pytest.raises(q.InstrumentError, match=r"field 'items\[2\].reverse': only numeric scales"):
        load_written(tmp_path, data)


def test_id_must_match_the_file_name(tmp_path):
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(base()))
    with pytest.raises(q.InstrumentError, match=r"other.yaml: field 'id': is 'mine' but the file is named other"):
        q.load_file(tmp_path / "other.yaml")


def test_invalid_yaml_gives_the_line(tmp_path):
    # an unquoted colon inside a text is the classic slip
    with pytest.raises(q.InstrumentError, match=r"mine.yaml: is not valid YAML at line 2, column 12: mapping values"):
        load_written(tmp_path, "id: mine\ntitle: Mine: more\nitems: []\n")


def test_a_file_that_is_not_a_mapping(tmp_path):
    with pytest.raises(q.InstrumentError, match=r"mine.yaml: field '\(top level\)': must be a mapping"):
        load_written(tmp_path, "- just\n- a list\n")


def test_an_item_that_is_not_a_mapping(tmp_path):
    data = base()
    data["items"][0] = "First?"
    with pytest.raises(q.InstrumentError, match=r"field 'items\[0\]': must be a mapping of fields, got str"):
        load_written(tmp_path, data)


def test_from_dict_names_its_origin():
    with pytest.raises(q.InstrumentError, match="instrument: field 'title': is required"):
        q.from_dict(edit("title", None))
