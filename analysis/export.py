"""Static figure export (PDF, PNG, SVG) sized for a paper column, and tidy tables as CSV and Parquet.

Figures are rendered by kaleido (>= 1) in the system Chromium, offline: one browser is opened for the whole
process (`start_export_browser`, `analysis.browser`) instead of one per file, and MathJax is switched off so
nothing is fetched from a CDN. Sizes: the figure is laid out at the column width in CSS pixels (96 per inch);
PDF and SVG keep that size (a 3.5 in figure is a 3.5 in page), PNG is rendered at `dpi / 96` times it, so a
one-column PNG at 300 dpi is 1050 pixels wide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analysis.browser import BROWSER
from analysis.style import PX_PER_INCH, inches_to_px, paper_layout

FORMATS = ("pdf", "png", "svg")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ExportError(RuntimeError):
    """A figure or table could not be written; the message says why and what to do."""


def start_export_browser() -> None:
    """Open the one shared headless Chromium for this process (no-op when it is already open)."""
    BROWSER.open()


def warm_export_browser() -> None:
    """Start the shared browser in the background, so that its start (Chromium plus plotly.js, seconds) overlaps
    the work done before the first export; `export_figures` waits for it."""
    BROWSER.start()


def stop_export_browser() -> None:
    """Close the shared browser (it is also closed when the process exits)."""
    BROWSER.close()


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
    return start_figure_export(figs, out_dir, formats, layout, dpi, height_in)()


def start_figure_export(figs: Mapping[str, go.Figure], out_dir: str | Path, formats: Iterable[str] = FORMATS,
                        layout: str = "two-column", dpi: int = 300,
                        height_in: float | None = None) -> Callable[[], list[Path]]:
    """`export_figures` that returns at once: the browser draws while the caller works, and calling the returned
    function waits for the files (their paths) or raises `ExportError`."""
    formats = _check(figs, formats, dpi)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    spec = paper_layout(layout)
    specs, files = [], []
    for name, fig in figs.items():
        own_height = fig.layout.height / PX_PER_INCH if fig.layout.height else None
        height = height_in if height_in is not None else (own_height or spec.height_in)
        as_dict = fig.to_plotly_json()  # once per figure, not once per format
        for fmt in formats:
            files.append(out / f"{name}.{fmt}")
            specs.append({"fig": as_dict, "path": files[-1],
                          "opts": {"format": fmt, "width": inches_to_px(spec.width_in),
                                   "height": inches_to_px(height), "scale": dpi / PX_PER_INCH if fmt == "png" else 1}})
    if not specs:
        return lambda: []
    try:
        rendering = BROWSER.submit(specs)
    except (RuntimeError, OSError) as exc:
        raise _export_error(exc) from exc

    def wait() -> list[Path]:
        try:
            rendering.result()
        except (RuntimeError, OSError) as exc:
            raise _export_error(exc) from exc
        return files

    return wait


def _export_error(exc: BaseException) -> ExportError:
    return ExportError(f"static export failed ({exc}); it needs Chromium (the system package `chromium`, found at "
                       "/usr/bin/chromium) and kaleido >= 1")


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns pyarrow cannot type (e.g. answers mixing numbers and text) are stored as text."""
    import pyarrow as pa

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
