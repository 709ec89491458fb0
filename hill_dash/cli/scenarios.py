"""`hill-dash scenarios`: list the scenarios a study can use and where their data comes from; `--check NAME` builds
one (built-in, `module:function` or entry point) and reports its splits, classes and latent size."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option
from hill_dash.core.scenarios.base import ScenarioError, ScenarioSpec
from hill_dash.core.scenarios.registry import build_scenario, describe, list_scenarios


def _parse_option(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        fail(f"--option {text!r}: write KEY=VALUE, for example --option download=true")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw  # a bare word is a string
    return key, value


def _human_list(result: dict[str, Any]) -> str:
    lines = []
    for info in result["scenarios"]:
        files = {True: "needs files in --data-dir", False: "ships with a package", None: "plugin"}[info["needs_files"]]
        download = "; downloads with --option download=true" if info["can_download"] else ""
        lines.append(f"{info['name']:<14} {info['description']}\n{'':<14} data: {info['source']} ({files}{download})")
        for option, meaning in info["options"].items():
            lines.append(f"{'':<14} --option {option}=...: {meaning}")
    return "\n".join(lines)


def _human_check(result: dict[str, Any]) -> str:
    s = result["scenario"]
    sizes = ", ".join(f"{k} {v}" for k, v in s["sizes"].items())
    return (f"{s['name']}: {len(s['class_names'])} classes ({', '.join(s['class_names'])})\n"
            f"samples: {sizes}; input {s['input_shape']}; latent {s['latent_dim']}-d; "
            f"{s['parameters']:,} parameters\ndata: {s['source']}")


@click.command("scenarios")
@click.option("--check", "check", metavar="NAME", default=None,
              help="Build this scenario (a built-in name, package.module:function or an entry point) and report it.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Folder holding the scenario's files (cifar-10-batches-py/, Protocol/).")
@click.option("--display-size", type=click.IntRange(min=1), default=None,
              help="Validation points the editor shows (default: the scenario's own).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the splits and display subset.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE",
              help="A scenario option, e.g. download=true or keep_transient=true (repeatable).")
@json_option
def scenarios_command(check: str | None, data_dir: str | None, display_size: int | None, seed: int,
                      options: tuple[str, ...], as_json: bool) -> None:
    """List the scenarios and where their data comes from, or build one with --check."""
    if check is None:
        emit({"scenarios": [asdict(info) for info in list_scenarios()]}, as_json, _human_list)
        return
    spec = ScenarioSpec(name=check, data_dir=data_dir, display_size=display_size, seed=seed,
                        options=dict(_parse_option(o) for o in options))
    try:
        scenario = build_scenario(spec)
    except ScenarioError as err:
        fail(str(err))
    emit({"scenario": describe(scenario)}, as_json, _human_check)
