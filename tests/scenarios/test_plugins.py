"""Scenarios users bring, by `module:function` and by entry point: good ones build, broken ones are named."""

from __future__ import annotations

import importlib.metadata
import textwrap

import pytest
import torch

from hill_dash.core.scenarios import ScenarioError, ScenarioSpec, build_scenario, list_scenarios

PLUGIN = textwrap.dedent('''
    import torch
    from functools import partial
    from torch import nn
    from hill_dash.core.scenarios import Scenario, Split, balanced_subset

    class Net(nn.Module):
        def __init__(self, classes=3, extra=0, latent_3d=False, plain=False):
            super().__init__()
            self.body = nn.Linear(5, 4)
            self.head = nn.Linear(4, classes + extra)
            self.latent_3d, self.plain = latent_3d, plain

        def forward(self, x):
            latent = torch.relu(self.body(x))
            if self.plain:
                return self.head(latent)
            return self.head(latent), (latent[:, None, :] if self.latent_3d else latent)

    def _split(n, seed, classes=3):
        g = torch.Generator().manual_seed(seed)
        return Split(torch.randn(n, 5, generator=g), torch.arange(n) % classes)

    def build(spec, **net):
        val = _split(12, 1)
        return Scenario(name="toy", class_names=("a", "b", "c"), train=_split(30, 0), val=val,
                        test=_split(9, 2), display_index=balanced_subset(val.y, spec.display_size or 6, spec.seed),
                        model_factory=partial(Net, **net), source="random numbers")

    def wrong_logits(spec):
        return build(spec, extra=1)

    def latent_3d(spec):
        return build(spec, latent_3d=True)

    def plain_output(spec):
        return build(spec, plain=True)

    def bad_labels(spec):
        s = build(spec)
        return Scenario(**{**s.__dict__, "train": Split(s.train.x, s.train.y + 1)})

    def empty_test(spec):
        s = build(spec)
        return Scenario(**{**s.__dict__, "test": Split(torch.zeros(0, 5), torch.zeros(0))})

    def raises(spec):
        raise RuntimeError("the lab server is down")

    def not_a_scenario(spec):
        return {"name": "toy"}

    NOT_CALLABLE = 3
''')


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    (tmp_path / "lab_scenarios.py").write_text(PLUGIN)
    (tmp_path / "broken_import.py").write_text("import numpy\nraise ImportError('needs a GPU library')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "lab_scenarios"


def test_a_good_plugin_builds_and_honours_the_display_size(plugin):
    scenario = build_scenario(ScenarioSpec(f"{plugin}:build", display_size=3, seed=4))
    assert scenario.name == "toy" and scenario.num_classes == 3 and len(scenario.train) == 30
    assert torch.bincount(scenario.display.y).tolist() == [1, 1, 1]


def test_validation_leaves_the_global_random_state_alone(plugin):
    torch.manual_seed(11)
    expected = torch.rand(3)
    torch.manual_seed(11)
    build_scenario(ScenarioSpec(f"{plugin}:build"))
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("wrong_logits", r"logits have shape \(2, 4\), expected \[2, 3\]"),
        ("latent_3d", r"latent has shape \(2, 1, 4\), expected \[2, D\]"),
        ("plain_output", r"must return a tuple \(logits, latent\)"),
        ("bad_labels", r"train labels span 1..3 but there are 3 class names"),
        ("empty_test", r"the test split is empty"),
        ("raises", r"failed to build .*RuntimeError: the lab server is down"),
        ("not_a_scenario", r"returned a dict, not a hill_dash Scenario"),
        ("NOT_CALLABLE", r"'NOT_CALLABLE' is a int, not a function"),
        ("missing", r"module 'lab_scenarios' has no 'missing'"),
    ],
)
def test_broken_plugins_are_named_with_what_is_wrong(plugin, function, message):
    with pytest.raises(ScenarioError, match=f"plugin 'lab_scenarios:{function}'.*{message}"):
        build_scenario(ScenarioSpec(f"{plugin}:{function}"))


def test_unimportable_plugins_are_named(plugin):
    with pytest.raises(ScenarioError, match=r"'no_such_package.mod:build': cannot import 'no_such_package.mod'"):
        build_scenario(ScenarioSpec("no_such_package.mod:build"))
    with pytest.raises(ScenarioError, match=r"'broken_import:build': cannot import .*needs a GPU library"):
        build_scenario(ScenarioSpec("broken_import:build"))
    with pytest.raises(ScenarioError, match="write it as package.module:function"):
        build_scenario(ScenarioSpec(":build"))


def _fake_entry_points(monkeypatch, *entries: tuple[str, str]) -> None:
    real = importlib.metadata.entry_points
    points = [importlib.metadata.EntryPoint(name, value, "hill_dash.scenarios") for name, value in entries]

    def entry_points(**selection):
        if selection.get("group") == "hill_dash.scenarios":
            return importlib.metadata.EntryPoints(points)
        return real(**selection)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_entry_points_build_by_name_and_are_listed(plugin, monkeypatch):
    _fake_entry_points(monkeypatch, ("lab-toy", f"{plugin}:build"), ("lab-broken", f"{plugin}:wrong_logits"),
                       ("lab-gone", "no_such_package:build"), ("digits", f"{plugin}:build"))
    assert build_scenario(ScenarioSpec("lab-toy")).name == "toy"
    assert build_scenario(ScenarioSpec("digits")).name == "digits"  # a built-in is never shadowed
    with pytest.raises(ScenarioError, match=r"entry point 'lab-broken' \(lab_scenarios:wrong_logits\).*logits"):
        build_scenario(ScenarioSpec("lab-broken"))
    with pytest.raises(ScenarioError, match=r"entry point 'lab-gone' \(no_such_package:build\): cannot load"):
        build_scenario(ScenarioSpec("lab-gone"))
    listed = list_scenarios()
    toy = next(info for info in listed if info.name == "lab-toy")
    assert toy.origin == "entry point lab_scenarios:build" and toy.needs_files is None
    assert [(i.origin, i.description.startswith("ignored")) for i in listed if i.name == "digits"] == [
        ("built-in", False), ("entry point lab_scenarios:build", True)]
    with pytest.raises(ScenarioError, match="known: basicmotions, cifar10, digits, pamap2, lab-broken, lab-gone"):
        build_scenario(ScenarioSpec("lab-other"))
