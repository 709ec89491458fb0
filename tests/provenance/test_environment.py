"""Every result records what produced it: versions, the checkout's commit, Python and the device."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from hill_dash import __version__
from hill_dash.provenance import ENVIRONMENT_FILE, environment, git_commit, write_environment


def test_the_record_names_the_versions_results_depend_on():
    record = environment(device="cpu")
    assert record["hill_dash"] == __version__
    assert record["python"] == ".".join(map(str, sys.version_info[:3]))
    assert record["device"] == "cpu"
    for name in ("torch", "numpy", "faster-whisper", "ctranslate2", "statsmodels"):
        assert record["packages"][name] == metadata.version(name)


def test_a_checkout_records_its_commit():
    commit = git_commit()
    top = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent)
    if top.returncode != 0:
        assert commit is None
    else:
        assert commit is not None and commit.split("+")[0] == top.stdout.strip()


def test_asking_for_the_record_does_not_load_torch():
    probe = ("import sys\nfrom hill_dash.provenance import environment\nrecord = environment()\n"
             "print('torch' in sys.modules, record['device'])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False" and out[1] == "cpu"


def test_written_beside_results(tmp_path):
    path = write_environment(tmp_path / "run", device="cpu")
    assert path.name == ENVIRONMENT_FILE
    assert json.loads(path.read_text())["packages"]["torch"] == metadata.version("torch")


def test_a_new_run_directory_carries_its_environment(tmp_path):
    import torch

    from hill_dash.core.config import RunConfig
    from hill_dash.core.runner import HillRunner
    from hill_dash.core.scenarios.registry import build_scenario

    torch.set_num_threads(1)
    config = RunConfig(scenario="digits", seed=0, interaction_epochs=(1,), end_epoch=2, device="cpu")
    HillRunner.create(build_scenario(config.scenario_spec()), config, tmp_path / "run")
    record = json.loads((tmp_path / "run" / ENVIRONMENT_FILE).read_text())
    assert record["device"] == "cpu"
    assert record["packages"]["torch"] == metadata.version("torch")
