"""Writers at once: Dash serves requests from threads, workers write from other processes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from hill_dash.store import NewStudy, Store, open_store

WRITES = 30


def _together(*jobs: Callable[[], None]) -> list[BaseException]:
    """Run the jobs in threads started at the same moment; the errors they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as exc:  # every failure must reach the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_threads_and_a_second_store_write_without_failing(store: Store, study: NewStudy) -> None:
    """Two threads share one Store, a third writes through another Store (as another process would)."""
    run = store.create_run(study_scenario_id=study.study.scenarios[0].id)
    participant = study.invites[0].participant
    recording = store.create_recording("think_aloud", participant_id=participant.id)
    other = open_store(url=store.url, data_dir=store.files.data_dir)

    def edits(target: Store, actor: str) -> Callable[[], None]:
        def job() -> None:
            for i in range(WRITES):
                target.add_edit(run.id, 0, 25, "point", actor=actor, point_indices=[i], new_positions=[[i, i]])
                target.save_answer(participant.id, "vas", f"{actor}-{i}", i / WRITES)
        return job

    def chunks() -> None:
        for seq in range(WRITES):
            other.add_chunk(recording.id, seq, bytes([seq]))
            other.add_chunk(recording.id, seq, b"retry")

    def progress() -> None:
        job = other.create_job("training", run_id=run.id)
        for i in range(WRITES):
            other.update_job(job.id, progress=i / WRITES, message=f"epoch {i}")
            other.list_edits(run.id, 0)

    try:
        errors = _together(edits(store, "thread-a"), edits(store, "thread-b"), edits(other, "process-c"),
                           chunks, progress)
    finally:
        other.close()
    assert errors == []
    edits_made = store.list_edits(run.id, 0)
    assert sorted(e.seq for e in edits_made) == list(range(1, 3 * WRITES + 1))
    assert {e.actor for e in edits_made} == {"thread-a", "thread-b", "process-c"}
    assert len(store.latest_answers(participant.id, "vas")) == 3 * WRITES
    joined = store.join_chunks(recording.id)
    assert store.files.absolute(joined.path).read_bytes() == bytes(range(WRITES))
