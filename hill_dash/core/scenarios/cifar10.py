"""`cifar10`: the paper's image scenario, read from CIFAR-10's standard python folder.

`data_dir` holds `cifar-10-batches-py/` (torchvision's layout, the contents of `cifar-10-python.tar.gz`):
`data_batch_1`..`data_batch_5` (50,000 training images), `test_batch` (10,000) and `batches.meta` (class names).
Each batch is a pickled dict with `b"data"` (uint8 `[N, 3072]`: 1024 red, 1024 green, 1024 blue values, row-major)
and `b"labels"` (N ints). Validation and test are two seeded, class-stratified halves of `test_batch`; pixels are
scaled to [0, 1] and z-scored per channel with the training images' statistics. Nothing is downloaded unless
`options={"download": True}`.
"""

from __future__ import annotations

import pickle
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch

from hill_dash.core.models import cifar10_cnn
from hill_dash.core.scenarios.base import (Scenario, ScenarioError, ScenarioInfo, ScenarioSpec, TrainDefaults,
                                            check_options)
from hill_dash.core.scenarios.builtin import assemble
from hill_dash.core.scenarios.splits import scaled_with_test_halves

FOLDER = "cifar-10-batches-py"
TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_FILE = "test_batch"
META_FILE = "batches.meta"
ARCHIVE_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
DEFAULT_DISPLAY_SIZE = 1000

INFO = ScenarioInfo(
    name="cifar10",
    description="CIFAR-10 (32x32 colour images, 10 classes) with the paper's 5-conv CNN and 4096-d latent.",
    source=f"CIFAR-10 python batches under DATA_DIR/{FOLDER} (from {ARCHIVE_URL})",
    needs_files=True,
    can_download=True,
    default_display_size=DEFAULT_DISPLAY_SIZE,
    options={"download": "true: fetch CIFAR-10 into data_dir with torchvision when it is missing (needs internet)"},
)


def _hand_placement(root: Path) -> str:
    return (f"place the files by hand: fetch {ARCHIVE_URL} on a machine with internet and extract it into "
            f"{root}, so that {root / FOLDER} holds {', '.join(TRAIN_FILES)}, {TEST_FILE} and {META_FILE}")


def _locate(root: Path) -> Path | None:
    for candidate in (root / FOLDER, root):
        if (candidate / META_FILE).is_file() or (candidate / TEST_FILE).is_file():
            return candidate
    return None


def _download(root: Path) -> None:
    from torchvision.datasets import CIFAR10

    try:
        root.mkdir(parents=True, exist_ok=True)
        CIFAR10(root=str(root), train=True, download=True)
    except (OSError, RuntimeError) as err:  # URLError is an OSError; torchvision raises RuntimeError on bad checksums
        raise ScenarioError(f"cifar10: downloading CIFAR-10 failed ({type(err).__name__}: {err}); this machine may "
                            f"be offline. Instead, {_hand_placement(root)}") from err


def _unpickle(path: Path) -> dict[Any, Any]:
    try:
        with path.open("rb") as handle:
            content = pickle.load(handle, encoding="bytes")
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError) as err:
        raise ScenarioError(f"{path} is not a CIFAR-10 python batch (unpickling failed: {err}); re-extract "
                            f"cifar-10-python.tar.gz") from err
    if not isinstance(content, dict):
        raise ScenarioError(f"{path} holds a {type(content).__name__}, not the dict of a CIFAR-10 python batch")
    return content


def _field(content: dict[Any, Any], key: str, path: Path) -> Any:
    for candidate in (key.encode(), key):
        if candidate in content:
            return content[candidate]
    raise ScenarioError(f"{path} has no {key!r} entry (found {sorted(map(str, content))}); is it a CIFAR-10 "
                        f"python batch?")


def read_batch(path: Path, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """One batch file as uint8 images `[N, 3, 32, 32]` and int64 labels `[N]`, checked against the format."""
    content = _unpickle(path)
    data = np.asarray(_field(content, "data", path))
    labels = np.asarray(_field(content, "labels", path))
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or data.dtype != np.uint8:
        raise ScenarioError(f"{path}: 'data' is {data.dtype} {tuple(data.shape)}; CIFAR-10 batches hold uint8 "
                            f"rows of 3072 values (3 x 32 x 32)")
    if labels.shape != (data.shape[0],):
        raise ScenarioError(f"{path}: {data.shape[0]} images but {labels.size} labels")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ScenarioError(f"{path}: labels must lie in 0..{num_classes - 1} ({num_classes} names in "
                            f"{META_FILE}), found {labels.min()}..{labels.max()}")
    return data.reshape(-1, 3, 32, 32), labels.astype(np.int64)


def read_class_names(path: Path) -> tuple[str, ...]:
    """The class names from `batches.meta` (`b"label_names"`)."""
    names = _field(_unpickle(path), "label_names", path)
    decoded = tuple(n.decode() if isinstance(n, bytes) else str(n) for n in names)
    if not decoded:
        raise ScenarioError(f"{path}: 'label_names' is empty")
    return decoded


def _folder(spec: ScenarioSpec) -> Path:
    download = spec.options.get("download", False)
    if not isinstance(download, bool):
        raise ScenarioError(f"cifar10: option download must be true or false, got {download!r}")
    if spec.data_dir is None:
        raise ScenarioError("cifar10 needs a data directory: pass --data-dir DIR (data_dir in a spec) pointing at "
                            f"the folder that holds {FOLDER}/, and add download=true to fetch it when online")
    root = Path(spec.data_dir).expanduser()
    folder = _locate(root)
    if folder is None and download:
        _download(root)
        folder = _locate(root)
    if folder is None:
        raise ScenarioError(f"cifar10: no CIFAR-10 files under {root}. Either pass download=true on a machine with "
                            f"internet, or {_hand_placement(root)}")
    missing = [name for name in (*TRAIN_FILES, TEST_FILE, META_FILE) if not (folder / name).is_file()]
    if missing:
        raise ScenarioError(f"cifar10: {folder} lacks {', '.join(missing)}; {_hand_placement(root)}")
    return folder


def build(spec: ScenarioSpec) -> Scenario:
    """Build the `cifar10` scenario from `spec.data_dir` (downloading only when `options["download"]` is true)."""
    check_options(spec, INFO.options)
    folder = _folder(spec)
    class_names = read_class_names(folder / META_FILE)
    parts = [read_batch(folder / name, len(class_names)) for name in TRAIN_FILES]
    train_x = torch.from_numpy(np.concatenate([x for x, _ in parts])).float().div_(255.0)
    train_y = torch.from_numpy(np.concatenate([y for _, y in parts]))
    test_images, test_labels = read_batch(folder / TEST_FILE, len(class_names))
    test_x = torch.from_numpy(test_images).float().div_(255.0)
    *splits, mean, std = scaled_with_test_halves(train_x, train_y, test_x, torch.from_numpy(test_labels), spec.seed)
    stats = ", ".join(f"{m:.4f}/{s:.4f}" for m, s in zip(mean.tolist(), std.tolist()))
    source = (f"CIFAR-10 python batches in {folder}: train = {', '.join(TRAIN_FILES)}; validation/test = seeded "
              f"halves of {TEST_FILE} (seed {spec.seed}); per-channel mean/std from train: {stats}")
    return assemble(INFO, spec, class_names, tuple(splits), partial(cifar10_cnn, num_classes=len(class_names)),
                    source=source, defaults=TrainDefaults())
