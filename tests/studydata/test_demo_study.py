"""`hill-dash demo-study` builds a complete simulated study through the app's own paths; `export` writes it out."""

from __future__ import annotations

import pandas as pd
import pytest

import questionnaires
from analysis.schema import ANSWERS_COLUMNS, RUNS_COLUMNS, SCORES_COLUMNS
from hill_dash.jobs import rounds
from hill_dash.store import open_store


@pytest.fixture(scope="module")
def demo(cli, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    summary = cli.build_demo(data_dir)
    return data_dir, summary, open_store(data_dir=data_dir)


def test_the_summary_counts_what_the_store_holds(cli, demo):
    _, summary, store = demo
    runs = store.list_runs(study=summary["study_id"])
    assert summary["runs"] == {"hill": 2 * cli.participants, "baseline": 2 * cli.seeds}
    assert len(runs) == sum(summary["runs"].values())
    assert summary["answers"] == len(store.answers_frame(summary["study_id"]))
    assert summary["edits"] == sum(len(store.list_edits(r.id)) for r in runs) > 0
    assert summary["wall_time_s"] > 0 and summary["simulated"] is True
    for scenario in ("digits", "basicmotions"):
        numbers = summary["headline"][scenario]
        base = numbers["baseline_final"]
        assert base["n_seeds"] == cli.seeds and base["min"] <= base["mean"] <= base["max"]
        assert numbers["hill_runs"] == cli.participants
        assert numbers["mean_hill_gain"] == pytest.approx(numbers["hill_final_mean"] - base["mean"])


def test_everything_is_flagged_simulated_and_every_participant_finished(demo):
    _, summary, store = demo
    study = store.get_study(summary["study_id"])
    assert study.settings["simulated"] is True and sorted(study.instruments) == sorted(
        ["umux_lite", "nasa_tlx", "custom_hill"])
    participants = store.list_participants(study.id)
    assert [p.code for p in participants] == sorted(summary["strategies"])
    assert all(p.simulated and p.status == "finished" and p.current_step == {"page": "done"} for p in participants)
    assert sorted(tuple(p.scenario_order) for p in participants) == [(0, 1), (1, 0)]  # counterbalanced


def test_runs_are_trained_to_the_end_from_the_shared_checkpoint(demo):
    _, summary, store = demo
    study = store.get_study(summary["study_id"])
    for scenario in study.scenarios:
        runs = store.list_runs(study_scenario_id=scenario.id)
        assert {r.condition for r in runs} == {"hill", "baseline"}
        pretrained = {}
        for run in runs:
            epochs = store.list_epochs(run.id)
            assert run.status == "finished" and run.current_epoch == scenario.end_epoch
            assert [e.epoch for e in epochs] == list(range(1, scenario.end_epoch + 1))
            assert [e.epoch for e in epochs if e.interaction_point] == scenario.interaction_epochs
            assert run.config["alpha"] == (0.0 if run.condition == "baseline" else study.alpha)
            pretrained[run.id] = [e.val_acc for e in epochs[:scenario.interaction_epochs[0]]]
        assert len({tuple(v) for v in pretrained.values()}) == 1  # every run starts from the same checkpoint
        participants = {r.participant_id for r in runs if r.condition == "hill"}
        assert len(participants) == len([r for r in runs if r.condition == "hill"])  # one run per participant


def test_the_strategy_edits_are_stored_at_every_interaction_point(demo):
    _, summary, store = demo
    study = store.get_study(summary["study_id"])
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    for scenario in study.scenarios:
        for run in store.list_runs(study_scenario_id=scenario.id, condition="hill"):
            strategy = summary["strategies"][codes[run.participant_id]]
            edits = store.list_edits(run.id)
            assert {e.epoch for e in edits} <= set(scenario.interaction_epochs)
            assert all(e.actor.startswith("simulated:") and not e.undone for e in edits)
            if strategy not in ("keep", "change"):
                assert {e.actor for e in edits} == {f"simulated:{strategy}"}
            if strategy != "keep":  # keep may find nothing to fix
                assert {e.interaction_index for e in edits} == set(range(len(scenario.interaction_epochs)))
            assert rounds.run_view(store, run.id)["finished"]
        for run in store.list_runs(study_scenario_id=scenario.id, condition="baseline"):
            assert store.list_edits(run.id) == []


def test_every_questionnaire_is_answered_in_range(demo):
    _, summary, store = demo
    study = store.get_study(summary["study_id"])
    answers = store.answers_frame(study.id)
    for participant, own in answers.groupby("participant"):
        demographics = own[own["instrument"] == "demographics"]
        assert set(demographics["item"]) == {"age", "gender", "ml_experience"}
        for instrument in study.instruments:
            items = {item.id for item in questionnaires.load(instrument).items}
            for scenario in ("digits", "basicmotions"):
                rows = own[(own["instrument"] == instrument) & (own["scenario"] == scenario)]
                assert set(rows["item"]) == items, (participant, instrument, scenario)
                questionnaires.validate(instrument, dict(zip(rows["item"], rows["value"])))


def test_the_think_aloud_is_coded_with_the_strategy_codes(demo):
    _, summary, store = demo
    codings = store.codings_frame(summary["study_id"])
    assert summary["codings"] == len(codings) > 0
    assert set(codings["theme"]) == {"Strategies"}
    assert set(codings["coder"]) == {"simulated"}
    assert (codings["end_s"] > codings["start_s"]).all()
    assert {(p, s) for p, s in zip(codings["participant"], codings["scenario"])} == {
        (p, s) for p in summary["strategies"] for s in ("digits", "basicmotions")}


def test_a_second_demo_with_the_same_name_is_refused_before_training(cli, demo):
    data_dir, summary, store = demo
    before = store.list_studies()
    result = cli.invoke("demo-study", "--participants", 1, "--out", data_dir)
    assert result.exit_code != 0 and f"already holds a study named {summary['study']!r}" in result.output
    assert store.list_studies() == before


def test_export_writes_csv_and_parquet_with_the_documented_columns(cli, demo, tmp_path):
    data_dir, summary, _ = demo
    result = cli.invoke("export", "--study", summary["study"], "--data-dir", data_dir, "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    out = cli.last_json(result)
    expected = {"runs": [*RUNS_COLUMNS, "status"], "answers": list(ANSWERS_COLUMNS),
                "scores": list(SCORES_COLUMNS), "codings": ["study", "participant", "scenario", "code", "theme",
                                                            "coder", "start_s", "end_s", "simulated"]}
    assert out["columns"] == expected
    for name, columns in expected.items():
        csv, parquet = pd.read_csv(tmp_path / f"{name}.csv"), pd.read_parquet(tmp_path / f"{name}.parquet")
        assert list(csv.columns) == list(parquet.columns) == columns
        assert len(csv) == len(parquet) == out["rows"][name] > 0
        assert parquet["simulated"].all()
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    assert set(runs["condition"]) == {"hill", "baseline"} and (runs["status"] == "finished").all()
    assert runs.groupby("run_id")["epoch"].max().isin([11, 12]).all()


def test_an_unknown_study_is_a_clear_error(cli, demo, tmp_path):
    data_dir, summary, _ = demo
    for command in ("export", "figures"):
        result = cli.invoke(command, "--study", "no such study", "--data-dir", data_dir, "--out", tmp_path)
        assert result.exit_code != 0
        assert "there is no study 'no such study'" in result.output and summary["study"] in result.output
    assert not any(tmp_path.iterdir())


def test_a_study_without_baseline_runs_says_what_is_missing(cli, demo, tmp_path):
    data_dir, _, store = demo
    new = store.create_study("no baseline", ["basicmotions"], 1, simulated=True)
    scenario = new.study.scenarios[0]
    run_id = rounds.start_run(store, "basicmotions", participant_id=new.invites[0].participant.id,
                              study_scenario_id=scenario.id, seed=7)
    while not rounds.train_round(store, run_id)["finished"]:
        pass
    result = cli.invoke("figures", "--study", "no baseline", "--data-dir", data_dir, "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    out = cli.last_json(result)
    assert out["files"] == [] and out["report"]["files"] == []
    assert "no baseline runs for scenario basicmotions" in out["skipped"]["fig5_accuracy_basicmotions"]
    assert "no baseline runs for scenario basicmotions" in out["report"]["error"]
    assert "no nasa_tlx questionnaires" in out["skipped"]["fig6_nasa_tlx"]
    assert "no coded transcripts" in out["skipped"]["strategy_timeline_basicmotions"]


def test_a_study_without_any_run_fails_after_writing_what_it_can(cli, demo, tmp_path):
    data_dir, _, store = demo
    store.create_study("nothing yet", ["digits"], 2)
    result = cli.invoke("figures", "--study", "nothing yet", "--data-dir", data_dir, "--out", tmp_path, "--json")
    assert result.exit_code == 1
    assert "no training runs" in result.stderr
    out = cli.last_json(result)
    assert out["error"] and out["files"] == [] and "no HILL runs" in out["skipped"]["fig5_accuracy_digits"]
