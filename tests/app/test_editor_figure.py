"""The latent figure and the accuracy-change rows, checked as data."""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio
import pytest
from editor_fakes import fake_snapshot

from hill_dash.app.components import (
    accuracy_change_rows,
    axis_ranges,
    build_latent_figure,
    class_colours,
    per_class_accuracy,
)
from hill_dash.app.components.latent_figure import LEGEND_CENTRE, LEGEND_WRONG, class_symbols


def _by_role(figure, role):
    return {t.meta["class_id"]: t for t in figure.data if t.meta and t.meta.get("role") == role}


def test_one_webgl_trace_per_class_holds_exactly_that_class_points():
    snapshot = fake_snapshot(n_points=40, n_classes=4, seed=5)
    figure = build_latent_figure(snapshot)
    points = _by_role(figure, "points")
    coords, labels = np.asarray(snapshot["coords"]), np.asarray(snapshot["labels"])
    assert sorted(points) == [0, 1, 2, 3]
    for c, trace in points.items():
        assert trace.type == "scattergl" and trace.name == snapshot["class_names"][c]
        members = np.flatnonzero(labels == c)
        np.testing.assert_array_equal(trace.customdata, members)
        np.testing.assert_allclose(np.column_stack([trace.x, trace.y]), coords[members])


def test_hover_names_true_and_predicted_class_and_misclassified_points_get_an_outline():
    snapshot = fake_snapshot(n_points=60, n_classes=3, seed=6, error_rate=0.3)
    figure = build_latent_figure(snapshot)
    names, predictions = snapshot["class_names"], np.asarray(snapshot["predictions"])
    misclassified = np.asarray(snapshot["misclassified"])
    assert misclassified.any() and not misclassified.all()
    for c, trace in _by_role(figure, "points").items():
        assert f"true: {names[c]}" in trace.hovertemplate and "%{text}" in trace.hovertemplate
        assert list(trace.text) == [names[p] for p in predictions[trace.customdata]]
        outlined = np.asarray(trace.marker.line.width) > 0
        np.testing.assert_array_equal(outlined, misclassified[trace.customdata])
        assert trace.marker.line.color == "black"


def test_each_centre_is_a_larger_open_cross_in_its_class_colour_that_leaves_points_visible():
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=7)
    figure = build_latent_figure(snapshot)
    points, centres = _by_role(figure, "points"), _by_role(figure, "centre")
    colours = class_colours(3)
    assert len(set(colours)) == 3
    for c, centre in centres.items():
        assert centre.marker.symbol == "x-thin-open" and centre.marker.size > points[c].marker.size
        assert centre.marker.color == points[c].marker.color == colours[c]
        assert (centre.x[0], centre.y[0]) == tuple(snapshot["centres"][c])
        assert centre.legendgroup == points[c].legendgroup and centre.showlegend is False


def test_layout_is_fixed_for_dragging_and_keeps_the_user_zoom():
    snapshot = fake_snapshot(n_points=50, n_classes=5, seed=8)
    figure = build_latent_figure(snapshot, uirevision="run-7")
    layout = figure.layout
    assert layout.xaxis.autorange is False and layout.yaxis.autorange is False
    assert layout.uirevision == "run-7" and layout.dragmode == "select"
    assert layout.meta == {"epoch": snapshot["epoch"], "n_points": 50}
    coords = np.asarray(snapshot["coords"])
    assert layout.xaxis.range[0] < coords[:, 0].min() and coords[:, 0].max() < layout.xaxis.range[1]
    assert layout.yaxis.range[0] < coords[:, 1].min() and coords[:, 1].max() < layout.yaxis.range[1]
    assert {t.meta["role"] for t in figure.data} == {"points", "centre", "legend"}


def test_coordinates_reach_the_browser_packed_so_the_script_reads_full_data():
    figure = build_latent_figure(fake_snapshot(n_points=20, n_classes=2))
    sent = json.loads(pio.to_json(figure))
    first = sent["data"][0]
    assert first["meta"]["role"] == "points" and set(first["x"]) == {"dtype", "bdata"}
    assert first["x"]["dtype"] == "f8"


def test_edited_positions_and_centres_replace_the_snapshot_but_not_the_axis_ranges():
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=9)
    plain = build_latent_figure(snapshot)
    positions = np.asarray(snapshot["coords"]) + 100.0
    centres = np.asarray(snapshot["centres"]) - 1.0
    edited = build_latent_figure(snapshot, positions=positions, centres=centres)
    for c, trace in _by_role(edited, "points").items():
        np.testing.assert_allclose(np.column_stack([trace.x, trace.y]), positions[trace.customdata])
        centre = _by_role(edited, "centre")[c]
        assert (centre.x[0], centre.y[0]) == tuple(centres[c])
    assert edited.layout.xaxis.range == plain.layout.xaxis.range


