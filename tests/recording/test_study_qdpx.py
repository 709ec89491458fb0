"""A study's codings as `<study>.qdpx`, read back by an independent REFI-QDA reader (pyrefiqda)."""

from __future__ import annotations

import pytest
from recording_kit import recorded

from hill_dash.store.qdpx import qdpx_path, write_study_qdpx

pyrefiqda = pytest.importorskip("pyrefiqda", reason="the pyrefiqda reader is not installed (test extra)")

SEGMENTS = [{"start": 0.0, "end": 3.0, "text": "I put the cats next to the dogs."},
            {"start": 63.0, "end": 66.0, "text": "The buttons are clear."}]


def test_the_study_project_holds_the_codebook_tree_sources_and_selections(study, tone_webm, tmp_path):
    store = study.store
    study_id = study.created.study.id
    recording_id = recorded(store, study.participant(0).id, study.scenario_id(), tone_webm.read_bytes())
    transcript = store.add_transcript(recording_id, "faster-whisper", "base", segments=SEGMENTS)
    theme = store.add_code(study_id, "Strategies", "How they went about it", theme=True, color="#112233")
    merge = store.add_code(study_id, "Merge Similar Classes", "Related classes together", parent_id=theme.id)
    ui = store.add_code(study_id, "User Interface")
    store.add_coding(transcript.id, 0, 0, merge.id, "ada", memo="animals", start_char=10, end_char=31)
    store.add_coding(transcript.id, 1, 1, ui.id, "bob")
    store.add_transcript_edit(transcript.id, 0, "Well, I put the cats next to the dogs.", "ada")  # words move
    path = write_study_qdpx(store, study_id, tmp_path)
    assert path == qdpx_path(tmp_path, "think-aloud") == tmp_path / "think-aloud.qdpx"

    read = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "x"))
    assert read.name == "think-aloud" and {u.name for u in read.users.user} == {"ada", "bob"}
    top = read.code_book.codes.code
    assert [(c.name, c.color) for c in top] == [("Strategies", "#112233"), ("User Interface", top[1].color)]
    assert [c.name for c in top[0].code] == ["Merge Similar Classes"]
    (source,) = read.sources.text_source
    assert source.name == f"{study.participant(0).code} digits think-aloud"
    text = (tmp_path / "x" / "sources" / source.plain_text_path.removeprefix("internal://")).read_text("utf-8")
    assert text.splitlines() == ["[00:00:00] Well, I put the cats next to the dogs.",
                                 "[00:01:03] The buttons are clear."]
    chosen = {s.description or "": text[s.start_position:s.end_position] for s in source.plain_text_selection}
    assert chosen == {"animals": "cats next to the dogs", "": "The buttons are clear."}
