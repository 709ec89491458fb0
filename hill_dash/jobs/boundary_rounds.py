"""A boundary lab as the app sees it: a run in the store, its state as JSON files, its arrows as edits.

The run's config is the lab's `LabConfig` (as a dict) whose `weight` is the w the next round trains with. Each
round's state (`BoundaryLab.to_dict()`) is a file `<run_dir>/boundary/round-NNNN.json`; the newest is the current
lab (round 0 is the untrained model). Every arrow is an edit of kind "arrow" written the moment it is drawn, and a
removed or replaced arrow is marked undone, so the store holds the whole history of what the annotator did. A round
loads the newest state, puts the arrows in force on it, trains, and saves the next state with every epoch's
held-out accuracy; any process can run it, and a page rebuilds everything from the store.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import torch

from hill_dash.boundary import BoundaryLab, BoundaryLabError, DatasetError, LabConfig
from hill_dash.store import Run, Store
from hill_dash.store.edits import Edit as EditRecord

SCENARIO_PREFIX = "boundary:"
STATE_DIR = "boundary"
MAX_EPOCHS_PER_ROUND = 500
MAX_ANNOTATOR = 80  # characters of the name stored with every arrow
_STATE_NAME = re.compile(r"^round-(\d{4,})\.json$")

Progress = Callable[[dict[str, Any]], None]

# Held while the web process runs torch on one thread (see `single_threaded_torch`).
_WEB_TORCH = threading.RLock()


class BoundaryRoundError(ValueError):
    """A request about a boundary lab that cannot be carried out as asked; the message says why and what to do."""


@contextmanager
def single_threaded_torch() -> Iterator[None]:
    """Run the enclosed torch work on one thread, then restore the thread count.

    The web process draws labs with torch, and background jobs are forked from it: a child forked after the
    parent's OpenMP thread pool has started hangs at its first parallel operation (measured: a round that never
    ends). On one thread the pool never starts, so every forked round trains with all threads as usual.
    """
    with _WEB_TORCH:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


def is_lab(scenario: str) -> bool:
    """True for the scenario name of a boundary-lab run."""
    return scenario.startswith(SCENARIO_PREFIX)


def start_lab(store: Store, config: LabConfig, owner_key: str | None = None) -> int:
    """Create a lab run with an untrained model (round 0) and return its run id.

    `owner_key`: the browser the lab belongs to (see `hill_dash.app.access`: only that browser may open and change
    it); a lab started without one, outside the app, can be viewed by anyone and changed by nobody in the app."""
    try:
        with single_threaded_torch():
            lab = BoundaryLab(config)
    except (BoundaryLabError, DatasetError, ValueError) as exc:
        raise BoundaryRoundError(f"cannot start the lab: {exc}") from exc
    run = store.create_run(f"{SCENARIO_PREFIX}{config.dataset.name}", condition="hill", seed=config.seed,
                           config=config.to_dict(), owner_key=owner_key)
    _save_state(store, run.run_dir, 0, lab)
    store.update_run(run.id, status="waiting", current_epoch=0)
    return run.id


def check_lab(run: Run) -> Run:
    """`run` if it is a boundary lab; BoundaryRoundError saying where to open it otherwise."""
    if not is_lab(run.scenario):
        raise BoundaryRoundError(f"run {run.id} is a {run.scenario!r} run, not a boundary lab: open it in the "
                                 f"latent editor (/editor?run={run.id}) or start a lab on /boundary")
    return run


def lab_config(store: Store, run_id: int) -> LabConfig:
    """The lab's config, with `weight` the w of the next round; refuses runs that are not boundary labs."""
    return LabConfig.from_dict(check_lab(store.get_run(run_id)).config)


def _state_dir(store: Store, run_id: int) -> str:
    return f"{store.get_run(run_id).run_dir}/{STATE_DIR}"


def _save_state(store: Store, run_dir: str, round_index: int, lab: BoundaryLab) -> str:
    relative = f"{run_dir}/{STATE_DIR}/round-{round_index:04d}.json"
    return store.files.write_bytes(relative, json.dumps(lab.to_dict()).encode("utf-8"))


def current_round(store: Store, run_id: int) -> int:
    """How many rounds the lab has trained (the number of its newest state file)."""
    lab_config(store, run_id)
    folder = store.files.absolute(_state_dir(store, run_id))
    found = [int(m.group(1)) for p in folder.glob("round-*.json") if (m := _STATE_NAME.match(p.name))]
    if not found:
        raise BoundaryRoundError(f"lab {run_id} has no saved state under {folder}: start a new lab on /boundary")
    return max(found)


def load_lab(store: Store, run_id: int, *, with_arrows: bool = True) -> BoundaryLab:
    """The lab as of its newest round; `with_arrows` replaces its arrows by those in force in the store."""
    relative = f"{_state_dir(store, run_id)}/round-{current_round(store, run_id):04d}.json"
    try:
        with single_threaded_torch():
            lab = BoundaryLab.from_dict(json.loads(store.files.absolute(relative).read_text("utf-8")))
    except (OSError, json.JSONDecodeError, BoundaryLabError) as exc:
        raise BoundaryRoundError(f"lab {run_id}: its state {relative} cannot be read ({exc})") from exc
    if with_arrows:
        lab.clear_arrows()
        for edit in arrows_in_force(store, run_id):
            lab.add_arrow(edit.point_indices[0], tuple(edit.arrow["vector"]), annotator=edit.actor,
                          created_at=edit.created_at.isoformat(timespec="seconds"))
    return lab


def arrows_in_force(store: Store, run_id: int) -> list[EditRecord]:
    """The arrow edits not removed, oldest first (arrows drawn in any round stay until removed)."""
    return [e for e in store.list_edits(run_id, active_only=True) if e.kind == "arrow"]


