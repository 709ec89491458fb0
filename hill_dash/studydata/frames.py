"""One study's rows in the store as the tidy tables `analysis` reads (schema: `analysis/schema.py`).

The store's frames (`Store.epochs_frame`, `answers_frame`, `codings_frame`) are close to that schema; this module
closes the gaps and says what it left out and why:

runs      the analysis runs table plus `status` (the run's status in the store) and `test_acc`/`test_macro_f1`
          (measured on the test split, never shown to participants). A store run of condition "simulated" (a
          simulated user steering a HILL run) becomes condition "hill" with `simulated` True; `run_id` is a
          string. `analysis_runs()` keeps only finished runs a participant (or a baseline) owns.
answers   the analysis answers table, one row per current answer, consent included.
          `questionnaire_answers()` drops the consent record, which is not a questionnaire.
scores    `analysis.score_answers` of the questionnaire answers (empty, with the columns, when there are none).
codings   study, participant, scenario, code, theme, coder, start_s, end_s (the coded stretch of the transcript).
order     participant, scenario, position: the order each participant met the scenarios (counterbalanced).
points    participant, scenario, interaction_index, at_s: when each interaction point happened in the
          participant's think-aloud recording (for the strategy timeline).

Every table carries `simulated`: a row is simulated when the store says so (simulated participant or run) or when
the whole study is flagged simulated (`settings["simulated"]`, as `hill-dash demo-study` sets it), so a demo's
baseline runs are never mistaken for a measured study's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import AnalysisError, score_answers
from analysis.schema import SCORES_COLUMNS
from hill_dash.store import NotFound, Store, Study

CONSENT_INSTRUMENT = "consent"  # the flow's record of the consent tick, kept with the answers
SIMULATED_SETTING = "simulated"
NUMERIC_RUN_COLUMNS = ("val_acc", "val_macro_f1", "loss_total", "loss_ce", "loss_human", "loss_scale",
                       "loss_direction")


class StudyDataError(ValueError):
    """A study's data cannot be turned into results as asked; the message says what is missing and what to do."""


def find_study(store: Store, study: int | str) -> Study:
    """A study by id or by name (a name made of digits is tried as an id first, then as a name).

    `StudyDataError` listing the studies the store holds when nothing matches.
    """
    text = str(study).strip()
    candidates: list[int | str] = [int(text), text] if text.isdigit() else [text]
    for key in candidates:
        try:
            return store.get_study(key)
        except NotFound:
            continue
    known = [f"{s.id}: {s.name}" for s in store.list_studies()]
    listing = "; ".join(known) if known else "none: create one in the app or with `hill-dash demo-study`"
    raise StudyDataError(f"there is no study {text!r} in this data directory (studies: {listing}); pass --study "
                         f"with one of these ids or names, and --data-dir/--database-url for another store")


def study_is_simulated(study: Study) -> bool:
    """True for a study flagged simulated as a whole (a demo)."""
    return bool(study.settings.get(SIMULATED_SETTING, False))


def _flag(frame: pd.DataFrame, study: Study) -> pd.DataFrame:
    frame = frame.copy()
    frame["simulated"] = frame["simulated"].fillna(False).astype(bool) | study_is_simulated(study)
    return frame


DISPLAY_NAMES = {"digits": "Digits", "basicmotions": "BasicMotions", "cifar10": "CIFAR-10", "pamap2": "PAMAP2"}


def display_names(study: Study) -> dict[str, str]:
    """Scenario id -> the name figures and reports print (the study's `settings["display_names"]` first)."""
    chosen = study.settings.get("display_names") or {}
    return {s.scenario: str(chosen.get(s.scenario) or DISPLAY_NAMES.get(s.scenario, s.scenario))
            for s in study.scenarios}


def _test_metrics(store: Store, run_ids: list[int]) -> pd.DataFrame:
    rows = [{"run_id": str(run_id), "epoch": e.epoch, "test_acc": (e.metrics or {}).get("test_accuracy"),
             "test_macro_f1": (e.metrics or {}).get("test_macro_f1")}
            for run_id in run_ids for e in store.list_epochs(run_id)]
    frame = pd.DataFrame(rows, columns=["run_id", "epoch", "test_acc", "test_macro_f1"])
    return frame.astype({"epoch": int, "test_acc": float, "test_macro_f1": float})


def runs_frame(store: Store, study: Study) -> pd.DataFrame:
    """Every epoch of every run of the study's scenarios, in the analysis schema plus `status` and test metrics."""
    frame = _flag(store.epochs_frame(study.id), study)
    listed = store.list_runs(study=study.id)
    status = {str(run.id): run.status for run in listed}
    frame["run_id"] = frame["run_id"].astype(str)
    frame["condition"] = frame["condition"].replace({"simulated": "hill"})
    frame["status"] = frame["run_id"].map(status)
    frame["seed"] = frame["seed"].astype(int)
    frame["epoch"] = frame["epoch"].astype(int)
    for column in NUMERIC_RUN_COLUMNS:  # typed even when there is no row yet
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    frame["interaction_point"] = frame["interaction_point"].fillna(False).astype(bool)
    return frame.merge(_test_metrics(store, [run.id for run in listed]), on=["run_id", "epoch"], how="left")


