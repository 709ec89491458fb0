"""`hill-dash bench round`: how long a participant waits for a training round, against the round's own compute.

A real `hill-dash serve` runs on a fresh data directory with a study of `digits` participants. One participant
presses Train through the app's own job path (the Train callback over HTTP, polled at its own interval as the
browser does, then the refresh that redraws the view); `turnaround_s` is the median wait per round. `compute_s`
is the same rounds run in-process (resume, train to the next stop, store) on an identical run; `overhead_s` is the
difference. `ui_p95_ms_under_load` is the 95th percentile of the save-edit and undo callbacks of one more
participant while four others train at once. Targets on 2 cores: overhead_s <= 1.0, ui_p95_ms_under_load < 200.
"""

from __future__ import annotations

import signal
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option

LOADED = 4  # participants training at once while the editing one is measured
THINK_S = 0.2  # between one edit-and-undo and the next: a brisk participant, not a request flood


def _study(data_dir: Path, scenario: str, participants: int) -> tuple[list[dict[str, Any]], Path]:
    """A study whose participants each stand at their first interaction point with a run ready."""
    from hill_dash.jobs import rounds
    from hill_dash.store import open_store

    store = open_store(data_dir=data_dir)
    try:
        checkpoint = rounds.pretrained_checkpoint(store, scenario)
        created = store.create_study("bench round", [scenario], n_participants=participants, instruments=[])
        scenario_id = created.study.scenarios[0].id
        people = []
        for invite in created.invites:
            participant = invite.participant
            store.set_step(participant.id, {"page": "scenario", "index": 0, "study_scenario_id": scenario_id,
                                            "scenario": scenario})
            run_id = rounds.start_run(store, scenario, participant_id=participant.id, study_scenario_id=scenario_id,
                                      seed=1, checkpoint=checkpoint)
            people.append({"token": invite.token, "run_id": run_id})
        return people, checkpoint
    finally:
        store.close()


def _in_process_rounds(data_dir: Path, run_id: int) -> list[float]:
    """Each round of a run trained in this process: resume from the store, train to the next stop, store."""
    from hill_dash.jobs import rounds
    from hill_dash.store import open_store

    store = open_store(data_dir=data_dir)
    times = []
    try:
        while not rounds.run_view(store, run_id)["finished"]:
            start = time.perf_counter()
            rounds.train_round(store, run_id)
            times.append(time.perf_counter() - start)
    finally:
        store.close()
    return times


class Participant:
    """One participant's page, pressing the editor's buttons over HTTP."""

    def __init__(self, base: str, person: dict[str, Any]) -> None:
        from hill_dash.app import ids
        from hill_dash.jobs.dash_client import DashPage

        self.ids, self.person = ids, person
        self.page = DashPage(base, f"/p/{person['token']}")
        self.train_cb = self.page.callback(f"{ids.EDITOR_TRAIN}.n_clicks")
        self.refresh_cb = self.page.callback(f"{ids.EDITOR_REFRESH}.data", output_starts=f"{ids.EDITOR_GRAPH}.")
        self.edit_cb = self.page.callback(f"{ids.EDITOR_EDIT_STORE}.data")
        self.undo_cb = self.page.callback(f"{ids.EDITOR_UNDO}.n_clicks")
        self.clicks = 0
        self.failures: list[str] = []

    def _values(self, **extra: Any) -> dict[str, Any]:
        ids = self.ids
        return {f"{ids.EDITOR_RUN}.data": {"run_id": self.person["run_id"], "token": self.person["token"]},
                f"{ids.EDITOR_REFRESH}.data": self.clicks, f"{ids.EDITOR_BEFORE_AFTER}.value": False, **extra}

    def train(self) -> tuple[float, bool]:
        """Press Train and wait for the redrawn view; (seconds, finished). A press whose round fails is pressed
        again, as a participant would (the failures are counted and reported)."""
        trigger = f"{self.ids.EDITOR_TRAIN}.n_clicks"
        for _ in range(3):
            self.clicks += 1
            try:
                _, trained = self.page.fire(self.train_cb, trigger, self._values(**{trigger: self.clicks}))
                break
            except (RuntimeError, TimeoutError) as exc:
                self.failures.append(str(exc)[-300:])
        else:
            raise RuntimeError(f"three Train presses in a row failed: {self.failures[-1]}")
        answer, drawn = self.page.fire(self.refresh_cb, f"{self.ids.EDITOR_REFRESH}.data", self._values())
        if answer is None:
            raise RuntimeError("the view was not redrawn after the round")
        done = answer["response"].get(self.ids.EDITOR_DONE, {}).get("style", {})
        return trained + drawn, done.get("display") != "none"

    def edit_and_undo(self, epoch: int, n: int) -> list[float]:
        """Move a point and undo it, `n` times each; the seconds of every save and undo callback."""
        seconds = []
        edit_trigger, undo_trigger = f"{self.ids.EDITOR_EDIT_STORE}.data", f"{self.ids.EDITOR_UNDO}.n_clicks"
        for k in range(n):
            edit = {"kind": "point", "indices": [k % 20], "old": [[0.0, 0.0]], "new": [[0.1 * k, -0.1 * k]],
                    "epoch": epoch}
            seconds.append(self.page.fire(self.edit_cb, edit_trigger, self._values(**{edit_trigger: edit}))[1])
            seconds.append(self.page.fire(self.undo_cb, undo_trigger, self._values(**{undo_trigger: k + 1}))[1])
        return seconds


