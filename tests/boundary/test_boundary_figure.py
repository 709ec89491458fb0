import numpy as np
import plotly.graph_objects as go
import pytest

from hill_dash.boundary.figure import (BOUNDARY_NAME, OUTLINE_RIGHT, OUTLINE_WRONG, accuracy_figure,
                                       boundary_figure, lab_figure)
from hill_dash.boundary.trainer import Arrow


def toy_inputs():
    xs, ys = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
    logits = np.tile(xs, (3, 1))  # logit = x: the boundary is the line x = 0
    points = np.array([[-1.0, 0.0], [1.0, 0.5], [-0.5, -0.5], [1.5, 0.0]])
    labels = np.array([0, 1, 1, 0])
    return (xs, ys, logits), points, labels, points[:, 0]


def traces(fig, kind):
    return [t for t in fig.data if t.type == kind]


@pytest.mark.parametrize("value, level, top", [("probability", 0.5, 1 / (1 + np.exp(-2))), ("logit", 0.0, 2.0)])
def test_contour_and_boundary_level(value, level, top):
    grid, points, labels, point_logits = toy_inputs()
    fig = boundary_figure(grid, points, labels, point_logits, value=value)
    shaded, line = traces(fig, "contour")
    assert np.asarray(shaded.z).shape == (3, 5) and np.asarray(shaded.z)[1, -1] == pytest.approx(top)
    assert line.name == BOUNDARY_NAME and line.contours.type == "constraint" and line.contours.value == level
    assert fig.layout.yaxis.scaleanchor == "x"


def test_points_by_class_with_misclassified_outlined():
    grid, points, labels, point_logits = toy_inputs()
    fig = boundary_figure(grid, points, labels, point_logits, class_names=("cat", "dog"))
    by_name = {t.name: t for t in traces(fig, "scatter")}
    assert list(by_name["cat"].customdata) == [0, 3] and list(by_name["dog"].customdata) == [1, 2]
    # point 3 (class 0, logit 1.5) and point 2 (class 1, logit -0.5) sit on the wrong side
    assert list(by_name["cat"].marker.line.color) == [OUTLINE_RIGHT, OUTLINE_WRONG]
    assert list(by_name["dog"].marker.line.color) == [OUTLINE_RIGHT, OUTLINE_WRONG]
    assert by_name["cat"].marker.color != by_name["dog"].marker.color


def test_arrows_become_annotations_from_the_point_along_the_direction():
    grid, points, labels, point_logits = toy_inputs()
    arrows = [Arrow(1, (0.0, -1.0), "p01"), Arrow(2, (0.6, 0.8))]
    fig = boundary_figure(grid, points, labels, point_logits, arrows, arrow_length=0.5)
    first, second = fig.layout.annotations
    assert (first.ax, first.ay, first.x, first.y) == (1.0, 0.5, 1.0, 0.0)
    assert (second.ax, second.ay) == (-0.5, -0.5) and (second.x, second.y) == pytest.approx((-0.2, -0.1))
    assert first.axref == "x" and first.showarrow and "p01" in first.hovertext
    with pytest.raises(ValueError, match="there are 4"):
        boundary_figure(grid, points, labels, point_logits, [Arrow(9, (1.0, 0.0))])


def test_bad_shapes_and_values_are_refused():
    grid, points, labels, point_logits = toy_inputs()
    with pytest.raises(ValueError, match="expected"):
        boundary_figure((grid[0], grid[1], grid[2].T), points, labels, point_logits)
    with pytest.raises(ValueError, match="same N points"):
        boundary_figure(grid, points, labels[:3], point_logits)
    with pytest.raises(ValueError, match="one of"):
        boundary_figure(grid, points, labels, point_logits, value="odds")


def test_lab_figure_and_accuracy_figure_from_a_real_lab(make_lab):
    lab = make_lab(epochs=2, weight=0.1)
    lab.add_arrow(0, (1.0, 0.0))
    lab.train(1)
    fig = lab_figure(lab, resolution=12)
    assert isinstance(fig, go.Figure) and len(fig.layout.annotations) == 1
    wrong = set(lab.misclassified())
    outlined = {int(i) for t in traces(fig, "scatter")
                for i, c in zip(t.customdata, t.marker.line.color) if c == OUTLINE_WRONG}
    assert outlined == wrong
    acc = accuracy_figure(lab.history)
    held = next(t for t in acc.data if t.name == "held-out")
    assert list(held.x) == [1, 2, 3] and list(held.y) == [h["heldout_accuracy"] for h in lab.history]
    marked = next(t for t in acc.data if t.name == "trained with arrows")
    assert list(marked.x) == [3]
