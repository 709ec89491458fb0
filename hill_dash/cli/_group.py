from __future__ import annotations

import click

from hill_dash import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hill-dash")
def main() -> None:
    """Run Human-in-the-Latent-Loop (HILL) studies: train, serve the app, transcribe, analyse."""
