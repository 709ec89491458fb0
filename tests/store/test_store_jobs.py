"""Background jobs: queued, claimed once, reported on, final when ended."""

from __future__ import annotations

import pytest

from hill_dash.store import Store, StoreError


def test_job_lifecycle(store: Store) -> None:
    run = store.create_run("digits")
    job = store.create_job("training", run_id=run.id, payload={"epochs": [25, 30]})
    assert (job.status, job.progress, job.payload) == ("queued", 0.0, {"epochs": [25, 30]})
    claimed = store.claim_job(["training"])
    assert claimed is not None and (claimed.id, claimed.status) == (job.id, "running")
    assert store.claim_job(["training"]) is None
    halfway = store.update_job(job.id, progress=0.5, message="epoch 27")
    assert (halfway.progress, halfway.message) == (0.5, "epoch 27")
    assert halfway.updated_at >= job.updated_at
    done = store.update_job(job.id, status="done")
    assert (done.status, done.progress) == ("done", 1.0)
    with pytest.raises(StoreError, match="already done"):
        store.update_job(job.id, status="running")
    assert store.get_job(job.id) == done


def test_claim_takes_the_oldest_job_of_the_asked_kinds(store: Store) -> None:
    transcription = store.create_job("transcription")
    first = store.create_job("training")
    second = store.create_job("training")
    assert store.claim_job(["training"]).id == first.id
    assert store.claim_job().id == transcription.id
    cancelled = store.update_job(second.id, status="cancelled")
    assert cancelled.status == "cancelled" and store.claim_job() is None
    assert [j.id for j in store.list_jobs(status="running")] == [first.id, transcription.id]
    assert [j.id for j in store.list_jobs(kind="training")] == [second.id, first.id]


def test_bad_job_reports_are_refused(store: Store) -> None:
    job = store.create_job("training")
    with pytest.raises(StoreError, match="between 0 and 1"):
        store.update_job(job.id, progress=1.5)
    with pytest.raises(StoreError, match="use one of: queued, running"):
        store.update_job(job.id, status="paused")
    with pytest.raises(StoreError, match="no run with id 9"):
        store.create_job("training", run_id=9)
    assert store.get_job(job.id).status == "queued"
