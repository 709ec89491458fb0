"""`hill-dash demo-study` builds a complete simulated study through the app's own paths; `export` writes it out."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import questionnaires
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


TYPES = {"integer": "i", "number": "f", "boolean": "b"}


def test_export_writes_a_documented_data_package_with_every_table(cli, demo, tmp_path):
    import frictionless

    data_dir, summary, store = demo
    result = cli.invoke("export", "--study", summary["study"], "--data-dir", data_dir, "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    out = cli.last_json(result)
    rows = out["rows"]
    assert rows["edits"] == summary["edits"] > 0 and rows["edit_points"] >= rows["edits"] // 2
    assert rows["participants"] == 2 and rows["participant_scenarios"] == 4
    assert rows["transcript_segments"] > 0 and rows["codings"] == summary["codings"] and rows["codebook"] > 0
    assert rows["answers"] == summary["answers"] and rows["recordings"] == 4
    assert out["qdpx"].endswith(".qdpx") and (tmp_path / "datapackage.json").exists()
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((tmp_path / "datapackage.json").read_text())
    for resource in package["resources"]:
        frame = pd.read_csv(tmp_path / resource["path"])
        fields = resource["schema"]["fields"]
        assert list(frame.columns) == [f["name"] for f in fields]
        for f in fields:
            assert f["description"], (resource["name"], f["name"])
            column = frame[f["name"]].dropna()
            if f["type"] in TYPES and len(column) and not frame[f["name"]].isna().any():
                assert column.dtype.kind == TYPES[f["type"]], (resource["name"], f["name"], column.dtype)
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert set(runs["condition"]) == {"hill", "baseline"} and runs["simulated"].dtype == bool
    hill = runs[runs["condition"] == "hill"]
    assert (hill["alpha"] > 0).all() and (runs.loc[runs["condition"] == "baseline", "alpha"] == 0).all()
    assert json.loads(hill["interaction_epochs"].iloc[0]) and hill["teacher"].notna().all()
    edits = pd.read_csv(tmp_path / "edits.csv")
    assert edits["undone"].dtype == bool and edits["interaction_index"].min() == 0
    people = pd.read_csv(tmp_path / "participants.csv")
    assert set(people["status"]) == {"finished"} and people["scenario_order"].str.contains(" > ").all()
    segments = pd.read_csv(tmp_path / "transcript_segments.csv")
    assert (segments["end_s"] > segments["start_s"]).all()
    epochs = pd.read_csv(tmp_path / "epochs.csv")
    assert epochs["test_acc"].between(0, 1).all() and epochs["interaction_point"].dtype == bool


def test_export_reads_each_transcript_once_and_writes_the_same_package(demo, tmp_path, monkeypatch):
    from collections import Counter

    from hill_dash.store import Store
    from hill_dash.studydata.export import export_study

    _, summary, store = demo
    export_study(store, summary["study_id"], tmp_path / "first")
    read = Counter()
    plain = Store.transcript_segments

    def counted(self, transcript_id, *args, **kwargs):
        read[transcript_id] += 1
        return plain(self, transcript_id, *args, **kwargs)

    monkeypatch.setattr(Store, "transcript_segments", counted)
    export_study(store, summary["study_id"], tmp_path / "second")
    assert read and set(read.values()) == {1}, f"transcripts read more than once: {read}"
    for name in ("transcript_segments.csv", "codings.csv", "participants.csv", "runs.csv", "edits.csv"):
        assert (tmp_path / "first" / name).read_text() == (tmp_path / "second" / name).read_text(), name


def test_exported_csv_reads_as_typed_data_in_r_when_r_is_installed(cli, demo, tmp_path):
    import shutil
    import subprocess

    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed here; pandas reads every table in the export test above")
    data_dir, summary, _ = demo
    assert cli.invoke("export", "--study", summary["study"], "--data-dir", data_dir, "--out", tmp_path).exit_code == 0
    # Every typed field of every table, as R's plain read.csv sees it; an all-empty column is logical NA in R.
    r_check = {"boolean": "is.logical", "integer": "is.integer", "number": "is.numeric"}
    lines, checked = [], 0
    for i, resource in enumerate(json.loads((tmp_path / "datapackage.json").read_text())["resources"]):
        lines.append(f'x{i} <- read.csv("{resource["path"]}")')
        for field in resource["schema"]["fields"]:
            if field["type"] in r_check:
                col = f'x{i}[["{field["name"]}"]]'
                lines.append(f'if (!({r_check[field["type"]]}({col}) || all(is.na({col})))) '
                             f'stop("{resource["path"]}: {field["name"]} is not {field["type"]} in R")')
                checked += 1
    assert checked > 20
    done = subprocess.run(["Rscript", "-e", "\n".join(lines)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


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
    assert "no baseline runs for scenario basicmotions" in out["skipped"]["fig5_accuracy"]
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
    assert out["error"] and out["files"] == [] and "no HILL runs" in out["skipped"]["fig5_accuracy"]
