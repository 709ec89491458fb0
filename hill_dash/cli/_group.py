"""The `hill-dash` group and its `bench` subgroup, both resolving their commands lazily from `_registry`."""

from __future__ import annotations

import importlib

import click

from hill_dash import __version__
from hill_dash.cli._registry import BENCH, COMMANDS


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; the listing uses the registry's help lines."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        target = self.lazy[cmd_name][0]
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][1]) if name in self.lazy and name not in self.commands
                else (name, self.commands[name].get_short_help_str(limit=formatter.width))
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hill-dash")
def main() -> None:
    """Run Human-in-the-Latent-Loop (HILL) studies: train, serve the app, transcribe, analyse."""


@click.group(cls=LazyGroup, lazy=BENCH)
def bench() -> None:
    """Benchmarks: effects, speed ratios, calibration and view quality, measured side by side."""
