"""The tidy tables the analysis reads, and validators that say exactly what is wrong with one.

Every statistic and figure in `analysis` starts from one of these long ("tidy") tables, one observation per row:

runs      one row per run x epoch
    study            str    study id
    participant      str    participant id; None/NaN for baseline runs
    scenario         str    scenario name (e.g. "digits")
    condition        str    "hill" | "baseline"
    seed             int    training seed of the run
    run_id           str    unique per run
    epoch            int    epoch number (the same numbering for HILL and baseline runs)
    val_acc          float  validation accuracy in [0, 1]
    val_macro_f1     float  validation macro F1 in [0, 1]
    loss_total, loss_ce, loss_human, loss_scale, loss_direction   float  mean losses of the epoch
    interaction_point bool  this epoch ends at an interaction point
    phase            str    "pretrain" | "interactive"
    simulated        bool   produced by a simulated user or a synthetic generator, not a person

answers   one row per questionnaire answer
    study, participant, scenario, instrument, item   str
    value            number (str for free-text items, which the statistics ignore)
    untouched        bool   a slider that was submitted at its starting position
    answered_at      datetime or ISO string
    simulated        bool

codings   (optional) one row per coded span of a transcript
    study, participant, scenario, code, theme, coder   str
    interaction_index int   which interaction point (0-based) the span falls in
      -- or --
    start_s, end_s   float  the span's time in seconds from the start of the recording

scores    answers after scoring (see `analysis.survey.score_answers`), one row per measure
    study, participant, scenario, instrument   str
    measure          str    e.g. "sus_parity", "raw_total", a NASA-TLX subscale id, a custom item id
    value            float
    simulated        bool
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class AnalysisError(ValueError):
    """The data cannot be analysed as asked; the message says what is missing and how to get it."""


RUNS_COLUMNS: tuple[str, ...] = (
    "study", "participant", "scenario", "condition", "seed", "run_id", "epoch", "val_acc", "val_macro_f1",
    "loss_total", "loss_ce", "loss_human", "loss_scale", "loss_direction", "interaction_point", "phase", "simulated",
)
ANSWERS_COLUMNS: tuple[str, ...] = (
    "study", "participant", "scenario", "instrument", "item", "value", "untouched", "answered_at", "simulated",
)
CODINGS_COLUMNS: tuple[str, ...] = ("study", "participant", "scenario", "code", "theme", "coder")
CODINGS_LOCATION: tuple[tuple[str, ...], ...] = (("interaction_index",), ("start_s", "end_s"))
SCORES_COLUMNS: tuple[str, ...] = ("study", "participant", "scenario", "instrument", "measure", "value", "simulated")

CONDITIONS = ("hill", "baseline")
_VALIDATED = "analysis_validated_runs"  # marks a frame validate_runs made, so repeated checks cost nothing
PHASES = ("pretrain", "interactive")


def _require_frame(df: object, name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    return df


def _require_columns(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise AnalysisError(
            f"{name} table is missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"it needs {', '.join(columns)} (see analysis/schema.py)"
        )


def _require_values(df: pd.DataFrame, column: str, allowed: tuple[str, ...], name: str) -> None:
    bad = sorted(set(df[column].dropna().astype(str)) - set(allowed))
    if bad:
        raise AnalysisError(f"{name}.{column} has unknown value(s) {bad}; allowed: {list(allowed)}")
    if df[column].isna().any():
        raise AnalysisError(f"{name}.{column} has empty values; every row needs one of {list(allowed)}")


def _require_numeric(df: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    for column in columns:
        if not pd.api.types.is_numeric_dtype(df[column]):
            raise AnalysisError(f"{name}.{column} must be numeric, got dtype {df[column].dtype}")


def _with_bools(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """A copy with the flag columns as plain bool (missing flags count as False)."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].fillna(False).astype(bool)
    return out


def validate_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Check a runs table (schema above) and return it with bool columns as bool.

    Raises `AnalysisError` naming the missing column or the bad value.
    """
    runs = _require_frame(runs, "runs")
    if runs.attrs.get(_VALIDATED) == id(runs):  # this very frame was returned by validate_runs
        return runs
    _require_columns(runs, RUNS_COLUMNS, "runs")
    _require_values(runs, "condition", CONDITIONS, "runs")
    _require_values(runs, "phase", PHASES, "runs")
    _require_numeric(runs, ("epoch", "val_acc"), "runs")
    hill_without_participant = runs[(runs["condition"] == "hill") & runs["participant"].isna()]
    if len(hill_without_participant):
        ids = sorted(hill_without_participant["run_id"].astype(str).unique())[:5]
        raise AnalysisError(f"runs: HILL run(s) {ids} have no participant; only baseline runs may leave it empty")
    duplicated = runs.duplicated(["run_id", "epoch"])
    if duplicated.any():
        first = runs.loc[duplicated, ["run_id", "epoch"]].iloc[0]
        raise AnalysisError(f"runs: run {first['run_id']!r} has epoch {first['epoch']} more than once")
    out = _with_bools(runs, ("interaction_point", "simulated"))
    out.attrs[_VALIDATED] = id(out)
    return out


def validate_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Check an answers table (schema above); return it with `untouched`/`simulated` as bool."""
    answers = _require_frame(answers, "answers")
    _require_columns(answers, ANSWERS_COLUMNS, "answers")
    return _with_bools(answers, ("untouched", "simulated"))


def validate_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """Check a codings table: the identifying columns plus either `interaction_index` or `start_s`/`end_s`."""
    codings = _require_frame(codings, "codings")
    _require_columns(codings, CODINGS_COLUMNS, "codings")
    if not any(all(c in codings.columns for c in option) for option in CODINGS_LOCATION):
        raise AnalysisError(
            "codings table is missing column 'interaction_index' (or both 'start_s' and 'end_s'); "
            "each coded span needs the interaction point it falls in or its time"
        )
    return codings.copy()


def validate_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Check a scored-questionnaire table (schema above)."""
    scores = _require_frame(scores, "scores")
    _require_columns(scores, SCORES_COLUMNS, "scores")
    out = _with_bools(scores, ("simulated",))
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return out


def is_simulated(*frames: pd.DataFrame | None) -> bool:
    """True when any row of any given table is flagged simulated (figures then carry a visible notice)."""
    return any(
        frame is not None and "simulated" in frame.columns and bool(frame["simulated"].fillna(False).astype(bool).any())
        for frame in frames
    )
