"""Large data next to the database: files under `<data_dir>/files/`, named in rows by relative paths.

Every write goes to a temporary file that is renamed into place, so a crash never leaves half a file under a
name a row points at.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import numpy as np

from hill_dash.store.errors import StoreError


class FileArea:
    """The `files/` directory of one data directory; relative paths use forward slashes on every system."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.root = data_dir / "files"

    def absolute(self, relative: str) -> Path:
        """The file on disk for a relative path as stored in a row."""
        return self.root / self._checked(relative)

    def relative(self, path: str | os.PathLike[str]) -> str:
        """The relative path to store for `path` (absolute under files/, or already relative)."""
        candidate = Path(path)
        if not candidate.is_absolute():
            return self._checked(str(PurePosixPath(*candidate.parts)))
        try:
            inside = candidate.resolve().relative_to(self.root.resolve())
        except ValueError as exc:
            raise StoreError(f"{candidate} is outside the store's file area {self.root}; write the file "
                             "there (Store.files.absolute(...)) before recording it") from exc
        return PurePosixPath(*inside.parts).as_posix()

    def write_bytes(self, relative: str, data: bytes) -> str:
        """Write `data` to `relative` atomically and return the relative path."""
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _atomic(target) as handle:
            handle.write(data)
        return self._checked(relative)

    def concatenate(self, relative: str, parts: Iterable[str]) -> str:
        """Join the files `parts` (relative paths, in the given order) into one new file at `relative`."""
        parts = list(parts)
        missing = [part for part in parts if not self.absolute(part).is_file()]
        if missing:
            raise StoreError(f"cannot join: {', '.join(missing)} is missing under {self.root}")
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _atomic(target) as handle:
            for part in parts:
                with self.absolute(part).open("rb") as source:
                    shutil.copyfileobj(source, handle)
        return self._checked(relative)

    def copy_in(self, relative: str, source: str | os.PathLike[str]) -> str:
        """Copy an outside file into the file area at `relative`."""
        source_path = Path(source)
        if not source_path.is_file():
            raise StoreError(f"{source_path} is not a file; give the path of an existing audio or data file")
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        with source_path.open("rb") as source_handle, _atomic(target) as handle:
            shutil.copyfileobj(source_handle, handle)
        return self._checked(relative)

    def save_arrays(self, relative: str, arrays: Mapping[str, np.ndarray]) -> str:
        """Save named numpy arrays to an .npz file at `relative` (the suffix is added if missing)."""
        if not arrays:
            raise StoreError("save_arrays needs at least one named array, for example {'xy': points}")
        if not relative.endswith(".npz"):
            relative += ".npz"
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        named: dict[str, Any] = {str(k): np.asarray(v) for k, v in arrays.items()}
        with _atomic(target) as handle:
            np.savez_compressed(handle, **named)
        return self._checked(relative)

    def load_arrays(self, relative: str) -> dict[str, np.ndarray]:
        """The arrays of an .npz file written by `save_arrays` (no pickled objects are accepted)."""
        path = self.absolute(relative)
        if not path.is_file():
            raise StoreError(f"the array file {relative} is missing under {self.root}")
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}

    def _checked(self, relative: str) -> str:
        parts = PurePosixPath(relative.replace("\\", "/")).parts
        if not parts or parts[0] == "/" or ".." in parts:
            raise StoreError(f"{relative!r} is not a relative path inside the file area; use names like "
                             "'runs/3/checkpoints/epoch-0025.pt'")
        return "/".join(parts)


@contextmanager
def _atomic(target: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content becomes `target` only when the block finishes without an error."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