def test_before_after_adds_faint_ghosts_and_arrows_only_when_switched_on():
    previous = fake_snapshot(n_points=30, n_classes=3, seed=10, epoch=20, drift=0.7)
    current = fake_snapshot(n_points=30, n_classes=3, seed=10, epoch=25, drift=0.7)
    off = build_latent_figure(current, previous=previous, show_before_after=False)
    assert not _by_role(off, "ghost") and not off.layout.annotations
    on = build_latent_figure(current, previous=previous, show_before_after=True)
    ghosts = _by_role(on, "ghost")
    assert sorted(ghosts) == [0, 1, 2]
    old_coords = np.asarray(previous["coords"])
    for c, ghost in ghosts.items():
        assert ghost.marker.opacity < 0.5 and ghost.hoverinfo == "skip"
        np.testing.assert_allclose(np.column_stack([ghost.x, ghost.y]), old_coords[np.asarray(previous["labels"]) == c])
    arrows = on.layout.annotations
    assert len(arrows) == 3
    for c, arrow in enumerate(arrows):
        assert (arrow.ax, arrow.ay) == tuple(previous["centres"][c])
        assert (arrow.x, arrow.y) == tuple(current["centres"][c])
        assert arrow.axref == "x" and arrow.ayref == "y"
    # Every ghost sits behind the current points: traces draw in order.
    roles = [t.meta["role"] for t in on.data]
    assert roles.index("points") > max(i for i, r in enumerate(roles) if r == "ghost")


def test_an_unmoved_centre_gets_no_arrow():
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=11)
    figure = build_latent_figure(snapshot, previous=snapshot, show_before_after=True)
    assert not figure.layout.annotations


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("labels"), "lacks labels"),
    (lambda s: s.__setitem__("predictions", s["predictions"][:-1]), "predictions has"),
    (lambda s: s.__setitem__("centres", s["centres"][:-1]), "one centre per class"),
    (lambda s: s.__setitem__("labels", [9] * len(s["labels"])), "labels must lie in"),
])
def test_a_malformed_snapshot_is_refused_with_the_reason(change, message):
    snapshot = fake_snapshot(n_points=12, n_classes=3)
    change(snapshot)
    with pytest.raises(ValueError, match=message):
        build_latent_figure(snapshot)


def test_positions_of_the_wrong_shape_and_foreign_previous_snapshots_are_refused():
    snapshot = fake_snapshot(n_points=12, n_classes=3)
    with pytest.raises(ValueError, match="positions has shape"):
        build_latent_figure(snapshot, positions=np.zeros((11, 2)))
    other = fake_snapshot(n_points=12, n_classes=3)
    other["class_names"] = ["a", "b", "c"]
    with pytest.raises(ValueError, match="other class names"):
        build_latent_figure(snapshot, previous=other, show_before_after=True)


def test_palettes_stay_distinct_for_paper_sized_class_counts():
    assert len(set(class_colours(10))) == 10
    looks = set(zip(class_colours(13), class_symbols(13)))  # PAMAP2: colours repeat, shapes differ
    assert len(looks) == 13 and class_symbols(13)[:10] == ["circle"] * 10
    assert class_colours(13)[:3] == class_colours(13)[:3]
    with pytest.raises(ValueError, match="at least 1"):
        class_colours(0)


def test_axis_ranges_pad_the_extent_and_survive_empty_input():
    x_range, y_range = axis_ranges(np.array([[0.0, 0.0], [10.0, 2.0]]), padding=0.1)
    assert x_range == pytest.approx([-1.0, 11.0]) and y_range == pytest.approx([-0.2, 2.2])
    assert axis_ranges(np.zeros((0, 2))) == ([-1.0, 1.0], [-1.0, 1.0])


def _tiny(labels, predictions):
    return {"epoch": 1, "coords": [[float(i), 0.0] for i in range(len(labels))], "labels": labels,
            "predictions": predictions, "misclassified": [p != t for p, t in zip(predictions, labels)],
            "centres": [[0.0, 0.0]] * 3, "spreads": [1.0] * 3, "class_names": ["a", "b", "c"],
            "index": list(range(len(labels)))}


def test_accuracy_change_rows_per_class_and_overall():
    before = _tiny([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 1, 0])
    after = _tiny([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 0, 0])
    assert per_class_accuracy(before) == [0.5, 0.5, None]
    rows = accuracy_change_rows(before, after)
    assert [r["class"] for r in rows] == ["a", "b", "c", "all classes"]
    assert rows[0] == {"class_id": 0, "class": "a", "before": 0.5, "after": 0.75, "delta": pytest.approx(0.25)}
    assert rows[1]["after"] == 0.0 and rows[1]["delta"] == pytest.approx(-0.5)
    assert rows[2]["before"] is None and rows[2]["delta"] is None
    assert rows[3]["class_id"] is None
    assert rows[3]["before"] == pytest.approx(3 / 6) and rows[3]["delta"] == pytest.approx(0.0)


def test_accuracy_change_refuses_snapshots_of_different_scenarios():
    before = _tiny([0, 1], [0, 1])
    after = dict(before, class_names=["x", "y", "z"])
    with pytest.raises(ValueError, match="different class names"):
        accuracy_change_rows(before, after)


def test_the_legend_explains_rings_and_crosses_and_its_class_swatches_carry_no_ring():
    snapshot = fake_snapshot(n_points=40, n_classes=3, seed=9, error_rate=0.5)
    figure = build_latent_figure(snapshot)
    legend = [t for t in figure.data if t.showlegend is not False and t.meta["role"] == "legend"]
    assert [t.name for t in legend][:3] == snapshot["class_names"]
    assert LEGEND_WRONG in [t.name for t in legend] and LEGEND_CENTRE in [t.name for t in legend]
    for swatch in legend[:3]:
        assert swatch.marker.line.width is None and list(swatch.x) == [None]
    assert not any(t.showlegend is not False for t in figure.data if t.meta["role"] in ("points", "centre"))