def add_arrow(store: Store, run_id: int, point_index: int, vector: tuple[float, float],
              annotator: str = "annotator") -> EditRecord:
    """Store an arrow on a training point at once; an arrow already on that point is marked undone (replaced)."""
    actor = (annotator or "").strip()
    if not actor:
        raise BoundaryRoundError("type an annotator name first: every arrow is stored with who drew it")
    if len(actor) > MAX_ANNOTATOR:
        raise BoundaryRoundError(f"the annotator name has {len(actor)} characters: shorten it to at most "
                                 f"{MAX_ANNOTATOR}")
    lab = load_lab(store, run_id, with_arrows=False)
    try:
        checked = lab.add_arrow(point_index, vector, annotator=actor)
    except BoundaryLabError as exc:
        raise BoundaryRoundError(f"arrow refused: {exc}") from exc
    replaced = [e for e in arrows_in_force(store, run_id) if e.point_indices == [checked.point_index]]
    row = store.add_edit(run_id, current_round(store, run_id), lab.epoch, "arrow", actor=actor,
                         point_indices=[checked.point_index],
                         arrow={"vector": [float(vector[0]), float(vector[1])]})
    for old in replaced:
        store.mark_undone(old.id, actor=actor)
    return row


def remove_arrow(store: Store, run_id: int, edit_id: int, actor: str = "annotator") -> EditRecord:
    """Mark an arrow of this lab undone (the edit row stays, with an "undo" event pointing at it)."""
    lab_config(store, run_id)  # the latent editor's arrows are undone there, not here
    target = next((e for e in arrows_in_force(store, run_id) if e.id == edit_id), None)
    if target is None:
        raise BoundaryRoundError(f"edit {edit_id} is not an arrow in force in lab {run_id}: reload the page to "
                                 "see the current arrows")
    return store.mark_undone(edit_id, actor=(actor or "").strip()[:MAX_ANNOTATOR] or "annotator")


def set_weight(store: Store, run_id: int, weight: float | None) -> float:
    """Store w for the next round (a round already running keeps the w it started with)."""
    config = lab_config(store, run_id)
    try:
        config = replace(config, weight=float(weight))  # type: ignore[arg-type]
    except (TypeError, ValueError, BoundaryLabError) as exc:
        raise BoundaryRoundError(f"w must be a number between 0 (plain BCE) and 1 (arrows only), got {weight!r}"
                                 ) from exc
    store.update_run(run_id, config=config.to_dict())
    return config.weight


def _check_epochs(epochs: Any) -> int:
    try:
        number = float(epochs)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= MAX_EPOCHS_PER_ROUND:
        raise BoundaryRoundError(f"epochs per round must be a whole number from 1 to {MAX_EPOCHS_PER_ROUND}, "
                                 f"got {epochs!r}")
    return int(number)


def _store_epoch(store: Store, run_id: int, record: dict[str, Any], last: bool) -> None:
    guided = bool(record["arrows"]) and record["weight"] > 0
    store.add_epoch(run_id, record["epoch"], val_acc=record["heldout_accuracy"], interaction_point=last,
                    metrics=record, loss_total=record["loss"], loss_ce=record["bce"],
                    loss_direction=record["direction"] if guided else None)


def train_round(store: Store, run_id: int, epochs: Any, *, progress: Progress | None = None) -> dict[str, Any]:
    """Train `epochs` epochs with the arrows in force and the stored w, then save the next round's state.

    Every epoch is written to the store as it ends (held-out accuracy and loss terms); `progress(info)` is called
    after each with `epoch`, `from`, `to`, `heldout_accuracy` and `loss`.
    """
    count = _check_epochs(epochs)
    config = lab_config(store, run_id)
    round_index = current_round(store, run_id)
    lab = load_lab(store, run_id)
    lab.weight = config.weight
    start, until = lab.epoch, lab.epoch + count
    store.update_run(run_id, status="running")

    def on_epoch(record: dict[str, Any]) -> None:
        _store_epoch(store, run_id, record, last=record["epoch"] == until)
        if progress is not None:
            progress({"epoch": record["epoch"], "from": start, "to": until,
                      "heldout_accuracy": record["heldout_accuracy"], "loss": record["loss"]})

    try:
        lab.train(count, on_epoch_end=on_epoch)
        if current_round(store, run_id) != round_index:
            raise BoundaryRoundError(f"another round of lab {run_id} finished while this one trained; its result "
                                     "is kept: press Train again to continue from it")
        _save_state(store, store.get_run(run_id).run_dir, round_index + 1, lab)
    except BaseException:
        store.update_run(run_id, status="waiting")
        raise
    store.update_run(run_id, status="waiting", current_epoch=lab.epoch)
    return {"run_id": run_id, "round": round_index + 1, "epoch": lab.epoch, "arrows": len(lab.annotations),
            "weight": lab.weight, "heldout_accuracy": lab.history[-1]["heldout_accuracy"] if lab.history else None}


def lab_view(store: Store, run_id: int) -> dict[str, Any]:
    """Everything the boundary page shows, rebuilt from the store (so a refresh shows the same thing)."""
    config = lab_config(store, run_id)
    lab = load_lab(store, run_id)
    arrows = [{"id": e.id, "point_index": e.point_indices[0], "vector": list(e.arrow["vector"]),
               "annotator": e.actor, "round": e.interaction_index} for e in arrows_in_force(store, run_id)]
    return {"run_id": run_id, "lab": lab, "round": current_round(store, run_id), "epoch": lab.epoch,
            "weight": config.weight, "dataset": config.dataset, "arrows": arrows, "history": lab.history,
            "status": store.get_run(run_id).status}
