import numpy as np
import pytest

from hill_dash.boundary.annotator import ScriptedAnnotator
from hill_dash.boundary.trainer import BoundaryLabError


def margins(lab):
    return (2 * lab.data.y_train - 1) * lab.logits(lab.data.x_train)


@pytest.mark.parametrize("strategy", ["normal", "nearest"])
def test_annotator_picks_the_worst_unannotated_points(make_lab, strategy):
    lab = make_lab("blobs", epochs=3)
    annotator = ScriptedAnnotator(k=4, strategy=strategy, name="script")
    chosen = [a.point_index for a in annotator.annotate(lab) + annotator.annotate(lab)]
    assert len(set(chosen)) == 8 and len(lab.annotations) == 8
    m = margins(lab)
    assert sorted(m[chosen]) == pytest.approx(np.sort(m)[:8])  # the eight lowest margins: misclassified first
    assert m[chosen[0]] < 0 and list(m[chosen[:4]]) == sorted(m[chosen[:4]])
    assert all(a.annotator == "script" for a in lab.annotations)
    assert all(np.hypot(*a.direction) == pytest.approx(1.0) for a in lab.annotations)


def test_normal_arrows_make_the_generators_true_class_score_fall(make_lab):
    lab = make_lab("moons", epochs=3)
    ScriptedAnnotator(k=10, strategy="normal").annotate(lab)
    for arrow in lab.annotations:
        x = lab.data.x_train[arrow.point_index:arrow.point_index + 1].astype(np.float64)
        sign = 2 * int(lab.data.y_train[arrow.point_index]) - 1
        step = sign * (lab.data.true_score(x + 0.01 * np.array(arrow.direction)) - lab.data.true_score(x))[0]
        assert step < 0


def test_nearest_arrows_aim_at_the_closest_correct_point_of_the_other_class(make_lab):
    lab = make_lab("circles", epochs=3)
    points, labels = lab.data.x_train, lab.data.y_train
    correct = (lab.logits(points) > 0).astype(int) == labels
    ScriptedAnnotator(k=6, strategy="nearest").annotate(lab)
    for arrow in lab.annotations:
        x = points[arrow.point_index]
        others = points[correct & (labels != labels[arrow.point_index])]
        target = others[np.linalg.norm(others - x, axis=1).argmin()]
        np.testing.assert_allclose(arrow.direction, (target - x) / np.linalg.norm(target - x), atol=1e-6)


def test_annotator_rejects_bad_settings():
    with pytest.raises(BoundaryLabError, match="at least one arrow"):
        ScriptedAnnotator(k=0)
    with pytest.raises(BoundaryLabError, match="choose one of"):
        ScriptedAnnotator(strategy="random")
