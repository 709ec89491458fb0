"""The transcript page's layout and callbacks as plain functions inside the real app's requests: corrections as
edits, the paper's codebook seeded once, coding a selection by the logged-in coder with highlights, independent
passes, agreement, quotes as CSV, codes added to the tree; nothing for visitors."""

from __future__ import annotations

import pytest
from dash.exceptions import PreventUpdate
from dash_calls import call, request
from layout_tree import find, text, walk
from recording_kit import recorded

from hill_dash.app import auth, ids

SEGMENTS = [{"start": 0.0, "end": 2.5, "text": "I keep the frogs where they are."},
            {"start": 2.5, "end": 5.0, "text": "They look grate."},
            {"start": 5.0, "end": 7.5, "text": "The slider for alpha is hard to find."},
            {"start": 7.5, "end": 9.0, "text": "And the button is too small."}]


@pytest.fixture
def transcript_id(study, tone_webm) -> int:
    store = study.store
    recording_id = recorded(store, study.participant(0).id, study.scenario_id(), tone_webm.read_bytes())
    return store.add_transcript(recording_id, "faster-whisper", "tiny.en", language="en", segments=SEGMENTS).id


@pytest.fixture
def bob(store):
    return store.create_researcher("bob", "another horse")


def _code_ids(store, study) -> dict[str, int]:
    return {c.name: c.id for c in store.list_codes(study.created.study.id)}


def _apply(pages, researcher, transcript_id, code_id, selection, memo=""):
    with request(pages["app"], researcher):
        return call(pages["transcript"].code, 1, [], None, transcript_id, code_id, selection, memo,
                    trigger=ids.TRANSCRIPT_APPLY)


def _pass(pages, researcher, transcript_id):
    with request(pages["app"], researcher):
        return call(pages["transcript"].code, None, [], 1, transcript_id, None, None, None,
                    trigger=ids.TRANSCRIPT_PASS)


def _whole(first, last=None):
    last = first if last is None else last
    return {"first": first, "last": last, "start": 0, "end": len(SEGMENTS[last]["text"])}


def _rows(table):
    return {r[0]: r[1:] for r in ([text(td) for td in walk(tr) if type(td).__name__ == "Td"]
                                  for tr in walk(table) if type(tr).__name__ == "Tr") if r}


def test_visitors_get_neither_the_page_nor_its_callbacks(pages, study, transcript_id):
    module = pages["transcript"]
    with request(pages["app"]):
        refused = module.layout(transcript_id=str(transcript_id))
        assert auth.REFUSED in text(refused) and "frogs" not in text(refused)
        for callback, args, trigger in (
                (module.correct, ("edited", transcript_id), {"type": ids.TRANSCRIPT_TEXT, "index": 0}),
                (module.code, (1, [], None, transcript_id, 1, _whole(0), ""), ids.TRANSCRIPT_APPLY),
                (module.code, (None, [], 1, transcript_id, None, None, None), ids.TRANSCRIPT_PASS),
                (module.add_code, (1, transcript_id, "Sneaky", None, "", "#000000"), ids.TRANSCRIPT_NEW_ADD),
                (module.download_quotes, (1, transcript_id, None), ids.TRANSCRIPT_QUOTES)):
            with pytest.raises(PreventUpdate):
                call(callback, *args, trigger=trigger)
    store = study.store
    assert store.list_transcript_edits(transcript_id) == [] and store.list_codings() == []
    assert store.list_codes(study.created.study.id) == [] and store.list_passes(transcript_id=transcript_id) == []


def test_the_page_shows_timed_segments_with_the_player_lane_and_seeds_the_codebook_once(pages, study, researcher,
                                                                                       transcript_id):
    module = pages["transcript"]
    with request(pages["app"], researcher):
        page = module.layout(transcript_id=str(transcript_id))
        module.layout(transcript_id=str(transcript_id))
    texts = [c.value for c in walk(page) if isinstance(getattr(c, "id", None), dict)
             and c.id["type"] == ids.TRANSCRIPT_TEXT]
    assert texts == [s["text"] for s in SEGMENTS]
    selectable = [text(c) for c in walk(page) if isinstance(getattr(c, "id", None), dict)
                  and c.id["type"] == ids.TRANSCRIPT_SEGTEXT]
    assert selectable == [s["text"] for s in SEGMENTS]
    assert "0:02.5–0:05.0" in text(page) and find(page, ids.TRANSCRIPT_STARTS).data == [0.0, 2.5, 5.0, 7.5]
    assert "session 0:" in text(page)  # each segment's place on the session clock
    lane = find(page, ids.TRANSCRIPT_LANE).figure
    assert list(lane.layout.yaxis.categoryarray) == ["rounds", "edits", "speech"] and len(lane.data) == 4
    recording_id = study.store.get_transcript(transcript_id).recording_id
    assert find(page, ids.TRANSCRIPT_AUDIO).src == f"/researcher/recordings/{recording_id}/audio"
    codes = study.store.list_codes(study.created.study.id)
    assert len(codes) == 8 and sum(c.theme for c in codes) == 3
    assert "Strategies › Keep Arrangement" in text(find(page, ids.TRANSCRIPT_CODE))
    assert "Moving whole clusters apart" in text(find(page, ids.TRANSCRIPT_CODEBOOK))
    with request(pages["app"], researcher):
        missing = module.layout(transcript_id="77")
    assert "There is no transcript '77'" in text(missing)


