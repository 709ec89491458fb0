"""`hill-dash bench cli`: how long `hill-dash --help` takes and how much memory it uses, in fresh processes."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import click

from hill_dash.cli._output import emit, json_option

HEAVY = ("torch", "statsmodels", "dash", "pandas", "faster_whisper", "whisper")

_PROBE = """
import resource, sys
sys.argv = ["hill-dash", "--help"]
from hill_dash.cli import main
try:
    main(standalone_mode=False)
except SystemExit:
    pass
heavy = [name for name in {heavy!r} if name in sys.modules]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, ",".join(heavy), file=sys.stderr)
"""


@click.command("cli")
@click.option("--repeats", type=int, default=5, show_default=True, help="Fresh processes timed (median taken).")
@json_option
def bench_cli(repeats: int, as_json: bool) -> None:
    """Time `hill-dash --help` in fresh Python processes and report its peak memory and heavy imports."""
    if repeats < 1:
        raise click.BadParameter("must be at least 1", param_hint="--repeats")
    seconds, rss_mb, heavy = [], [], set()
    for _ in range(repeats):
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY)], capture_output=True, text=True,
                              check=True)
        seconds.append(time.perf_counter() - began)
        rss_kb, _, loaded = done.stderr.strip().splitlines()[-1].partition(" ")
        rss_mb.append(int(rss_kb) / 1024)
        heavy.update(name for name in loaded.split(",") if name)
    result = {"help_seconds": statistics.median(seconds), "help_seconds_max": max(seconds),
              "peak_rss_mb": statistics.median(rss_mb), "heavy_modules_loaded": sorted(heavy),
              "target_seconds": 0.5, "repeats": repeats}
    emit(result, as_json, human=lambda r: (
        f"hill-dash --help: {r['help_seconds']:.3f} s median (target < {r['target_seconds']} s), "
        f"{r['peak_rss_mb']:.0f} MB peak; heavy modules loaded: {', '.join(r['heavy_modules_loaded']) or 'none'}"))
