"""Static export in the system Chromium (PNG size from its IHDR chunk, PDF page size, SVG as XML) and tidy tables."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.export import export_figures, export_size, export_tidy
from analysis.style import apply_paper_layout, mark_simulated


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def small_figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.8, 0.85, 0.83], name="run"))
    return mark_simulated(apply_paper_layout(fig, "one-column", height_in=2.0))


@pytest.mark.browser
@pytest.mark.slow
def test_paper_sized_files_in_three_formats(tmp_path, chromium):
    figs = {"fig5": small_figure(), "fig6": small_figure()}
    paths = export_figures(figs, tmp_path, formats=("png", "pdf", "svg"), layout="one-column", dpi=200)
    assert sorted(p.name for p in paths) == sorted(f"{n}.{f}" for n in figs for f in ("png", "pdf", "svg"))
    assert png_size(tmp_path / "fig5.png") == export_size("one-column", 2.0, dpi=200) == (700, 400)
    pdf = (tmp_path / "fig6.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    box = [float(v) for v in re.search(rb"/MediaBox \[([\d. ]+)\]", pdf).group(1).split()]
    assert box[2:] == pytest.approx([3.5 * 72, 2.0 * 72], abs=0.5)  # points: a 3.5 in x 2 in page
    root = ET.parse(tmp_path / "fig5.svg").getroot()
    assert root.tag.endswith("svg") and root.get("width") == "336"
    assert "SIMULATED DATA" in (tmp_path / "fig5.svg").read_text()


@pytest.mark.browser
def test_two_column_png_at_the_asked_dpi(tmp_path, chromium):
    (path,) = export_figures({"wide": small_figure()}, tmp_path, formats=("png",), layout="two-column",
                             dpi=96, height_in=1.5)
    assert png_size(path) == export_size("two-column", 1.5, dpi=96) == (687, 144)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="formats must be"):
        export_figures({"a": small_figure()}, tmp_path, formats=("jpg",))
    with pytest.raises(ValueError, match="figure names become file names"):
        export_figures({"../a": small_figure()}, tmp_path)
    assert export_figures({}, tmp_path) == []


def test_tidy_tables_round_trip(tmp_path):
    answers = pd.DataFrame({"participant": ["P1", "P1", None], "item": ["q1", "age", "q2"],
                            "value": [55.0, "27", 12], "untouched": [False, False, True]})
    runs = pd.DataFrame({"epoch": [1, 2], "val_acc": [0.5, 0.6], "epochs_to_reach": pd.array([3, None], "Int64")})
    paths = export_tidy({"answers": answers, "runs": runs}, tmp_path)
    assert sorted(p.name for p in paths) == ["answers.csv", "answers.parquet", "runs.csv", "runs.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "runs.parquet"), runs)
    back = pd.read_parquet(tmp_path / "answers.parquet")
    assert list(back["value"]) == ["55.0", "27", "12"]  # mixed numbers and text are kept as text
    assert pd.read_csv(tmp_path / "runs.csv")["val_acc"].tolist() == [0.5, 0.6]
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        export_tidy({"x": [1, 2]}, tmp_path)