def _under_load(base: str, people: list[dict[str, Any]], epoch: int) -> tuple[list[float], int]:
    """Save-edit and undo latencies of one participant while LOADED others train every round of their runs."""
    editor = Participant(base, people[0])
    trainers = [Participant(base, person) for person in people[1:1 + LOADED]]
    errors: list[BaseException] = []

    def train_all(p: Participant) -> None:
        try:
            while not p.train()[1]:
                pass
        except BaseException as exc:  # reported after the measurement, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=train_all, args=(p,), daemon=True) for p in trainers]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # let the rounds start before measuring
    latencies: list[float] = []
    while any(t.is_alive() for t in threads):
        latencies += editor.edit_and_undo(epoch, 1)
        time.sleep(THINK_S)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return latencies, sum(len(p.failures) for p in trainers)


def _stop_on_term(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


@click.command("round")
@click.option("--scenario", default="digits", show_default=True)
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Where the benchmark's server keeps its data [default: a temporary directory].")
@json_option
def bench_round(scenario: str, data_dir: Path | None, as_json: bool) -> None:
    """Time a Train press through the app against the same round computed in-process, and the editor's
    callbacks while four rounds train at once."""
    import tempfile

    from hill_dash.provenance import environment

    with tempfile.TemporaryDirectory(prefix="hill-bench-round-") as tmp:
        home = (data_dir or Path(tmp)).expanduser().resolve()
        click.echo(f"preparing a study in {home}", err=True)
        people, _ = _study(home, scenario, 3 + LOADED)
        compute = _in_process_rounds(home, people[-1]["run_id"])
        server = _serve(home)
        signal.signal(signal.SIGTERM, _stop_on_term)  # `timeout` or Ctrl+C still stop the server below
        try:
            click.echo("pressing Train through the app", err=True)
            measured = Participant(server.url, people[1 + LOADED])
            turnarounds, finished = [], False
            while not finished:
                seconds, finished = measured.train()
                turnarounds.append(seconds)
            from hill_dash.store import open_store

            store = open_store(data_dir=home)
            epoch = store.get_run(people[0]["run_id"]).current_epoch
            store.close()
            click.echo(f"{LOADED} rounds at once while editing", err=True)
            latencies, failed_under_load = _under_load(server.url, people, epoch)
        finally:
            server.stop()
    if len(turnarounds) != len(compute):
        fail(f"the app trained {len(turnarounds)} rounds, the in-process run {len(compute)}: not the same schedule")
    turnaround, computed = statistics.median(turnarounds), statistics.median(compute)
    result = {"turnaround_s": round(turnaround, 3), "compute_s": round(computed, 3),
              "overhead_s": round(turnaround - computed, 3), "ui_p95_ms_under_load": round(1000 * _p95(latencies), 1),
              "first_turnaround_s": round(turnarounds[0], 3), "rounds": len(turnarounds),
              "ui_calls_under_load": len(latencies), "failed_rounds": len(measured.failures),
              "failed_rounds_under_load": failed_under_load, "scenario": scenario, "environment": environment()}
    emit(result, as_json, lambda r: (f"turnaround {r['turnaround_s']} s, compute {r['compute_s']} s, overhead "
                                     f"{r['overhead_s']} s (target <= 1.0); editor callbacks p95 "
                                     f"{r['ui_p95_ms_under_load']} ms under load (target < 200)"))


class _Server:
    def __init__(self, data_dir: Path) -> None:
        import os
        import socket
        import subprocess
        import sys
        import urllib.request

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        script = Path(sys.executable).with_name("hill-dash")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "hill_dash"]
        self.log = (data_dir / "bench-server.log").open("w")
        env = {k: v for k, v in os.environ.items() if k not in ("HILL_DATABASE_URL", "HILL_REDIS_URL")}
        self.process = subprocess.Popen([*command, "serve", "--data-dir", str(data_dir), "--port", str(port)],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"hill-dash serve exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_dash-layout", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        fail("hill-dash serve did not answer within 120 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except Exception:  # noqa: BLE001 - a server that will not stop is killed
            self.process.kill()
        self.log.close()


def _serve(data_dir: Path) -> _Server:
    return _Server(data_dir)
