"""The transcript page's layout and callbacks as plain functions inside the real app's requests: corrections as
edits, the paper's codebook seeded once, coding by the logged-in coder, agreement, quotes; nothing for visitors."""

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


def _apply(pages, researcher, transcript_id, code_id, first, last, memo=""):
    with request(pages["app"], researcher):
        return call(pages["transcript"].code, 1, [], transcript_id, code_id, first, last, memo,
                    trigger=ids.TRANSCRIPT_APPLY)


def test_visitors_get_neither_the_page_nor_its_callbacks(pages, study, transcript_id):
    module = pages["transcript"]
    with request(pages["app"]):
        refused = module.layout(transcript_id=str(transcript_id))
        assert auth.REFUSED in text(refused) and "frogs" not in text(refused)
        for callback, args, trigger in (
                (module.correct, ("edited", transcript_id), {"type": ids.TRANSCRIPT_TEXT, "index": 0}),
                (module.code, (1, [], transcript_id, 1, 1, 2, ""), ids.TRANSCRIPT_APPLY),
                (module.download_quotes, (1, transcript_id, None), ids.TRANSCRIPT_QUOTES)):
            with pytest.raises(PreventUpdate):
                call(callback, *args, trigger=trigger)
    store = study.store
    assert store.list_transcript_edits(transcript_id) == [] and store.list_codings() == []
    assert store.list_codes(study.created.study.id) == []


def test_the_page_shows_timed_segments_with_the_player_and_seeds_the_codebook_once(pages, study, researcher,
                                                                                  transcript_id):
    module = pages["transcript"]
    with request(pages["app"], researcher):
        page = module.layout(transcript_id=str(transcript_id))
        module.layout(transcript_id=str(transcript_id))
    texts = [c.value for c in walk(page) if isinstance(getattr(c, "id", None), dict)
             and c.id["type"] == ids.TRANSCRIPT_TEXT]
    assert texts == [s["text"] for s in SEGMENTS]
    assert "0:02.5–0:05.0" in text(page) and find(page, ids.TRANSCRIPT_STARTS).data == [0.0, 2.5, 5.0, 7.5]
    recording_id = study.store.get_transcript(transcript_id).recording_id
    assert find(page, ids.TRANSCRIPT_AUDIO).src == f"/researcher/recordings/{recording_id}/audio"
    codes = study.store.list_codes(study.created.study.id)
    assert len(codes) == 8 and sum(c.theme for c in codes) == 3
    assert "Strategies › Keep Arrangement" in text(find(page, ids.TRANSCRIPT_CODE))
    with request(pages["app"], researcher):
        missing = module.layout(transcript_id="77")
    assert "There is no transcript '77'" in text(missing)


def test_a_correction_is_stored_as_an_edit_on_top_of_whispers_text(pages, study, researcher, transcript_id):
    module, store = pages["transcript"], study.store
    segment = {"type": ids.TRANSCRIPT_TEXT, "index": 1}
    with request(pages["app"], researcher):
        assert call(module.correct, "They look great.", transcript_id, trigger=segment) == \
            "Saved as ada's correction."
        assert call(module.correct, " They look great. ", transcript_id, trigger=segment) == ""
        page = module.layout(transcript_id=str(transcript_id))
    assert store.transcript_segments(transcript_id)[1]["text"] == "They look great."
    assert store.transcript_segments(transcript_id, edited=False)[1]["text"] == "They look grate."
    assert [(e.segment_index, e.editor) for e in store.list_transcript_edits(transcript_id)] == [(1, "ada")]
    assert "Whisper: They look grate." in text(page)


def test_two_coders_agreement_and_the_quotes(pages, study, researcher, bob, transcript_id):
    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
        call(module.correct, "They look great.", transcript_id, trigger={"type": ids.TRANSCRIPT_TEXT, "index": 1})
    code = _code_ids(store, study)
    keep, ui = code["Keep Arrangement"], code["User Interface"]
    message, codings, table = _apply(pages, researcher, transcript_id, keep, 1, 2, "dense clusters stay")
    assert message == "Coded segments 1–2 as ada." and "dense clusters stay" in text(codings)
    assert "No agreement yet" in text(table) and "at least two coders" in text(table)
    _apply(pages, researcher, transcript_id, ui, 3, 4)
    _apply(pages, bob, transcript_id, keep, 1, None)
    message, codings, table = _apply(pages, bob, transcript_id, ui, 2, 4)
    assert message == "Coded segments 2–4 as bob." and len(store.list_codings(transcript_id=transcript_id)) == 4
    rows = {r[0]: r[1:] for r in ([text(td) for td in walk(tr) if type(td).__name__ == "Td"]
                                  for tr in walk(table) if type(tr).__name__ == "Tr") if r}
    # ada [K, K, U, U], bob [K, U, U, U]: observed 0.75, chance 0.5, so Cohen's kappa 0.5 overall and per code
    assert rows["(overall)"] == ["0.5", "0.75", "cohen", "4"]
    assert rows["Keep Arrangement"] == ["0.5", "0.75", "cohen", "4"] == rows["User Interface"]
    assert "Coders ada, bob on 4 segments" in text(table)

    assert _apply(pages, bob, transcript_id, keep, 4, 9)[0] == \
        "Not coded: segments 4–9 do not fit (this transcript has 1–4)."
    assert _apply(pages, bob, transcript_id, None, 1, 1)[0] == "Choose a code first."
    with request(pages["app"], researcher):
        quotes = call(module.download_quotes, 1, transcript_id, None, trigger=ids.TRANSCRIPT_QUOTES)
        only_ui = call(module.download_quotes, 1, transcript_id, str(ui), trigger=ids.TRANSCRIPT_QUOTES)
    assert quotes["filename"] == f"quotes-study-{study.created.study.id}.txt"
    assert "Keep Arrangement\n\u201cI keep the frogs where they are. They look great.\u201d (P1)\n" \
           "\u201cI keep the frogs where they are.\u201d (P1)" in quotes["content"]
    assert only_ui["content"].startswith("User Interface\n") and "frogs" not in only_ui["content"]


def test_coders_take_back_only_their_own_codings(pages, study, researcher, bob, transcript_id):
    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
    _apply(pages, researcher, transcript_id, _code_ids(store, study)["Changed Strategy"], 2, 3)
    coding = store.list_codings(transcript_id=transcript_id)[0]
    remove = {"type": ids.TRANSCRIPT_UNCODE, "coding": coding.id}
    for who, expected in ((bob, 1), (researcher, 0)):
        with request(pages["app"], who):
            try:
                message, codings, _ = call(module.code, None, [1], transcript_id, None, None, None, None,
                                           trigger=remove)
                assert message == "Coding removed." and "Nothing coded yet" in text(codings)
            except PreventUpdate:
                assert who is bob
        assert len(store.list_codings(transcript_id=transcript_id)) == expected


def test_three_coders_are_compared_with_fleiss_kappa(pages, study, researcher, bob, transcript_id):
    module, store = pages["transcript"], study.store
    with request(pages["app"], researcher):
        module.layout(transcript_id=str(transcript_id))
    keep = _code_ids(store, study)["Keep Arrangement"]
    for coder, last in (("ada", 2), ("bob", 2), ("cem", 1)):
        store.add_coding(transcript_id, 0, last - 1, keep, coder)
    view = module.agreement_view(store, study.created.study.id)
    assert "fleiss" in text(view) and "Coders ada, bob, cem on 4 segments" in text(view)
