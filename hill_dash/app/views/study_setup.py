"""Setting up a study from the researcher's form, as plain functions: scenario defaults, schedules, checks.

A participant's run continues from a pretrained checkpoint and keeps that checkpoint's interaction points, so the
schedule recorded for a study scenario must be the one its runs will follow: the checkpoint's when one is given,
else the scenario's own defaults (which its shared pretrained checkpoint is trained with).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import questionnaires
from hill_dash.core.scenarios import ScenarioInfo, TrainDefaults, list_scenarios
from hill_dash.store import ScenarioSpec

DEFAULT_INSTRUMENTS = ("umux_lite", "nasa_tlx", "custom_hill")
ASKED_ONCE = ("demographics",)  # given after consent, not after every scenario


class SetupError(ValueError):
    """The study form holds something no study can use; the message names the field and the fix."""


@dataclass(frozen=True)
class Schedule:
    """Where a run pauses for the participant, and where it ends."""

    interaction_epochs: tuple[int, ...]
    end_epoch: int

    def text(self) -> str:
        """The interaction points as the form shows them: '3, 5, 7, 9'."""
        return ", ".join(map(str, self.interaction_epochs))


def scenario_defaults(name: str) -> TrainDefaults | None:
    """A built-in scenario's suggested training settings (without building it); None for a plugin scenario."""
    try:
        module = importlib.import_module(f"hill_dash.core.scenarios.{name}")
    except ImportError:
        return None
    info = getattr(module, "INFO", None)
    if not isinstance(info, ScenarioInfo) or info.name != name:
        return None
    return getattr(module, "DEFAULTS", TrainDefaults())


def scenario_choices() -> list[tuple[ScenarioInfo, Schedule]]:
    """Every scenario the form offers, with the schedule its shared pretrained checkpoint follows."""
    out = []
    for info in list_scenarios():
        defaults = scenario_defaults(info.name) or TrainDefaults()
        out.append((info, Schedule(tuple(defaults.interaction_epochs), defaults.end_epoch)))
    return out


def instrument_choices() -> list[str]:
    """Instruments to give after each scenario: the paper's three first, then any other installed one."""
    others = [name for name in questionnaires.list_instruments() if name not in (*DEFAULT_INSTRUMENTS, *ASKED_ONCE)]
    return [*DEFAULT_INSTRUMENTS, *others]


def instrument_options() -> list[dict[str, str]]:
    """The questionnaires a study can ask, by title (the id is what the study stores)."""
    options = []
    for name in instrument_choices():
        try:
            title = questionnaires.load(name).title
        except Exception:  # noqa: BLE001 - a broken file is listed by its id and refused when chosen
            title = name
        options.append({"label": title, "value": name})
    return options


def parse_epochs(text: str | None, scenario: str) -> tuple[int, ...] | None:
    """'25, 30, 35, 40' -> (25, 30, 35, 40); empty -> None (use the default)."""
    if text is None or not str(text).strip():
        return None
    try:
        return tuple(int(part) for part in str(text).replace(";", ",").split(",") if part.strip())
    except ValueError as exc:
        raise SetupError(f"{scenario}: interaction points are whole epochs separated by commas, e.g. 25, 30, 35, "
                         f"40; got {text!r}") from exc


def checkpoint_schedule(path: Path, scenario: str) -> tuple[Path, Schedule]:
    """The checkpoint file a path names (a run directory: its latest) and the schedule it was trained with;
    SetupError unless it is this scenario's and stands at one of its interaction points, where a participant
    starts."""
    from hill_dash.core.checkpoint import CheckpointError, load_checkpoint

    try:
        payload = load_checkpoint(path)
    except (CheckpointError, OSError) as exc:
        raise SetupError(f"{scenario}: the pretrained checkpoint cannot be used: {exc}") from exc
    config = payload["config"]
    if config.get("scenario") != scenario:
        raise SetupError(f"{scenario}: the checkpoint {path} was trained on scenario {config.get('scenario')!r}")
    schedule = Schedule(tuple(config.get("interaction_epochs") or ()), int(config["end_epoch"]))
    if payload["epoch"] not in schedule.interaction_epochs:
        raise SetupError(f"{scenario}: the checkpoint {payload['path']} stands at epoch {payload['epoch']}, not at "
                         f"one of its interaction points ({schedule.text()}); a participant starts at one, so "
                         f"give the checkpoint of the first (hill-dash train ... --epochs "
                         f"{min(schedule.interaction_epochs, default=1)})")
    return Path(payload["path"]), schedule


