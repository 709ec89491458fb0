"""Tidy exports: exactly the documented columns, one row per observation, the right values."""

from __future__ import annotations

import pandas as pd

from hill_dash.store import ANSWER_COLUMNS, CODING_COLUMNS, EPOCH_COLUMNS, NewStudy, ScenarioSpec, Store

DOCUMENTED_EPOCHS = ["study", "participant", "scenario", "condition", "seed", "run_id", "epoch", "val_acc",
                     "val_macro_f1", "loss_total", "loss_ce", "loss_human", "loss_scale", "loss_direction",
                     "interaction_point", "phase", "simulated"]
DOCUMENTED_ANSWERS = ["study", "participant", "scenario", "instrument", "item", "value", "untouched",
                      "answered_at", "simulated"]
DOCUMENTED_CODINGS = ["study", "participant", "scenario", "code", "theme", "coder", "start_s", "end_s"]


def test_empty_study_gives_empty_frames_with_the_documented_columns(store: Store) -> None:
    store.create_study("empty", ["digits"])
    assert (EPOCH_COLUMNS, ANSWER_COLUMNS, CODING_COLUMNS) == (DOCUMENTED_EPOCHS, DOCUMENTED_ANSWERS,
                                                             DOCUMENTED_CODINGS)
    for frame, columns in ((store.epochs_frame("empty"), DOCUMENTED_EPOCHS),
                           (store.answers_frame("empty"), DOCUMENTED_ANSWERS),
                           (store.codings_frame("empty"), DOCUMENTED_CODINGS)):
        assert isinstance(frame, pd.DataFrame) and list(frame.columns) == columns and frame.empty


def test_epochs_frame(store: Store) -> None:
    new = store.create_study("s", [ScenarioSpec("digits", interaction_epochs=(2, 3), end_epoch=4)], 1)
    scenario, participant = new.study.scenarios[0], new.invites[0].participant
    hill = store.create_run(study_scenario_id=scenario.id, participant_id=participant.id, seed=7)
    baseline = store.create_run(study_scenario_id=scenario.id, condition="baseline", seed=1)
    simulated = store.create_run(study_scenario_id=scenario.id, condition="simulated")
    store.create_run("digits")  # free-standing: not part of the study's frame
    for run in (hill, baseline, simulated):
        for epoch in (1, 2, 3):
            store.add_epoch(run.id, epoch, val_acc=0.5 + epoch / 10, loss_total=1.0 / epoch,
                            interaction_point=epoch in (2, 3))
    frame = store.epochs_frame("s")
    assert list(frame.columns) == DOCUMENTED_EPOCHS and len(frame) == 9
    mine = frame[frame.run_id == hill.id]
    assert mine.participant.tolist() == ["P1"] * 3 and mine.seed.tolist() == [7] * 3
    assert mine.phase.tolist() == ["pretrain", "pretrain", "interactive"]
    assert mine.val_acc.tolist() == [0.6, 0.7, 0.8]
    assert frame.groupby("condition").simulated.all().to_dict() == {"baseline": False, "hill": False,
                                                                    "simulated": True}
    assert frame[frame.condition == "baseline"].participant.isna().all()


def test_answers_frame_latest_and_history(store: Store, study: NewStudy) -> None:
    p1 = study.invites[0].participant
    simulated = store.add_participant("pilot", simulated=True).participant
    digits = study.study.scenarios[0]
    store.save_answer(p1.id, "umux_lite", "q1", 3, study_scenario_id=digits.id)
    store.save_answer(p1.id, "umux_lite", "q1", 5, study_scenario_id=digits.id)
    store.save_answer(simulated.id, "demographics", "age", "25-34", untouched=True)
    frame = store.answers_frame("pilot")
    assert list(frame.columns) == DOCUMENTED_ANSWERS and len(frame) == 2
    row = frame[frame.participant == "P1"].iloc[0].to_dict()
    assert {k: row[k] for k in ("scenario", "instrument", "item", "value", "untouched", "simulated")} == {
        "scenario": "digits", "instrument": "umux_lite", "item": "q1", "value": 5, "untouched": False,
        "simulated": False}
    assert row["answered_at"].tzinfo is not None
    sim = frame[frame.participant == simulated.code].iloc[0]
    assert sim["simulated"] and sim["untouched"] and pd.isna(sim["scenario"])
    history = store.answers_frame("pilot", history=True)
    assert list(history.columns) == DOCUMENTED_ANSWERS and history.value.tolist() == [3, 5, "25-34"]


def test_codings_frame_gives_seconds_and_themes(store: Store, study: NewStudy) -> None:
    digits = study.study.scenarios[0]
    recording = store.create_recording("think_aloud", participant_id=study.invites[0].participant.id,
                                       study_scenario_id=digits.id)
    transcript = store.add_transcript(recording.id, "faster-whisper", "tiny.en", segments=[
        {"start": 0.0, "end": 1.2, "text": "a"}, {"start": 1.2, "end": 4.0, "text": "b"},
        {"start": 4.0, "end": 7.5, "text": "c"}])
    theme = store.add_code("pilot", "Strategy", theme=True)
    nested = store.add_code("pilot", "separate", parent_id=store.add_code("pilot", "moves", parent_id=theme.id).id)
    loose = store.add_code("pilot", "confusion")
    store.add_coding(transcript.id, 1, 2, nested.id, "ada")
    store.add_coding(transcript.id, 0, 0, loose.id, "bob")
    frame = store.codings_frame("pilot")
    assert list(frame.columns) == DOCUMENTED_CODINGS
    assert frame.fillna({"theme": "-"}).to_dict("records") == [
        {"study": "pilot", "participant": "P1", "scenario": "digits", "code": "separate", "theme": "Strategy",
         "coder": "ada", "start_s": 1.2, "end_s": 7.5},
        {"study": "pilot", "participant": "P1", "scenario": "digits", "code": "confusion", "theme": "-",
         "coder": "bob", "start_s": 0.0, "end_s": 1.2}]
