"""A complete simulated study, built offline through the same code paths the app uses, so every page and figure
has data in minutes.

Per scenario: the shared pretrained checkpoint (`rounds.pretrained_checkpoint`), then baseline runs (alpha = 0,
several seeds) stored as runs of the study scenario. Per participant (flagged simulated) and scenario, in the
participant's counterbalanced order: a HILL run started with `rounds.start_run`; at every interaction point a
simulated strategy (the paper's: compactness, distance, merge, keep, change) edits the 2D view and each edit is
stored with `rounds.record_edit`; `rounds.train_round` trains to the next point, until the end. Then the
questionnaires (drawn with `analysis.synthetic`, correlated with how far the participant's run ended above the
baseline mean), demographics, an optional simulated think-aloud transcript with codings, and the participant's
step set to finished.

Where the strategy is recorded: in the study's settings (`settings["demo"]["strategies"]`, code -> strategy) and in
the actor of every edit ("simulated:<strategy>"). Not in the run's config: that is the training core's
`RunConfig`, which refuses fields it does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from analysis.synthetic import synthetic_answers
from hill_dash.core.checkpoint import load_checkpoint
from hill_dash.core.config import RunConfig
from hill_dash.core.simulate import STRATEGIES, make_strategy
from hill_dash.jobs import rounds
from hill_dash.store import ScenarioSpec, Store, Study
from hill_dash.studydata.frames import CONSENT_INSTRUMENT, SIMULATED_SETTING, StudyDataError
from hill_dash.studydata.thinkaloud import add_codebook, add_thinkaloud

QUESTIONNAIRES = ("umux_lite", "nasa_tlx", "custom_hill")
DEMO_NAME = "demo (simulated)"


class DemoProgress(Protocol):
    """Where the builder reports its work: the number of training epochs ahead, then one call per epoch."""

    def plan(self, total: int) -> None: ...

    def advance(self, label: str) -> None: ...


class _Silent:
    def plan(self, total: int) -> None:
        return None

    def advance(self, label: str) -> None:
        return None


@dataclass(frozen=True)
class DemoOptions:
    """What to build: how many simulated participants, which scenarios, how many baseline seeds."""

    participants: int = 14
    scenarios: tuple[str, ...] = ("digits", "basicmotions")
    seeds: int = 5
    seed: int = 0  # strategies' assignment, questionnaire answers and demographics
    name: str = DEMO_NAME
    strength: float = 0.5  # how far a strategy moves the points (0..1)
    think_aloud: bool = True

    def check(self) -> None:
        """`StudyDataError` naming the option that no study can be built with."""
        if self.participants < 1:
            raise StudyDataError(f"--participants must be at least 1, got {self.participants}")
        if self.seeds < 1:
            raise StudyDataError(f"--seeds must be at least 1 (the baseline band needs runs), got {self.seeds}")
        if not self.scenarios or len(set(self.scenarios)) != len(self.scenarios):
            raise StudyDataError(f"--scenarios must name at least one scenario, each once; got {list(self.scenarios)}")
        if not 0.0 <= self.strength <= 1.0:
            raise StudyDataError(f"--strength is the fraction of the way points move, in [0, 1]; got {self.strength}")
        if not self.name.strip():
            raise StudyDataError("--name must not be empty")


@dataclass
class DemoResult:
    """What was built, counted from what was stored."""

    study_id: int
    study_name: str
    strategies: dict[str, str]
    runs: dict[str, int]
    edits: int
    answers: int
    codings: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Schedule:
    scenario: str
    checkpoint: Path
    start: int  # the checkpoint's epoch: the first interaction point
    interaction_epochs: tuple[int, ...]
    end_epoch: int


def assign_strategies(codes: list[str], seed: int) -> dict[str, str]:
    """Each participant's strategy: the paper's five in a seeded order, repeated, so every one is played."""
    order = [STRATEGIES[i] for i in np.random.default_rng(seed).permutation(len(STRATEGIES))]
    return {code: order[i % len(order)] for i, code in enumerate(codes)}


def _schedule(store: Store, scenario: str, progress: DemoProgress) -> _Schedule:
    checkpoint = rounds.pretrained_checkpoint(store, scenario, 0, None,
                                              lambda _: progress.advance(f"pretraining {scenario}"))
    payload = load_checkpoint(checkpoint)
    config = RunConfig.from_dict(payload["config"])
    return _Schedule(scenario, checkpoint, int(payload["epoch"]), tuple(config.interaction_epochs or ()),
                     int(config.end_epoch))


def _train_to_end(store: Store, run_id: int, label: str, progress: DemoProgress,
                  at_point: Callable[[dict[str, Any]], None] | None = None) -> float:
    """Train round after round to the end (calling `at_point` with the editor's view first); the final accuracy."""
    while True:
        if at_point is not None:
            at_point(rounds.run_view(store, run_id))
        result = rounds.train_round(store, run_id, progress=lambda _: progress.advance(label))
        if result["finished"]:
            return float(result["val_acc"])


def _strategy_player(store: Store, run_id: int, strategy: str, strength: float) -> Callable[[dict[str, Any]], None]:
    play = make_strategy(strategy, strength)

    def at_point(view: dict[str, Any]) -> None:
        snapshot = rounds.load_snapshot(store, run_id, view["epoch"])
        _, edits = play(snapshot, view["interaction_index"])
        for edit in edits:
            rounds.record_edit(store, run_id, {**edit.to_dict(), "epoch": view["epoch"]}, actor=edit.actor)

    return at_point


def _save(store: Store, participant_id: int, instrument: str, item: str, value: Any,
          study_scenario_id: int | None = None, untouched: bool = False) -> None:
    store.save_answer(participant_id, instrument, item, value.item() if hasattr(value, "item") else value,
                      study_scenario_id=study_scenario_id, untouched=bool(untouched))


def _demographics(store: Store, participant_id: int, rng: np.random.Generator) -> None:
    """Consent and demographics drawn like the paper's sample (age 27.1 +- 3.8, 5 of 14 female, ML 52.9 +- 28.8)."""
    values = {"age": int(np.clip(np.rint(rng.normal(27.1, 3.8)), 18, 120)),
              "gender": str(rng.choice(["female", "male"], p=[5 / 14, 9 / 14])),
              "ml_experience": round(float(np.clip(rng.normal(52.9, 28.8), 0, 100)), 1)}
    _save(store, participant_id, CONSENT_INSTRUMENT, "agree", True)
    for item, value in values.items():
        _save(store, participant_id, "demographics", item, value)


def _create(store: Store, options: DemoOptions, schedules: list[_Schedule]) -> tuple[Study, dict[str, str]]:
    codes = [f"P{i}" for i in range(1, options.participants + 1)]  # how a new study numbers them
    strategies = assign_strategies(codes, options.seed)
    specs = [ScenarioSpec(s.scenario, interaction_epochs=s.interaction_epochs, end_epoch=s.end_epoch)
             for s in schedules]
    settings = {SIMULATED_SETTING: True, "demo": {"seed": options.seed, "seeds": options.seeds,
                                                  "strength": options.strength, "strategies": strategies}}
    new = store.create_study(options.name, specs, options.participants, instruments=QUESTIONNAIRES,
                             settings=settings, simulated=True,
                             description="A simulated study built by `hill-dash demo-study`: no person took part.")
    made = [invite.participant.code for invite in new.invites]
    if made != codes:
        raise StudyDataError(f"the store numbered the demo participants {made}, expected {codes}")
    return new.study, strategies


def _baselines(store: Store, schedules: list[_Schedule], scenario_ids: dict[str, int], seeds: int,
               progress: DemoProgress) -> dict[str, float]:
    """alpha = 0 runs over seeds 0..seeds-1 from each shared checkpoint; returns each scenario's final mean."""
    final_mean = {}
    for schedule in schedules:
        finals = []
        for seed in range(seeds):
            run_id = rounds.start_run(store, schedule.scenario, study_scenario_id=scenario_ids[schedule.scenario],
                                      condition="baseline", seed=seed, alpha=0.0, checkpoint=schedule.checkpoint)
            finals.append(_train_to_end(store, run_id, f"baseline {schedule.scenario}", progress))
        final_mean[schedule.scenario] = float(np.mean(finals))
    return final_mean


def _hill_runs(store: Store, study: Study, schedules: list[_Schedule], strategies: dict[str, str],
               baseline: dict[str, float], strength: float, progress: DemoProgress) -> dict[tuple[str, str], float]:
    """Every participant's HILL runs, in their scenario order; returns each run's final gain over the baseline."""
    by_name = {s.scenario: s for s in schedules}
    gains = {}
    for participant in store.list_participants(study.id):
        strategy = strategies[participant.code]
        for scenario in store.participant_scenarios(participant.id):
            # as the app starts a participant's run (views/flow.py, ensure_run)
            run_id = rounds.start_run(store, scenario.scenario, participant_id=participant.id,
                                      study_scenario_id=scenario.id, seed=participant.id, alpha=study.alpha,
                                      lam=study.lam, checkpoint=by_name[scenario.scenario].checkpoint)
            final = _train_to_end(store, run_id, f"{participant.code} {scenario.scenario} ({strategy})", progress,
                                  _strategy_player(store, run_id, strategy, strength))
            gains[(participant.code, scenario.scenario)] = final - baseline[scenario.scenario]
    return gains


def build_demo_study(store: Store, options: DemoOptions = DemoOptions(),
                     progress: DemoProgress | None = None) -> DemoResult:
    """Build the simulated study described in the module docstring in `store`; `StudyDataError` for bad options
    or a name already taken (checked before any training)."""
    options.check()
    progress = progress or _Silent()
    if any(s.name == options.name.strip() for s in store.list_studies()):
        raise StudyDataError(f"this data directory already holds a study named {options.name!r}: pass another "
                             f"--name or an empty --out directory")
    schedules = [_schedule(store, name, progress) for name in options.scenarios]
    progress.plan(sum((s.end_epoch - s.start) * (options.seeds + options.participants) for s in schedules))
    study, strategies = _create(store, options, schedules)
    scenario_ids = {sc.scenario: sc.id for sc in study.scenarios}
    baseline = _baselines(store, schedules, scenario_ids, options.seeds, progress)
    gains = _hill_runs(store, study, schedules, strategies, baseline, options.strength, progress)

    participants = store.list_participants(study.id)
    rng = np.random.default_rng(options.seed)
    for participant in participants:
        _demographics(store, participant.id, rng)
    by_code = {p.code: p.id for p in participants}
    for row in synthetic_answers(gains, rng, study=study.name).itertuples(index=False):
        _save(store, by_code[row.participant], row.instrument, row.item, row.value, scenario_ids[row.scenario],
              row.untouched)

    codings, notes = 0, []
    if options.think_aloud:
        codebook = add_codebook(store, study.id)
        codings = sum(add_thinkaloud(store, codebook, p.id, sc.id, strategies[p.code], len(sc.interaction_epochs))
                      for p in participants for sc in study.scenarios)
        notes.append("think-aloud: one simulated transcript (no audio) per participant and scenario, coded with "
                     "the paper's strategy codes")
    else:
        notes.append("think-aloud left out: no transcripts, so no codings and no strategy timeline")
    for participant in participants:
        store.set_step(participant.id, {"page": "done"})
        store.set_status(participant.id, "finished")
    runs = store.list_runs(study=study.id)
    edits = sum(len(store.list_edits(run.id)) for run in runs if run.condition == "hill")
    counts = {condition: sum(1 for run in runs if run.condition == condition) for condition in ("hill", "baseline")}
    return DemoResult(study.id, study.name, strategies, counts, edits, len(store.answers_frame(study.id)), codings,
                      notes)
