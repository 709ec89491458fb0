"""What every result-producing command shares: `--json` and progress bars.

With `--json` the last line of standard output is exactly one JSON object; everything else a command prints
(progress bars included) goes to standard error so that `hill-dash ... --json | tail -n 1` is always parseable.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

T = TypeVar("T")

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")


def _plain(value: Any) -> Any:
    """Make numpy scalars, paths and non-finite floats JSON-safe."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit(result: dict[str, Any], as_json: bool, human: Callable[[dict[str, Any]], str] | None = None) -> None:
    """Print a command's result: a human summary, and with --json the JSON object as the very last line."""
    if human is not None:
        text = human(result)
        click.echo(text, err=as_json)
    if as_json:
        click.echo(json.dumps(_plain(result), sort_keys=True))


def progress(iterable: Iterable[T], total: int | None = None, desc: str = "", disable: bool = False) -> Iterator[T]:
    """A progress bar on standard error, so it never mixes with the JSON line on standard output."""
    return iter(tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=disable, dynamic_ncols=True))


def fail(message: str) -> None:
    """Stop a command with a clear message (exit code 1), never a traceback."""
    raise click.ClickException(message)
