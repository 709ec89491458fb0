"""What produced a result: package versions, the git commit of a checkout, Python and the device.

Every run directory, study export and figure report carries this record so that a paper's reader can see which
versions made its numbers. Versions are read from the installed distributions' metadata, so asking for them
imports neither torch nor Whisper.
"""

from __future__ import annotations

import functools
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from hill_dash import __version__

# Each entry names the distribution whose version a result depends on.
PACKAGES = ("torch", "torchvision", "numpy", "pandas", "scipy", "statsmodels", "scikit-learn", "plotly", "dash",
            "faster-whisper", "ctranslate2", "openai-whisper")

ENVIRONMENT_FILE = "environment.json"


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def git_commit() -> str | None:
    """The commit of the checkout hill-dash runs from ('+dirty' when it has uncommitted changes), else None."""
    top = Path(__file__).resolve().parent.parent
    if not (top / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(top), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(top), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def current_device() -> str:
    """The device torch would train on here; 'cpu' when torch is not loaded (asking must not import it)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return "cpu (torch not loaded)"
    if torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name(0)})"
    backend = getattr(torch.backends, "mps", None)
    if backend is not None and backend.is_available():
        return "mps"
    return "cpu"


def environment(device: str | None = None) -> dict[str, Any]:
    """The record stored beside results: hill-dash version and commit, Python, platform, packages, device."""
    return {
        "hill_dash": __version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {name: _version(name) for name in PACKAGES},
        "device": device or current_device(),
    }


def write_environment(directory: str | Path, device: str | None = None) -> Path:
    """Write `environment.json` into `directory` (created if missing); returns its path."""
    path = Path(directory) / ENVIRONMENT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(environment(device), indent=2, sort_keys=True) + "\n")
    return path
