"""Static figure export (PDF, PNG, SVG) sized for a paper column, and tidy tables as CSV and Parquet.

Figures are rendered by kaleido (>= 1) in the system Chromium, offline: one browser is opened for the whole
process (`start_export_browser`, kaleido's sync server) instead of one per file, and MathJax is switched off so
nothing is fetched from a CDN. Sizes: the figure is laid out at the column width in CSS pixels (96 per inch);
PDF and SVG keep that size (a 3.5 in figure is a 3.5 in page), PNG is rendered at `dpi / 96` times it, so a
one-column PNG at 300 dpi is 1050 pixels wide.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import kaleido
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pyarrow as pa

from analysis.style import PX_PER_INCH, inches_to_px, paper_layout

FORMATS = ("pdf", "png", "svg")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ExportError(RuntimeError):
    """A figure or table could not be written; the message says why and what to do."""


def start_export_browser() -> None:
    """Open kaleido's one shared headless Chromium for this process (no-op when it is already open)."""
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def stop_export_browser() -> None:
    """Close the shared browser (it is also closed when the process exits)."""
    kaleido.stop_sync_server(silence_warnings=True)


def export_size(layout: str = "two-column", height_in: float | None = None, dpi: int = 300,
                fmt: str = "png") -> tuple[int, int]:
    """The size a figure is written at: pixels for PNG, CSS pixels (1/96 in) for PDF and SVG."""
    spec = paper_layout(layout)
    width, height = inches_to_px(spec.width_in), inches_to_px(height_in if height_in is not None else spec.height_in)
    if fmt == "png":
        scale = dpi / PX_PER_INCH
        return int(round(width * scale)), int(round(height * scale))
    return width, height


def _check(figs: Mapping[str, go.Figure], formats: Iterable[str], dpi: int) -> list[str]:
    formats = list(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise ValueError(f"formats must be a non-empty selection of {list(FORMATS)}, got {formats}")
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi}")
    bad = [name for name in figs if not _SAFE_NAME.match(name)]
    if bad:
        raise ValueError(f"figure names become file names; use letters, digits, '_', '-', '.' only: {bad}")
    return formats


def export_figures(figs: Mapping[str, go.Figure], out_dir: str | Path, formats: Iterable[str] = FORMATS,
                   layout: str = "two-column", dpi: int = 300, height_in: float | None = None) -> list[Path]:
    """Write every figure in every format to `out_dir/<name>.<format>` in one browser batch; returns the paths.

    The width is the layout's column width; the height is `height_in` if given, else the figure's own layout
    height (the builders size it for the layout), else the layout's default height.
    """
    formats = _check(figs, formats, dpi)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    spec = paper_layout(layout)
    batch: dict[str, list] = {"fig": [], "file": [], "format": [], "width": [], "height": [], "scale": []}
    for name, fig in figs.items():
        own_height = fig.layout.height / PX_PER_INCH if fig.layout.height else None
        height = height_in if height_in is not None else (own_height or spec.height_in)
        for fmt in formats:
            batch["fig"].append(fig)
            batch["file"].append(out / f"{name}.{fmt}")
            batch["format"].append(fmt)
            batch["width"].append(inches_to_px(spec.width_in))
            batch["height"].append(inches_to_px(height))
            batch["scale"].append(dpi / PX_PER_INCH if fmt == "png" else 1)
    if not batch["fig"]:
        return []
    start_export_browser()
    try:
        with warnings.catch_warnings():
            # plotly passes its default request headers as browser options, which the already-open browser
            # cannot take; they only matter for fetching remote scripts, which this offline export never does
            warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
            pio.write_images(**batch)
    except RuntimeError as exc:
        raise ExportError(
            f"static export failed ({exc}); it needs Chromium (the system package `chromium`, found at "
            "/usr/bin/chromium) and kaleido >= 1"
        ) from exc
    return list(batch["file"])


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns pyarrow cannot type (e.g. answers mixing numbers and text) are stored as text."""
    out = frame.copy()
    for column in out.columns[out.dtypes == object]:
        try:
            pa.array(out[column], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            out[column] = out[column].map(lambda v: None if v is None or v != v else str(v))
    return out


def export_tidy(frames: Mapping[str, pd.DataFrame], out_dir: str | Path,
                formats: Iterable[str] = ("csv", "parquet")) -> list[Path]:
    """Write each table as `<name>.csv` and `<name>.parquet` (or the chosen formats); returns the paths."""
    formats = list(formats)
    unknown = sorted(set(formats) - {"csv", "parquet"})
    if unknown or not formats:
        raise ValueError(f"tidy formats must be 'csv' and/or 'parquet', got {formats}")
    bad = [name for name in frames if not _SAFE_NAME.match(name)]
    if bad:
        raise ValueError(f"table names become file names; use letters, digits, '_', '-', '.' only: {bad}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(f"table {name!r} must be a pandas DataFrame, got {type(frame).__name__}")
        if "csv" in formats:
            paths.append(out / f"{name}.csv")
            frame.to_csv(paths[-1], index=False)
        if "parquet" in formats:
            paths.append(out / f"{name}.parquet")
            _parquet_safe(frame).to_parquet(paths[-1], index=False)
    return paths
