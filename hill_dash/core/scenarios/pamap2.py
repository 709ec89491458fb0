"""`pamap2`: the paper's wearable scenario, read from PAMAP2's `Protocol/subjectNNN.dat` files.

Preprocessing, per subject file (see `pamap2_files` for the format):

1. the 27 channels (hand/chest/ankle IMU: 16 g accelerometer, gyroscope, magnetometer) keep their NaNs filled by
   linear interpolation over the samples, the first and last values carried to the file's edges;
2. 100 Hz -> 50 Hz by averaging each pair of consecutive samples (a two-tap low-pass before dropping every second
   sample); a pair's label is its first sample's label;
3. windows of 4 s (200 samples) every 1 s (50 samples); a window's label is the activity most of its samples carry
   (a tie goes to the smaller id);
4. windows labelled 0 (transient) are dropped unless `options={"keep_transient": True}`.

Subject-wise split: train 101, 102, 104, 105, 108; validation 106; test 103, 107 (109 is not used). Channels are
z-scored with the training windows' statistics only. The classes are the activity ids present in the training
windows, in id order; validation/test windows of any other activity are dropped and counted in `Scenario.source`.
With the published Protocol files that gives the 12 protocol activities; with `keep_transient` 13, the number of
classes the paper reports.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import torch

from hill_dash.core.models import pamap2_cnn
from hill_dash.core.scenarios.base import (Scenario, ScenarioError, ScenarioInfo, ScenarioSpec, Split,
                                            TrainDefaults, check_options)
from hill_dash.core.scenarios.builtin import assemble
from hill_dash.core.scenarios.pamap2_files import ACTIVITIES, read_protocol_file
from hill_dash.core.scenarios.splits import channel_stats, standardise

TRAIN_SUBJECTS = (101, 102, 104, 105, 108)
VAL_SUBJECTS = (106,)
TEST_SUBJECTS = (103, 107)
DOWNSAMPLE = 2  # 100 Hz -> 50 Hz
WINDOW = 200  # 4 s at 50 Hz
STEP = 50  # 1 s at 50 Hz
DEFAULT_DISPLAY_SIZE = 1000

INFO = ScenarioInfo(
    name="pamap2",
    description="PAMAP2 physical activities (27 IMU channels x 4 s windows) with the paper's 1D CNN, 1024-d latent.",
    source="PAMAP2 Protocol files DATA_DIR/Protocol/subject101.dat ... subject108.dat (UCI Machine Learning "
           "Repository, 'PAMAP2 Physical Activity Monitoring'); place them by hand",
    needs_files=True,
    can_download=False,
    default_display_size=DEFAULT_DISPLAY_SIZE,
    options={"keep_transient": "true: keep activity 0 (transient periods) as a class"},
)


def locate_protocol(root: Path) -> Path:
    """The folder holding the subject files: `root/Protocol`, `root/PAMAP2_Dataset/Protocol` or `root` itself."""
    for candidate in (root / "Protocol", root / "PAMAP2_Dataset" / "Protocol", root):
        if any(candidate.glob("subject1*.dat")):
            return candidate
    raise ScenarioError(f"pamap2: no subjectNNN.dat files under {root}; extract PAMAP2_Dataset.zip there so that "
                        f"{root / 'Protocol'} holds subject101.dat ... subject108.dat")


def fill_gaps(signals: np.ndarray) -> np.ndarray:
    """Linear interpolation of NaNs per channel over the sample index; edges take the nearest valid value."""
    filled = signals.copy()
    index = np.arange(signals.shape[0])
    for channel in range(signals.shape[1]):
        column = filled[:, channel]
        missing = np.isnan(column)
        if missing.any():
            column[missing] = np.interp(index[missing], index[~missing], column[~missing])
    return filled


def downsample(labels: np.ndarray, signals: np.ndarray, factor: int = DOWNSAMPLE) -> tuple[np.ndarray, np.ndarray]:
    """Average each run of `factor` samples (a trailing partial run is dropped); labels from each run's first."""
    usable = (signals.shape[0] // factor) * factor
    means = signals[:usable].reshape(-1, factor, signals.shape[1]).mean(axis=1)
    return labels[:usable:factor], means


def make_windows(labels: np.ndarray, signals: np.ndarray, length: int = WINDOW,
                 step: int = STEP) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows `[W, channels, length]` (float32) every `step` samples and their majority labels `[W]`."""
    if signals.shape[0] < length:
        return np.empty((0, signals.shape[1], length), np.float32), np.empty(0, np.int64)
    starts = np.arange(0, signals.shape[0] - length + 1, step)
    views = np.lib.stride_tricks.sliding_window_view(signals, length, axis=0)  # [T-length+1, channels, length]
    windows = np.ascontiguousarray(views[starts], dtype=np.float32)
    onehot_sums = np.cumsum(np.eye(max(ACTIVITIES) + 1, dtype=np.int32)[labels], axis=0)
    onehot_sums = np.vstack([np.zeros((1, onehot_sums.shape[1]), np.int32), onehot_sums])
    counts = onehot_sums[starts + length] - onehot_sums[starts]
    return windows, counts.argmax(axis=1).astype(np.int64)


def subject_windows(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One subject file turned into its windows and majority activity ids (steps 1-3 of the module docstring)."""
    labels, signals = read_protocol_file(path)
    labels, signals = downsample(labels, fill_gaps(signals))
    return make_windows(labels, signals)


def _subject_files(folder: Path) -> dict[int, Path]:
    wanted = (*TRAIN_SUBJECTS, *VAL_SUBJECTS, *TEST_SUBJECTS)
    files = {subject: folder / f"subject{subject}.dat" for subject in wanted}
    missing = sorted(path.name for path in files.values() if not path.is_file())
    if missing:
        raise ScenarioError(f"pamap2: {folder} lacks {', '.join(missing)}; the subject-wise split needs train "
                            f"{TRAIN_SUBJECTS}, validation {VAL_SUBJECTS} and test {TEST_SUBJECTS}. Copy the "
                            f"missing files from the data set's Protocol folder")
    return files


def _gather(files: dict[int, Path], subjects: tuple[int, ...], keep_transient: bool) -> tuple[np.ndarray, np.ndarray]:
    parts = [subject_windows(files[subject]) for subject in subjects]
    x = np.concatenate([w for w, _ in parts])
    y = np.concatenate([labels for _, labels in parts])
    keep = np.ones_like(y, dtype=bool) if keep_transient else y != 0
    return x[keep], y[keep]


def _to_split(x: np.ndarray, ids: np.ndarray, classes: np.ndarray) -> tuple[Split, int]:
    """Keep windows of a training class and re-code their ids to class indices; returns the dropped count too."""
    keep = np.isin(ids, classes)
    codes = np.searchsorted(classes, ids[keep])
    return Split(torch.from_numpy(x[keep]), torch.from_numpy(codes)), int((~keep).sum())


def build(spec: ScenarioSpec) -> Scenario:
    """Build the `pamap2` scenario from the Protocol files under `spec.data_dir`."""
    check_options(spec, INFO.options)
    keep_transient = spec.options.get("keep_transient", False)
    if not isinstance(keep_transient, bool):
        raise ScenarioError(f"pamap2: option keep_transient must be true or false, got {keep_transient!r}")
    if spec.data_dir is None:
        raise ScenarioError("pamap2 needs a data directory: pass --data-dir DIR (data_dir in a spec) pointing at the "
                            "folder that holds Protocol/subject101.dat ... subject108.dat")
    folder = locate_protocol(Path(spec.data_dir).expanduser())
    files = _subject_files(folder)
    train_x, train_ids = _gather(files, TRAIN_SUBJECTS, keep_transient)
    if train_x.shape[0] == 0:
        raise ScenarioError(f"pamap2: the training subjects {TRAIN_SUBJECTS} in {folder} give no labelled 4 s "
                            f"window; each file needs at least {WINDOW * DOWNSAMPLE} lines of one activity")
    classes = np.unique(train_ids)
    train, _ = _to_split(train_x, train_ids, classes)
    val, val_dropped = _to_split(*_gather(files, VAL_SUBJECTS, keep_transient), classes)
    test, test_dropped = _to_split(*_gather(files, TEST_SUBJECTS, keep_transient), classes)
    if len(val) == 0 or len(test) == 0:
        raise ScenarioError(f"pamap2: validation ({len(val)}) or test ({len(test)}) windows are missing: subjects "
                            f"{VAL_SUBJECTS} / {TEST_SUBJECTS} in {folder} hold no activity of the training subjects")
    mean, std = channel_stats(train.x)
    for split in (train, val, test):
        standardise(split.x, mean, std)
    dropped = f"; dropped windows of activities absent from training: {val_dropped} validation, {test_dropped} test"
    source = (f"PAMAP2 Protocol files in {folder}: train subjects {TRAIN_SUBJECTS}, validation {VAL_SUBJECTS}, "
              f"test {TEST_SUBJECTS}; 50 Hz, 4 s windows every 1 s; activity ids {classes.tolist()}"
              f"{'' if keep_transient else ' (transient 0 dropped)'}{dropped}")
    return assemble(INFO, spec, [ACTIVITIES[int(c)] for c in classes], (train, val, test),
                    partial(pamap2_cnn, num_classes=len(classes), in_channels=train.x.shape[1]),
                    source=source, defaults=TrainDefaults())
