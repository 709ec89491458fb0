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


def pdf_box(path) -> list[float]:
    return [float(v) for v in re.search(rb"/MediaBox \[([\d. ]+)\]", path.read_bytes()).group(1).split()][2:]


@pytest.mark.browser
def test_renders_sharing_one_page_keep_their_own_sizes(tmp_path, chromium):
    # the browser page is reused between renders: a later PDF must not keep an earlier one's page size,
    # and writing the same figure again in the same process must still produce its file
    export_figures({"tall": small_figure()}, tmp_path / "a", formats=("pdf", "png"), layout="one-column", dpi=96)
    export_figures({"short": small_figure()}, tmp_path / "b", formats=("pdf",), layout="two-column", height_in=1.0)
    export_figures({"tall": small_figure()}, tmp_path / "c", formats=("pdf",), layout="one-column")
    assert pdf_box(tmp_path / "a" / "tall.pdf") == pytest.approx([3.5 * 72, 2.0 * 72], abs=0.5)
    assert pdf_box(tmp_path / "b" / "short.pdf") == pytest.approx([687 * 0.75, 1.0 * 72], abs=0.5)
    assert pdf_box(tmp_path / "c" / "tall.pdf") == pdf_box(tmp_path / "a" / "tall.pdf")
    assert png_size(tmp_path / "a" / "tall.png") == (336, 192)


@pytest.mark.browser
def test_a_png_made_with_its_pdf_shows_what_a_png_made_alone_shows(tmp_path, chromium):
    image = pytest.importorskip("PIL.Image")
    numpy = pytest.importorskip("numpy")
    figure = small_figure()
    together = export_figures({"both": figure}, tmp_path / "both", formats=("pdf", "png"), layout="one-column",
                              dpi=150)
    alone = export_figures({"both": figure}, tmp_path / "alone", formats=("png",), layout="one-column", dpi=150)
    assert [p.name for p in together] == ["both.pdf", "both.png"]
    assert png_size(together[1]) == export_size("one-column", 2.0, dpi=150, fmt="png") == (525, 300)
    shot, drawn = (numpy.asarray(image.open(p).convert("RGB"), dtype=float) for p in (together[1], alone[0]))
    rows, cols = min(shot.shape[0], drawn.shape[0]), min(shot.shape[1], drawn.shape[1])
    difference = numpy.abs(shot[:rows, :cols] - drawn[:rows, :cols])
    assert difference.mean() < 2.0, "the PNG beside a PDF must show the same picture as one rendered alone"
    assert shot.std() > 10, "the PNG must not be blank"


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
