"""Writers of small data files in the real CIFAR-10 and PAMAP2 formats, for the loader tests."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import numpy as np

CIFAR_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
PAMAP2_SUBJECTS = (101, 102, 103, 104, 105, 106, 107, 108)


def cifar_batch(count: int, seed: int, offset: int = 0) -> dict[bytes, object]:
    """A pickled-batch dict like the real ones: uint8 rows of 3072 values, labels cycling through the 10 classes."""
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 200, size=(count, 3072), dtype=np.uint8)
    data[:, 1024:2048] += np.uint8(offset)  # a green offset, so channel statistics differ per channel
    labels = [(i + seed) % 10 for i in range(count)]
    return {b"batch_label": b"training batch", b"labels": labels, b"data": data,
            b"filenames": [f"img_{seed}_{i}.png".encode() for i in range(count)]}


def write_cifar(root: Path, per_batch: int = 20, test_count: int = 40) -> Path:
    """Write `root/cifar-10-batches-py` with five training batches, a test batch and batches.meta."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, 6):
        dump(folder / f"data_batch_{i}", cifar_batch(per_batch, seed=i, offset=40))
    dump(folder / "test_batch", cifar_batch(test_count, seed=99, offset=0))
    dump(folder / "batches.meta", {b"num_cases_per_batch": per_batch, b"label_names": [n.encode() for n in
                                                                                      CIFAR_NAMES], b"num_vis": 3072})
    return folder


def dump(path: Path, content: object) -> None:
    with path.open("wb") as handle:
        pickle.dump(content, handle)


def pamap2_rows(labels: list[int], start: float = 0.0, level: float = 0.0, seed: int = 0) -> np.ndarray:
    """A `[T, 54]` Protocol table: timestamps at 100 Hz, the given activity ids, NaN-heavy heart rate, noisy IMUs.

    Every IMU value is `level + activity id + noise`, so windows of different activities are separable and a subject
    can be shifted by `level` to test that scaling uses the training subjects only.
    """
    rng = np.random.default_rng(seed)
    ids = np.asarray(labels, dtype=np.float64)
    table = level + ids[:, None] + rng.normal(0.0, 0.5, size=(len(labels), 54))
    table[:, 0] = start + 0.01 * np.arange(len(labels))
    table[:, 1] = ids
    table[:, 2] = np.nan
    table[::9, 2] = 100.0
    table[5:8, 4] = np.nan  # a gap in hand acc16 x, interpolated by the loader
    table[:, 16:20] = np.nan  # orientation: invalid in the real data
    return table


def write_dat(path: Path, table: np.ndarray) -> Path:
    """Write a table as the real files are written: single spaces, `NaN` for missing values."""
    buffer = io.StringIO()
    np.savetxt(buffer, table, fmt="%.6g", delimiter=" ")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue().replace("nan", "NaN"))
    return path


def write_protocol(root: Path, activities: dict[int, list[int]] | None = None, seconds_each: int = 12,
                   val_level: float = 0.0) -> Path:
    """Write `root/Protocol/subjectNNN.dat` for the eight subjects of the split.

    `activities[subject]` lists the activity ids performed in order, each for `seconds_each` seconds with a 2 s
    transient (id 0) before it; by default everyone does 1, 4 and 5 (lying, walking, running).
    """
    folder = root / "Protocol"
    for subject in PAMAP2_SUBJECTS:
        plan = (activities or {}).get(subject, [1, 4, 5])
        labels: list[int] = []
        for activity in plan:
            labels += [0] * 200 + [activity] * (100 * seconds_each)
        level = val_level if subject == 106 else 0.0
        write_dat(folder / f"subject{subject}.dat", pamap2_rows(labels, level=level, seed=subject))
    return folder