def test_a_correction_is_stored_as_an_edit_on_top_of_whispers_text(pages, study, researcher, transcript_id):
    module, store = pages["transcript"], study.store
    segment = {"type": ids.TRANSCRIPT_TEXT, "index": 1}
    with request(pages["app"], researcher):
        saved, shown = call(module.correct, "They look great.", transcript_id, trigger=segment)
        assert saved == "Saved as ada's correction." and shown == ["They look great."]
        assert call(module.correct, " They look great. ", transcript_id, trigger=segment)[0] == ""
        with pytest.raises(PreventUpdate):
            call(module.correct, "nine", transcript_id, trigger={"type": ids.TRANSCRIPT_TEXT, "index": 9})
        page = module.layout(transcript_id=str(transcript_id))
    assert store.transcript_segments(transcript_id)[1]["text"] == "They look great."
    assert store.transcript_segments(transcript_id, edited=False)[1]["text"] == "They look grate."
    assert [(e.segment_index, e.editor) for e in store.list_transcript_edits(transcript_id)] == [(1, "ada")]
    assert "Whisper: They look grate." in text(page)


def test_a_selection_is_coded_with_its_memo_and_highlighted_in_the_codes_colour(pages, study, researcher,
                                                                                transcript_id):
    store = study.store
    with request(pages["app"], researcher):
        pages["transcript"].layout(transcript_id=str(transcript_id))
    keep = _code_ids(store, study)["Keep Arrangement"]
    selection = {"first": 0, "last": 0, "start": 11, "end": 16, "text": "frogs"}
    message, codings, segtexts, _, _ = _apply(pages, researcher, transcript_id, keep, selection, "stays put")
    assert message == "Coded \u201cfrogs\u201d as ada." and "stays put" in text(codings)
    marks = [c for c in walk(segtexts[0]) if type(c).__name__ == "Mark"]
    assert [m.children for m in marks] == ["frogs"] and "Keep Arrangement (ada)" == marks[0].title
    assert "".join(p if isinstance(p, str) else p.children for p in segtexts[0]) == SEGMENTS[0]["text"]
    color = next(c.color for c in store.list_codes(study.created.study.id) if c.id == keep)
    assert color is None and marks[0].style["backgroundColor"].startswith("#")
    coding = store.list_codings(transcript_id=transcript_id)[0]
    assert (coding.start_char, coding.end_char, coding.quote, coding.memo) == (11, 16, "frogs", "stays put")
    for bad in ({"first": 0, "last": 7, "start": 0, "end": 3}, {"first": "x"}, "frogs",
                {"first": 0, "last": 0, "start": 3, "end": 3}):
        assert _apply(pages, researcher, transcript_id, keep, bad)[0].startswith(("That selection", "Select the",
                                                                                  "Not coded"))
    assert _apply(pages, researcher, transcript_id, None, selection)[0] == "Choose a code first."
    assert len(store.list_codings()) == 1


