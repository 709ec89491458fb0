"""A run's files on disk: model checkpoints and latent snapshots (the 2D points shown at an interaction point)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select

from hill_dash.store._base import StoreBase, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Checkpoint as CheckpointRow
from hill_dash.store.tables import Run as RunRow
from hill_dash.store.tables import Snapshot as SnapshotRow
from hill_dash.store.tables import utcnow


@dataclass(frozen=True)
class Checkpoint:
    id: int
    run_id: int
    epoch: int
    path: str
    created_at: datetime


@dataclass(frozen=True)
class Snapshot:
    id: int
    run_id: int
    epoch: int
    interaction_index: int
    path: str
    created_at: datetime


class ArtifactsMixin(StoreBase):
    """Record where a run's checkpoints and snapshots are; write and read snapshot arrays."""

    def checkpoint_path(self, run_id: int, epoch: int) -> str:
        """Where a run's checkpoint for `epoch` belongs (relative; `files.absolute(...)` gives the file)."""
        return f"{self._run_dir(run_id)}/checkpoints/epoch-{epoch:04d}.pt"

    def add_checkpoint(self, run_id: int, epoch: int, path: str | os.PathLike[str]) -> Checkpoint:
        """Record a checkpoint file already written (path relative to the file area, or absolute inside it)."""
        relative = self.files.relative(path)
        if not self.files.absolute(relative).is_file():
            raise StoreError(f"checkpoint file {relative} does not exist under {self.files.root}; save it first")
        with self._write() as session:
            self._get(session, RunRow, run_id, "run", lock=True)
            row = session.scalars(select(CheckpointRow).where(CheckpointRow.run_id == run_id,
                                                              CheckpointRow.epoch == epoch)).first()
            if row is None:
                row = CheckpointRow(run_id=run_id, epoch=int(epoch), path=relative)
                session.add(row)
            row.path, row.created_at = relative, utcnow()
            session.flush()
            return to_record(Checkpoint, row)

    def latest_checkpoint(self, run_id: int) -> Checkpoint | None:
        """The checkpoint of the highest epoch, from which any worker can continue the run (None if none)."""
        with self._read() as session:
            self._get(session, RunRow, run_id, "run")
            row = session.scalars(select(CheckpointRow).where(CheckpointRow.run_id == run_id)
                                  .order_by(CheckpointRow.epoch.desc()).limit(1)).first()
            return None if row is None else to_record(Checkpoint, row)

    def list_checkpoints(self, run_id: int) -> list[Checkpoint]:
        """A run's checkpoints by epoch."""
        query = select(CheckpointRow).where(CheckpointRow.run_id == run_id).order_by(CheckpointRow.epoch)
        return self._records_of(RunRow, run_id, "run", query, Checkpoint)

    def save_arrays(self, relative: str, arrays: Mapping[str, np.ndarray]) -> str:
        """Save named numpy arrays to an .npz file under files/ and return its relative path."""
        return self.files.save_arrays(relative, arrays)

    def load_arrays(self, relative: str) -> dict[str, np.ndarray]:
        """The arrays saved by `save_arrays` at `relative`."""
        return self.files.load_arrays(relative)

    def add_snapshot(self, run_id: int, epoch: int, interaction_index: int,
                     path: str | os.PathLike[str]) -> Snapshot:
        """Record a snapshot file (.npz) already written; writing the same point again replaces the record."""
        relative = self.files.relative(path)
        with self._write() as session:
            self._get(session, RunRow, run_id, "run", lock=True)
            row = session.scalars(select(SnapshotRow).where(
                SnapshotRow.run_id == run_id, SnapshotRow.epoch == epoch,
                SnapshotRow.interaction_index == interaction_index)).first()
            if row is None:
                row = SnapshotRow(run_id=run_id, epoch=int(epoch), interaction_index=int(interaction_index),
                                  path=relative)
                session.add(row)
            row.path, row.created_at = relative, utcnow()
            session.flush()
            return to_record(Snapshot, row)

    def save_snapshot(self, run_id: int, epoch: int, interaction_index: int,
                      arrays: Mapping[str, np.ndarray]) -> Snapshot:
        """Save the arrays under the run's directory and record them as the snapshot of this point."""
        name = f"epoch-{epoch:04d}-ip{interaction_index}.npz"
        relative = self.save_arrays(f"{self._run_dir(run_id)}/snapshots/{name}", arrays)
        return self.add_snapshot(run_id, epoch, interaction_index, relative)

    def list_snapshots(self, run_id: int, interaction_index: int | None = None) -> list[Snapshot]:
        """A run's snapshots by epoch (only those of one interaction point if given)."""
        query = select(SnapshotRow).where(SnapshotRow.run_id == run_id)
        if interaction_index is not None:
            query = query.where(SnapshotRow.interaction_index == interaction_index)
        query = query.order_by(SnapshotRow.epoch, SnapshotRow.interaction_index)
        return self._records_of(RunRow, run_id, "run", query, Snapshot)

    def _run_dir(self, run_id: int) -> str:
        with self._read() as session:
            return self._get(session, RunRow, run_id, "run").run_dir
