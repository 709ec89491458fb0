"""Figure 5 as data: bands, best/worst runs, pretraining shade, interaction lines, sizes, simulated notice."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import style
from analysis.baseline import baseline_band
from analysis.fig_accuracy import accuracy_figure
from analysis.schema import AnalysisError


@pytest.fixture
def runs(make_study):
    return make_study(seed=5, n_participants=4, n_seeds=3)


def traces(fig, group, xaxis="x"):
    return [t for t in fig.data if t.legendgroup == group and t.xaxis == xaxis]


def test_participant_band_and_extreme_runs(runs):
    fig = accuracy_figure(runs)
    hill = runs[(runs["condition"] == "hill") & (runs["scenario"] == "a")]
    upper, lower = traces(fig, "participants")
    spread = hill.groupby("epoch")["val_acc"].agg(["min", "max"])
    assert np.asarray(upper.y, dtype=float) == pytest.approx(spread["max"].to_numpy())
    assert np.asarray(lower.y, dtype=float) == pytest.approx(spread["min"].to_numpy())
    assert lower.fill == "tonexty" and lower.fillcolor == style.PARTICIPANT_BAND
    finals = hill[hill["epoch"] == hill["epoch"].max()].set_index("participant")["val_acc"]
    (best,), (worst,) = traces(fig, "best"), traces(fig, "worst")
    assert best.meta["participant"] == finals.idxmax() and best.line.color == style.BEST_COLOUR
    assert worst.meta["participant"] == finals.idxmin() and worst.line.color == style.WORST_COLOUR


def test_baseline_mean_and_seed_band(runs):
    band = baseline_band(runs, "b")
    fig = accuracy_figure(runs, band="ci")
    (mean,) = traces(fig, "baseline", "x2")
    assert np.asarray(mean.y, dtype=float) == pytest.approx(band["mean"].to_numpy())
    upper, lower = traces(fig, "baseline-band", "x2")
    assert np.asarray(upper.y, dtype=float) == pytest.approx(band["ci_high"].to_numpy())
    assert "95% CI" in lower.name
    default = accuracy_figure(runs)
    upper, _ = traces(default, "baseline-band", "x2")
    assert np.asarray(upper.y, dtype=float) == pytest.approx(band["max"].to_numpy())
    with pytest.raises(ValueError, match="band must be one of"):
        accuracy_figure(runs, band="sd")


def test_interaction_lines_and_axes_on_the_interactive_phase_in_every_panel(runs):
    fig = accuracy_figure(runs, names={"a": "Scenario A"})
    for index, xref in enumerate(("x", "x2")):
        lines = [s for s in fig.layout.shapes if s.xref == xref and s.type == "line"]
        assert sorted(s.x0 for s in lines) == [4, 7, 10]
        assert all(s.line.dash == "dash" and s.line.color == style.INTERACTION_COLOUR for s in lines)
        xaxis = fig.layout["xaxis" if index == 0 else "xaxis2"]
        assert tuple(xaxis.range) == (3.5, 12.5)  # pretraining ends at epoch 4: cropped, the checkpoint kept
        yaxis = fig.layout["yaxis" if index == 0 else "yaxis2"]
        scenario = runs[(runs["scenario"] == "ab"[index]) & (runs["epoch"] >= 4)]
        low, high = yaxis.range
        assert low <= scenario["val_acc"].min() and scenario["val_acc"].max() <= high
        assert high - low < 0.5 * (1 - 0)  # the interactive phase, not the whole 0-100% scale
    titles = [a.text for a in fig.layout.annotations]
    assert "Scenario A" in titles and "b" in titles
    assert fig.layout.xaxis.title.text == "epoch (1-3 pretraining, not shown)"


def test_ties_for_best_are_broken_in_natural_order_and_said(make_run):
    import pandas as pd

    kw = {"pretrain_until": 2, "interactions": (2, 4)}
    runs = pd.concat([make_run("x", "baseline", None, s, [0.5, 0.6, 0.7, 0.7, 0.7], **kw) for s in range(2)] +
                     [make_run("x", "hill", p, 0, [0.5, 0.6, 0.7, 0.8, acc], **kw)
                      for p, acc in (("P10", 0.9), ("P2", 0.9), ("P3", 0.6))], ignore_index=True)
    fig = accuracy_figure(runs)
    (best,), (worst,) = traces(fig, "best"), traces(fig, "worst")
    assert best.meta["participant"] == "P2" and best.meta["tied"] == ["P10"]
    assert "tied with P10" in best.name and worst.meta["participant"] == "P3" and worst.meta["tied"] == []


def test_legend_once_and_layout_sizes(runs):
    two = accuracy_figure(runs, layout="two-column")
    assert [t.showlegend for t in two.data if t.name == "baseline mean"] == [True, False]
    assert two.layout.width == round(7.16 * 96) and two.layout.font.size == style.LAYOUTS["two-column"].font_px
    one = accuracy_figure(runs, layout="one-column")
    assert one.layout.width == round(3.5 * 96)
    assert one.layout.xaxis.domain == one.layout.xaxis2.domain  # stacked: one above the other
    assert one.layout.yaxis.domain != one.layout.yaxis2.domain
    with pytest.raises(ValueError, match="layout must be one of"):
        accuracy_figure(runs, layout="poster")


def test_simulated_notice(runs, make_study):
    def notices(fig):
        return [a for a in fig.layout.annotations if a.name == style.SIMULATED_NAME]

    assert notices(accuracy_figure(runs)) == []
    (forced,) = notices(accuracy_figure(runs, simulated=True))
    assert forced.text == "SIMULATED DATA"
    assert len(notices(accuracy_figure(make_study(simulated=True)))) == 1


def test_missing_baseline_is_a_clear_error(runs):
    only_hill = runs[runs["condition"] == "hill"]
    with pytest.raises(AnalysisError, match="no baseline runs for scenario a: run `hill-dash baseline"):
        accuracy_figure(only_hill)