def test_coders_are_independent_until_both_passes_are_done_then_agreement_and_quotes(pages, study, researcher, bob,
                                                                                     transcript_id):
    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
    code = _code_ids(store, study)
    keep, ui = code["Keep Arrangement"], code["User Interface"]
    _apply(pages, researcher, transcript_id, keep, _whole(0, 1), "dense clusters stay")
    _apply(pages, researcher, transcript_id, ui, _whole(2, 3))
    _apply(pages, bob, transcript_id, keep, _whole(0))
    message, codings, _, table, _ = _apply(pages, bob, transcript_id, ui, _whole(1, 3))
    assert "dense clusters stay" not in text(codings) and "2 coding(s) by other coders stay hidden" in text(codings)
    assert "No agreement yet" in text(table) and "no pass is finished yet" in text(table)
    message, codings, _, table, label = _pass(pages, researcher, transcript_id)
    assert label == "Reopen my pass" and "finished so far: ada" in text(table) and "[" not in text(table)
    assert "dense clusters stay" in text(codings) and "bob" not in text(codings)  # bob is still coding
    message, codings, _, table, _ = _pass(pages, bob, transcript_id)
    assert "dense clusters stay" in text(codings)
    rows = _rows(table)
    # ada [K, K, U, U], bob [K, U, U, U]: observed 0.75, chance 0.5, so Cohen's kappa 0.5 overall and per code;
    # Krippendorff's alpha from the coincidences (o11 = 2, o10 = o01 = 1, o00 = 4): 1 - 2 / (30 / 7) = 0.533
    assert rows["(overall)"] == ["0.5", "0.533", "0.75", "cohen", "4"]
    assert rows["Keep Arrangement"] == ["0.5", "0.533", "0.75", "cohen", "4"] == rows["User Interface"]
    assert "Coders ada, bob on 4 segments" in text(table)
    with request(pages["app"], researcher):
        quotes = call(module.download_quotes, 1, transcript_id, None, trigger=ids.TRANSCRIPT_QUOTES)
        only_ui = call(module.download_quotes, 1, transcript_id, str(ui), trigger=ids.TRANSCRIPT_QUOTES)
    assert quotes["filename"] == f"quotes-study-{study.created.study.id}.csv"
    lines = quotes["content"].splitlines()
    assert lines[0] == "participant,scenario,code,coder,start_s,end_s,quote,memo,transcript" and len(lines) == 5
    assert f"P1,digits,Keep Arrangement,ada,0.0,5.0,I keep the frogs where they are. They look grate.," \
           f"dense clusters stay,{transcript_id}" in lines
    assert "Keep Arrangement" not in only_ui["content"] and only_ui["content"].count("User Interface") == 2


def test_coders_take_back_only_their_own_codings(pages, study, researcher, bob, transcript_id):
    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
    _apply(pages, researcher, transcript_id, _code_ids(store, study)["Changed Strategy"], _whole(1, 2))
    coding = store.list_codings(transcript_id=transcript_id)[0]
    remove = {"type": ids.TRANSCRIPT_UNCODE, "coding": coding.id}
    for who, expected in ((bob, 1), (researcher, 0)):
        with request(pages["app"], who):
            try:
                message, codings, *_ = call(module.code, None, [1], None, transcript_id, None, None, None,
                                            trigger=remove)
                assert message == "Coding removed." and "Nothing coded yet" in text(codings)
            except PreventUpdate:
                assert who is bob
        assert len(store.list_codings(transcript_id=transcript_id)) == expected


def test_three_coders_are_compared_with_fleiss_kappa_and_alpha(pages, study, researcher, transcript_id):
    from hill_dash.app.views.coding_study import agreement_view

    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
    keep = _code_ids(store, study)["Keep Arrangement"]
    for coder, last in (("ada", 2), ("bob", 2), ("cem", 1)):
        store.add_coding(transcript_id, 0, last - 1, keep, coder)
        store.finish_pass(transcript_id, coder)
    view = agreement_view(store, study.created.study.id)
    assert "fleiss" in text(view) and "Coders ada, bob, cem on 4 segments" in text(view)


def test_a_code_is_added_under_a_theme_with_its_colour(pages, study, researcher, transcript_id):
    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
        theme = _code_ids(store, study)["Strategies"]
        message, tree, options, _ = call(module.add_code, 1, transcript_id, "Split a Class", str(theme),
                                         "Pulling one class into two groups.", "#123abc",
                                         trigger=ids.TRANSCRIPT_NEW_ADD)
        again = call(module.add_code, 1, transcript_id, "Split a Class", None, "", "#123abc",
                     trigger=ids.TRANSCRIPT_NEW_ADD)[0]
    assert message == "Added Split a Class." and "Pulling one class into two groups." in text(tree)
    assert "Strategies › Split a Class" in [o["label"] for o in options]
    added = next(c for c in store.list_codes(study.created.study.id) if c.name == "Split a Class")
    assert (added.parent_id, added.color, added.theme) == (theme, "#123abc", False)
    assert again.startswith("Not added: the codebook already has a code named 'Split a Class'")
