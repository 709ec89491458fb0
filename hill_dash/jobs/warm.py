"""Keep the processes that train rounds warm, so a round takes about as long as its compute.

Measured on 2 cores: a `digits` round computes in 0.2-1 s, but a round process that starts cold first imports the
data libraries and rebuilds its scenario, which took seconds. Rounds run in processes forked from a parent (the
server with the default disk-cache manager, the Celery worker's main process with Redis), so the parent warms up
once before it takes work: it imports the training stack and builds the scenarios its studies use, and every round
process starts with them in memory (copy-on-write). Runs resume from their checkpoints with the cached scenario.

Scenario data are the same for every run of a scenario and hold nothing of any participant.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

CACHED_SCENARIOS = 8
_SPEC_FIELDS = ("scenario", "scenario_options", "data_dir", "data_seed", "display_size")


def _key(config: Any) -> str:
    data = config.to_dict() if hasattr(config, "to_dict") else dict(config)
    return json.dumps({k: data.get(k) for k in _SPEC_FIELDS}, sort_keys=True, default=str)


@functools.lru_cache(maxsize=CACHED_SCENARIOS)
def _built(key: str) -> Any:
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios.registry import build_scenario

    return build_scenario(RunConfig.from_dict(json.loads(key)).scenario_spec())


def cached_scenario(config: Any) -> Any:
    """The scenario a run config names, built once per process (RunConfig or its dict)."""
    return _built(_key(config))


def study_scenarios(store: Any) -> list[str]:
    """The scenarios the store's studies and runs use, most used first."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for study in store.list_studies():
        counts.update(s.scenario for s in study.scenarios)
    return [name for name, _ in counts.most_common()]


def warm_up(scenarios: Iterable[str], store: Any = None, limit_s: float = 60.0) -> dict[str, float]:
    """Import the training stack and build `scenarios` (and those of the store's studies) in this process, before
    it forks round processes; returns the seconds each took. A scenario that cannot be built here (its files are
    missing) is skipped: its rounds build it themselves and say what is wrong."""
    from hill_dash.core.config import RunConfig
    from hill_dash.core.runner import HillRunner  # noqa: F401 - imported for the round processes to inherit

    names = list(dict.fromkeys([*scenarios, *(study_scenarios(store) if store is not None else [])]))
    took: dict[str, float] = {}
    started = time.monotonic()
    for name in names:
        if time.monotonic() - started > limit_s:
            log.info("warm-up stopped after %.0f s; %s build on first use", limit_s, ", ".join(names[len(took):]))
            break
        begin = time.monotonic()
        try:
            _exercise(cached_scenario(RunConfig(scenario=name)), RunConfig(scenario=name))
        except Exception as exc:  # noqa: BLE001 - a scenario that needs files is built (and fails) in its round
            log.info("scenario %s not warmed: %s", name, exc)
            continue
        took[name] = round(time.monotonic() - begin, 3)
    return took


def _exercise(scenario: Any, config: Any) -> None:
    """Build the scenario's model with its optimizer and train one pass: the first optimizer of a process costs
    about 2 s of lazy imports in torch, which every cold round process paid again."""
    import tempfile

    from hill_dash.core.runner import HillRunner

    with tempfile.TemporaryDirectory(prefix="hill-warm-") as tmp:
        runner = HillRunner(scenario, config, tmp)
        runner.train_batches()


def warm_server(settings: Any) -> dict[str, float]:
    """Warm the process that forks the rounds of this deployment (the default scenario and its studies'), and make
    its forks wait until no request thread is inside SQLite."""
    from hill_dash.app.context import get_store
    from hill_dash.store import fork_gate

    fork_gate.install()
    # The warm-up runs in a thread of its own: torch's OpenMP pool belongs to the thread that first trained, and a
    # process forked from that very thread (the Celery worker forks its pool from its main thread) inherits the
    # pool's state without its threads and hangs at its first parallel tensor operation.
    took: dict[str, float] = {}
    thread = threading.Thread(target=lambda: took.update(warm_up([settings.scenario], store=get_store())),
                              name="hill-warm-up")
    thread.start()
    thread.join()
    return took


ROUND_NICENESS = 10


def background_priority() -> None:
    """Run the rest of this process (a round) below the web server's priority, so the page's own callbacks (a saved
    edit, an undo) are answered at once even while several rounds train on few cores. Idempotent: a worker process
    that takes many rounds is lowered once."""
    import os

    try:
        if os.getpriority(os.PRIO_PROCESS, 0) < ROUND_NICENESS:
            os.setpriority(os.PRIO_PROCESS, 0, ROUND_NICENESS)
    except (AttributeError, OSError):  # not on this platform, or not allowed: rounds simply share the CPU
        pass
