"""`hill-dash figures` regenerates the paper's figures and report from a demo study's own data (kaleido drives
Chromium, so these are browser tests)."""

from __future__ import annotations

import json
import struct

import pytest

from analysis import export_size
from hill_dash.store import open_store
from hill_dash.studydata import build_figures, load_study

FORMATS = ("pdf", "png", "svg")
DPI = 150
EXPECTED = ["fig5_accuracy", "fig6_nasa_tlx", "fig7_custom_questions", "strategy_timeline_digits",
            "strategy_timeline_basicmotions"]


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def demo(cli, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo-figures")
    return data_dir, cli.build_demo(data_dir)


@pytest.fixture(scope="module")
def figures(cli, demo, tmp_path_factory, chromium):
    data_dir, summary = demo
    out = tmp_path_factory.mktemp("figures")
    result = cli.invoke("figures", "--study", summary["study_id"], "--data-dir", data_dir, "--out", out,
                        "--format", ",".join(FORMATS), "--layout", "one-column", "--dpi", DPI, "--json")
    assert result.exit_code == 0, result.output[-3000:]
    return out, cli.last_json(result)


@pytest.mark.browser
def test_every_figure_is_written_in_every_requested_format(figures):
    out, summary = figures
    assert sorted(summary["figures"]) == sorted(EXPECTED) and summary["skipped"] == {}
    for name in EXPECTED:
        assert sorted(summary["figures"][name]) == sorted(str(out / f"{name}.{fmt}") for fmt in FORMATS)
        assert (out / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
        assert b"<svg" in (out / f"{name}.svg").read_bytes()[:2000]
        png_size(out / f"{name}.png")


@pytest.mark.browser
def test_png_files_have_the_size_of_the_chosen_column(demo, figures):
    data_dir, study = demo
    out, _ = figures
    width, _ = export_size("one-column", dpi=DPI, fmt="png")
    built = build_figures(load_study(open_store(data_dir=data_dir), study["study_id"]), "one-column")
    for name, fig in built.figures.items():
        got_width, got_height = png_size(out / f"{name}.png")
        assert got_width == width == round(3.5 * DPI)
        assert abs(got_height - fig.layout.height * DPI / 96) <= 1


@pytest.mark.browser
def test_the_report_is_written_as_text_numbers_and_tables(demo, figures):
    _, study = demo
    out, summary = figures
    text = (out / "report.md").read_text()
    assert text.startswith(f"# Results of study \"{study['study']}\"")
    assert "SIMULATED data" in text
    numbers = json.loads((out / "report.json").read_text())
    assert numbers["simulated"] is True and sorted(numbers["primary"]) == ["basicmotions", "digits"]
    assert numbers["questionnaires"]["umux_lite"]["all"]["sus_parity"]["n"] == 2  # people, not answers
    assert text.index("Primary analysis") < text.index("Secondary") and "BasicMotions" in text
    tables = {p.name for p in (out / "tables").iterdir()}
    assert {"primary.csv", "gains.csv", "baseline_band.csv", "questionnaire_scores.csv"} <= tables
    assert set(summary["stages_s"]) >= {"load", "figures_build", "figures_export", "report"}
    assert summary["headline"] == study["headline"]
