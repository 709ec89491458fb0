"""The shipped instrument files, the search path, and instruments added or edited without code changes."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml

import questionnaires as q

TABLE_1 = {  # the HILL paper, Table 1, verbatim (including its wording of Q2)
    "q1": "The system supported me in finding an optimal ML model.",
    "q2": "The system distracting me during my task.",
    "q3": "The system allowed me to understand the effectiveness of my model.",
    "q4": "The system biased me.",
    "q5": "I trust my model to perform.",
    "q6": "I fully understand the visualization of my model.",
    "q7": "The system made me understand the weaknesses of my model.",
}


def test_every_shipped_instrument_is_listed_and_loads():
    ids = q.list_instruments()
    assert {"umux_lite", "nasa_tlx", "custom_hill", "demographics", "sus"} <= set(ids)
    for instrument_id in ids:
        instrument = q.load(instrument_id)
        assert instrument.id == instrument_id
        assert instrument.items and all(item.id and item.text for item in instrument.items)


def test_umux_lite_items():
    instrument = q.load("umux_lite")
    assert [(i.id, i.text) for i in instrument.items] == [
        ("i1", "This system's capabilities meet my requirements."), ("i2", "This system is easy to use.")]
    assert all(i.scale.type == "likert" and (i.scale.min, i.scale.max) == (1, 7) for i in instrument.items)


def test_custom_questions_are_table_1_on_a_0_to_100_vas():
    instrument = q.load("custom_hill")
    assert {i.id: i.text for i in instrument.items} == TABLE_1
    assert list(instrument.item_ids) == sorted(TABLE_1)
    for item in instrument.items:
        assert (item.scale.type, item.scale.min, item.scale.max) == ("vas", 0, 100)
        assert item.anchors == ("strongly disagree", "strongly agree")


def test_tlx_has_six_subscales_in_21_gradations_and_15_pairs():
    instrument = q.load("nasa_tlx")
    assert instrument.item_ids == ("mental", "physical", "temporal", "performance", "effort", "frustration")
    assert {(i.scale.min, i.scale.max, i.scale.step) for i in instrument.items} == {(0, 20, 1)}
    pairs = q.pairwise_pairs("nasa_tlx")
    assert len(pairs) == 15
    assert {frozenset(p) for p in pairs} == {frozenset((a, b)) for i, a in enumerate(instrument.item_ids)
                                             for b in instrument.item_ids[i + 1:]}
    assert q.pairwise_pairs("umux_lite") == []


def test_demographics_items():
    instrument = q.load("demographics")
    assert instrument.item_ids == ("age", "gender", "ml_experience")
    assert (instrument.item("ml_experience").scale.min, instrument.item("ml_experience").scale.max) == (0, 100)
    with pytest.raises(KeyError, match="has no item 'height'"):
        instrument.item("height")


def test_to_dict_round_trips_through_yaml():
    for instrument_id in q.list_instruments():
        instrument = q.load(instrument_id)
        text = yaml.safe_dump(instrument.to_dict(), sort_keys=False)
        assert q.from_dict(yaml.safe_load(text)) == instrument


def test_sus_is_scored_from_its_file_alone():
    instrument = q.load("sus")
    assert instrument.scoring.kind == "sum" and instrument.scoring.rescale_to == 100
    assert [i.id for i in instrument.items if i.reverse] == ["s2", "s4", "s6", "s8", "s10"]
    # all 3s: each item contributes 2 (odd: 3 - 1; even: 5 - 3) -> 20 * 2.5 = 50
    assert q.score("sus", {f"s{n}": 3 for n in range(1, 11)})["sus"] == pytest.approx(50.0)
    # 4,2,5,1,4,2,4,1,5,2: odd 3+4+3+3+4 = 17, even 3+4+3+4+3 = 17 -> 34 * 2.5 = 85
    answers = dict(zip([f"s{n}" for n in range(1, 11)], [4, 2, 5, 1, 4, 2, 4, 1, 5, 2]))
    assert q.score("sus", answers)["sus"] == pytest.approx(85.0)


def test_a_copied_and_edited_instrument_works_from_its_own_directory(tmp_path):
    # A researcher copies SUS, renames it, drops the reverse coding of s2 and asks for a mean instead of a sum.
    data = yaml.safe_load((q.BUILTIN_DIR / "sus.yaml").read_text())
    data["id"] = "sus_edited"
    data["items"][1]["reverse"] = False
    data["scoring"].update(kind="mean", name="usability", rescale_to=None, zero_based=False)
    data["items"].append({"id": "comment", "text": "Anything else?", "scale": "text", "required": False})
    (tmp_path / "sus_edited.yaml").write_text(yaml.safe_dump(data))

    assert "sus_edited" in q.list_instruments(search_path=[tmp_path])
    assert "sus_edited" not in q.list_instruments()
    answers = {f"s{n}": 3 for n in range(1, 11)} | {"s2": 5}
    # mean of the raw answers, s2 no longer mirrored: (9 * 3 + 5) / 10 = 3.2
    result = q.score("sus_edited", answers, search_path=[tmp_path])
    assert result["usability"] == pytest.approx(3.2)
    assert result["items"]["comment"] is None
    instrument = q.load("sus_edited", search_path=[tmp_path])
    assert q.score(instrument, answers | {"comment": "fine"})["items"]["comment"] == "fine"


def test_a_directory_on_the_search_path_overrides_a_shipped_instrument(tmp_path):
    shutil.copy(q.BUILTIN_DIR / "umux_lite.yaml", tmp_path / "umux_lite.yaml")
    text = (tmp_path / "umux_lite.yaml").read_text().replace("This system is easy to use.", "It is easy to use.")
    (tmp_path / "umux_lite.yaml").write_text(text)
    assert q.load("umux_lite", search_path=[tmp_path]).item("i2").text == "It is easy to use."
    assert q.load("umux_lite").item("i2").text == "This system is easy to use."


def test_an_unknown_id_names_what_exists(tmp_path):
    with pytest.raises(q.UnknownInstrumentError, match="no instrument 'tam'.*available: .*umux_lite"):
        q.load("tam", search_path=[tmp_path])
    with pytest.raises(q.UnknownInstrumentError, match="not an instrument id"):
        q.load("../sus")


def test_the_package_imports_neither_dash_nor_the_app():
    code = ("import sys, questionnaires; questionnaires.score('umux_lite', {'i1': 1, 'i2': 2}); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'dash', 'dash_bootstrap_components', "
            "'hill_dash', 'torch'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_participants_see_a_plain_heading_and_researchers_the_instruments_name():
    import questionnaires

    umux, tlx, custom = (questionnaires.load(name) for name in ("umux_lite", "nasa_tlx", "custom_hill"))
    assert umux.title == "UMUX-Lite" and "UMUX" not in umux.participant_heading
    assert "NASA" not in tlx.participant_heading and "TLX" not in tlx.participant_heading
    assert custom.heading is None and custom.participant_heading == custom.title
    assert questionnaires.from_dict(umux.to_dict()).heading == umux.heading
