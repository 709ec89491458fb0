"""Where every `hill-dash` command lives, by name, so that the group can list them without importing them.

`hill-dash --help` must stay light: importing a command's module may pull in torch, statsmodels or Dash, so a module
is imported only when its command runs (or its own `--help` is asked for). Each entry is
`name: ("module:attribute", "one-line help shown in the group's listing")`.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("hill_dash.cli.serve:serve", "Start the web app (offline digits by default)."),
    "worker": ("hill_dash.cli.serve:worker", "Start a Celery worker for the app's background jobs."),
    "scenarios": ("hill_dash.cli.scenarios:scenarios_command", "List the scenarios and where their data comes from."),
    "train": ("hill_dash.cli.train:train_command", "Train a HILL run with interaction points, or resume one."),
    "baseline": ("hill_dash.cli.baseline:baseline_command", "Train the alpha = 0 seed band from one checkpoint."),
    "simulate": ("hill_dash.cli.simulate:simulate_command", "Train a run steered by a simulated participant."),
    "bench": ("hill_dash.cli._group:bench", "Benchmarks: effects, speed and calibration, side by side."),
    "transcribe": ("hill_dash.cli.transcribe:transcribe", "Transcribe audio files with Whisper."),
    "researcher": ("hill_dash.cli.researcher:researcher", "Researcher accounts."),
    "demo-study": ("hill_dash.cli.studydata:demo_study", "Make a complete simulated study, offline."),
    "figures": ("hill_dash.cli.studydata:figures_command", "The paper's figures and report from a study's data."),
    "export": ("hill_dash.cli.studydata:export_command", "Export a study's data as tidy, documented tables."),
}

BENCH: dict[str, tuple[str, str]] = {
    "training": ("hill_dash.cli.bench:bench_training", "Time plain cross-entropy against L_global."),
    "projection": ("hill_dash.cli.bench:bench_projection", "First-view readability by projection fit epoch."),
    "cli": ("hill_dash.cli.bench_cli:bench_cli", "Start-up time and memory of `hill-dash --help`."),
    "follow": ("hill_dash.cli.bench_follow:follow", "How far the model follows scripted edits, per teacher."),
    "round": ("hill_dash.cli.bench_round:bench_round", "A Train press through the app against its compute."),
    "calibration": ("hill_dash.cli.bench_calibration:bench_calibration",
                    "Null rejection rate and power of every reported test."),
    "analysis": ("hill_dash.cli.bench_analysis:bench_analysis", "Time `figures` and `export` on a study, by stage."),
    "transcription": ("hill_dash.cli.bench_transcription:bench_transcription", "Whisper models' WER and speed."),
}