def analysis_runs(runs: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The runs the statistics may use (finished; HILL runs with a participant), and a note per left-out kind."""
    notes = []
    unfinished = runs.loc[runs["status"] != "finished", "run_id"].unique()
    if len(unfinished):
        notes.append(f"{len(unfinished)} run(s) that did not finish training were left out "
                     f"(run ids {', '.join(sorted(unfinished, key=int)[:10])})")
    orphan = runs.loc[(runs["condition"] == "hill") & runs["participant"].isna(), "run_id"].unique()
    if len(orphan):
        notes.append(f"{len(orphan)} HILL run(s) without a participant were left out")
    keep = (runs["status"] == "finished") & ~runs["run_id"].isin(orphan)
    return runs[keep].reset_index(drop=True), notes


def answers_frame(store: Store, study: Study) -> pd.DataFrame:
    """One row per current answer of the study's participants (consent, demographics and questionnaires)."""
    return _flag(store.answers_frame(study.id), study)


def questionnaire_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """The answers without the consent record."""
    return answers[answers["instrument"] != CONSENT_INSTRUMENT].reset_index(drop=True)


def scores_frame(answers: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Scored questionnaires, one participant x scenario x instrument at a time, so a questionnaire still being
    filled in (which cannot be scored yet) costs only itself; returns the scores and a note per one left out."""
    rows = questionnaire_answers(answers)
    if rows.empty:
        return pd.DataFrame(columns=list(SCORES_COLUMNS)), []
    try:  # the usual case, every questionnaire complete: one pass
        return score_answers(rows), []
    except AnalysisError:
        pass
    scored, notes = [], []
    keys = ["participant", "scenario", "instrument"]
    for (participant, scenario, instrument), group in rows.groupby(keys, sort=True, dropna=False):
        try:
            scored.append(score_answers(group))
        except AnalysisError as exc:
            where = f"{participant}, {scenario}" if isinstance(scenario, str) else str(participant)
            notes.append(f"{instrument} of {where} was left out of the scores: {exc}")
    frame = pd.concat(scored, ignore_index=True) if scored else pd.DataFrame(columns=list(SCORES_COLUMNS))
    return frame, notes


def codings_frame(store: Store, study: Study) -> pd.DataFrame:
    """One row per coding of the study's transcripts, with `simulated` from the study's flag."""
    frame = store.codings_frame(study.id)
    frame["simulated"] = study_is_simulated(study)
    return frame


@dataclass
class StudyTables:
    """A study's tidy tables and what was noticed while making them."""

    study: Study
    runs: pd.DataFrame
    answers: pd.DataFrame
    scores: pd.DataFrame
    codings: pd.DataFrame
    notes: list[str] = field(default_factory=list)  # questionnaires that could not be scored, and why
    scored_all: bool = True
    order: pd.DataFrame | None = None
    points: pd.DataFrame | None = None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def simulated(self) -> bool:
        """True when the study or any of its rows is simulated (figures then say so)."""
        return study_is_simulated(self.study) or any(
            bool(frame["simulated"].any()) for frame in (self.runs, self.answers) if not frame.empty)

    def tidy(self) -> dict[str, pd.DataFrame]:
        """The tables by file name, as `export` writes them."""
        return {"runs": self.runs, "answers": self.answers, "scores": self.scores, "codings": self.codings}


def order_frame(store: Store, study: Study) -> pd.DataFrame:
    """participant, scenario, position (1 = met first) for every participant of the study."""
    rows = [{"participant": person.code, "scenario": scenario.scenario, "position": index + 1}
            for person in store.list_participants(study.id)
            for index, scenario in enumerate(store.participant_scenarios(person.id))]
    return pd.DataFrame(rows, columns=["participant", "scenario", "position"])


def load_study(store: Store, study: int | str, for_figures: bool = True) -> StudyTables:
    """All of a study's tables; `StudyDataError` for an unknown study. `for_figures=False` leaves out what only
    the figures need (when each interaction point happened in the recordings)."""
    from hill_dash.studydata.qualitative import interaction_times

    record = find_study(store, study)
    answers = answers_frame(store, record)
    scores, unscored = scores_frame(answers)
    return StudyTables(record, runs_frame(store, record), answers, scores, codings_frame(store, record), unscored,
                       scored_all=not unscored, order=order_frame(store, record),
                       points=interaction_times(store, record) if for_figures else None,
                       names=display_names(record))
