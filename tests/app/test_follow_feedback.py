"""The follow-through feedback on the editor's figure, and crosses at the edited centres."""

from __future__ import annotations

import numpy as np
import pytest
from editor_fakes import fake_snapshot

from hill_dash.app.components.follow_feedback import add_follow_feedback, follow_words, shown_centres
from hill_dash.app.components.latent_figure import build_latent_figure, class_colours
from hill_dash.core.follow import follow_through


def _follow(snapshot):
    coords = np.asarray(snapshot["coords"], dtype=float)
    labels = np.asarray(snapshot["labels"])
    asked = coords.copy()
    asked[labels == 1] += [1.0, 0.0]
    after = coords.copy()
    after[labels == 1] += [0.6, 0.0]
    return [{**f.to_dict(), "words": f.words()} for f in follow_through(coords, asked, after, labels, 3)]


def test_the_asked_and_reached_centres_and_the_share_are_drawn():
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=3)
    follow = _follow(snapshot)
    figure = add_follow_feedback(build_latent_figure(snapshot), follow, class_colours(3))
    drawn = [t for t in figure.data if (t.meta or {}).get("role") == "follow"]
    (item,) = follow
    ghost = [t for t in drawn if t.mode == "markers"][0]
    assert (ghost.x[0], ghost.y[0]) == pytest.approx(item["asked_centre"]) and ghost.marker.color == class_colours(3)[1]
    line = [t for t in drawn if t.mode == "lines"][0]
    assert (line.x[0], line.y[0]) == pytest.approx(item["old_centre"])
    reached = [a for a in figure.layout.annotations if a.name == "followed-1"][0]
    assert (reached.x, reached.y) == pytest.approx(item["new_centre"])
    assert (reached.ax, reached.ay) == pytest.approx(item["old_centre"])
    words = [a for a in figure.layout.annotations if a.name == "follow-words"][0]
    assert words.text == "class 1 moved 60% of the way you asked" == follow_words(follow)[0]


def test_no_follow_through_leaves_the_figure_alone():
    snapshot = fake_snapshot(n_points=20, n_classes=3, seed=4)
    figure = build_latent_figure(snapshot)
    before = (len(figure.data), len(figure.layout.annotations or ()))
    add_follow_feedback(figure, [], class_colours(3))
    assert (len(figure.data), len(figure.layout.annotations or ())) == before


def test_crosses_sit_at_the_centres_of_the_edited_positions():
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=5)
    positions = np.asarray(snapshot["coords"], dtype=float)
    labels = np.asarray(snapshot["labels"])
    positions[labels == 2] += [0.5, -1.0]
    centres = shown_centres(positions, labels, snapshot["centres"])
    assert centres[2] == pytest.approx(np.asarray(snapshot["centres"][2]) + [0.5, -1.0])
    figure = build_latent_figure(snapshot, positions=positions, centres=centres)
    cross = [t for t in figure.data if (t.meta or {}).get("role") == "centre" and t.meta["class_id"] == 2][0]
    assert (cross.x[0], cross.y[0]) == pytest.approx(tuple(centres[2]))