def scenario_spec(name: str, checkpoint: str | None, epochs_text: str | None, end: Any,
                  data_dir: Path) -> ScenarioSpec:
    """One study scenario from its form row. A checkpoint path may be relative to the data directory."""
    expected: Schedule | None = None
    source = "the scenario's defaults"
    path = None
    if checkpoint and checkpoint.strip():
        path = Path(checkpoint.strip()).expanduser()
        path, expected = checkpoint_schedule(path if path.is_absolute() else data_dir / path, name)
        source = f"the checkpoint {path}"
    else:
        defaults = scenario_defaults(name)
        if defaults is not None:
            expected = Schedule(tuple(defaults.interaction_epochs), defaults.end_epoch)
    epochs = parse_epochs(epochs_text, name)
    end_epoch = None if end in (None, "") else _whole(end, f"{name}: the end epoch")
    if expected is None:
        if epochs is None or end_epoch is None:
            raise SetupError(f"{name}: give its interaction points and end epoch (a plugin scenario has no defaults "
                             "this form can read)")
        chosen = Schedule(epochs, end_epoch)
    else:
        chosen = Schedule(epochs if epochs is not None else expected.interaction_epochs,
                          end_epoch if end_epoch is not None else expected.end_epoch)
        if chosen != expected:
            raise SetupError(
                f"{name}: runs continue from {source}, which stops at epochs {expected.text()} and ends at "
                f"{expected.end_epoch}; leave the schedule empty to use it, or pretrain a checkpoint with your "
                f"schedule (hill-dash train --scenario {name} --interaction-epochs {chosen.text()} --end-epoch "
                f"{chosen.end_epoch} --epochs {min(chosen.interaction_epochs, default=1)} --out DIR) and give its "
                "path")
    return ScenarioSpec(name, pretrained_checkpoint=str(path) if path else None,
                        interaction_epochs=chosen.interaction_epochs, end_epoch=chosen.end_epoch)


def _whole(value: Any, what: str) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number.is_integer():
        raise SetupError(f"{what} must be a whole number, got {value!r}")
    return int(number)


def study_arguments(*, name: str | None, description: str | None, consent_text: str | None, alpha: Any,
                    lam: Any, instruments: Sequence[str] | None, n_participants: Any,
                    scenarios: Sequence[dict[str, Any]], data_dir: Path) -> dict[str, Any]:
    """Keyword arguments for `Store.create_study` from the form's values; SetupError says what to fix.

    `scenarios` holds one dict per form row: scenario, use (bool), checkpoint, epochs (text), end.
    """
    if not name or not name.strip():
        raise SetupError("the study needs a name")
    if not consent_text or not consent_text.strip():
        raise SetupError("the study needs a consent text: participants read it and agree before they start")
    chosen = [row for row in scenarios if row.get("use")]
    if not chosen:
        raise SetupError("tick at least one scenario")
    known = instrument_choices()
    unknown = [i for i in instruments or () if i not in known]
    if unknown:
        raise SetupError(f"unknown questionnaire(s) {unknown}; choose from {', '.join(known)}")
    for label, value, low, high in (("alpha", alpha, 0.0, 1.0), ("lambda", lam, 0.0, None)):
        if value is None or value == "" or not low <= float(value) <= (high if high is not None else float("inf")):
            bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise SetupError(f"{label} must be a number {bound}, got {value!r}")
    count = _whole(0 if n_participants in (None, "") else n_participants, "the number of participants")
    if count < 0:
        raise SetupError(f"the number of participants cannot be negative, got {count}")
    specs = [scenario_spec(row["scenario"], row.get("checkpoint"), row.get("epochs"), row.get("end"), data_dir)
             for row in chosen]
    ordered = [i for i in known if i in set(instruments or ())]
    for instrument in (*ASKED_ONCE, *ordered):  # a broken file is refused now, not when a participant meets it
        try:
            questionnaires.load(instrument)
        except questionnaires.InstrumentError as exc:
            raise SetupError(f"questionnaire {instrument!r} cannot be used: {exc}; fix its file and try again") \
                from exc
    return {"name": name.strip(), "description": (description or "").strip(), "consent_text": consent_text.strip(),
            "alpha": float(alpha), "lam": float(lam), "instruments": ordered, "n_participants": count,
            "scenarios": specs}
