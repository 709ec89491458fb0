"""Benchmark of the latent editor in headless Chromium: first render, per-move cost and the edit round trip.

    python bench/editor_render.py [--points 10000] [--classes 10] [--drags 10] [--loads 3] [--json]

Serves a page made of the editor components with a seeded fake snapshot, loads it in Debian's Chromium and
reports (milliseconds), each next to a baseline measured in the same run:

- render: navigation start -> Plotly's first ``afterplot`` of the editor graph (scripts, layout request, figure
  JSON, WebGL draw), median of --loads page loads; baseline: the same page with one point per class;
- round trip: mouse release (the edit's own timestamp, taken from the mouseup event) -> the edit arriving in a
  server callback, for single-point drags and for whole-class drags (centre cross);
- per move: the drag layer's mousemove work vs a one-point ``Plotly.restyle`` (what moving a small Plotly trace
  would cost on every move), and the ``Plotly.restyle`` calls each drag makes (hide, then land).

Targets: render < 1000 ms, round trip < 100 ms. Browser and server share one clock (one machine).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import click
import dash
import numpy as np
from dash import Input, Output, html
from tqdm import tqdm
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "app"), str(ROOT / "tests")]

from conftest import CHROMIUM_FLAGS, chromium_path  # noqa: E402  (the test suite's browser set-up)
from editor_fakes import fake_snapshot  # noqa: E402

from hill_dash.app import ids  # noqa: E402
from hill_dash.app.components import build_latent_figure, latent_editor  # noqa: E402

ASSETS = ROOT / "hill_dash" / "app" / "assets"
# The script stands alone (importing hill_dash.cli would load every command): its output follows the same
# rule, the JSON object is the last line of standard output and everything else goes to standard error.
GRAPH = f"#{ids.EDITOR_GRAPH} .js-plotly-plot"
TARGET_RENDER_MS = 1000.0
TARGET_ROUND_TRIP_MS = 100.0

# Runs before any page script: notes when the editor graph first finishes plotting, times every
# Plotly.restyle call and stamps (epoch ms) each set_props call, i.e. the moment an edit leaves the drag code.
INSTRUMENT = """
window.__hill = {restyles: [], released: []};
new MutationObserver(function (changes, observer) {
    var gd = document.querySelector('.hill-editor .js-plotly-plot');
    if (!gd || !gd.on) { return; }
    observer.disconnect();
    gd.on('plotly_afterplot', function () {
        if (window.__hill.firstPlot === undefined) { window.__hill.firstPlot = performance.now(); }
    });
    if (window.__hill.firstPlot === undefined && gd._fullLayout && gd._fullLayout._size) {
        window.__hill.firstPlot = performance.now();
    }
    var restyle = window.Plotly.restyle;
    window.Plotly.restyle = function () {
        var started = performance.now();
        var result = restyle.apply(this, arguments);
        window.__hill.restyles.push(performance.now() - started);
        return result;
    };
    var setProps = window.dash_clientside.set_props;
    window.dash_clientside.set_props = function () {
        window.__hill.released.push(performance.timeOrigin + performance.now());
        return setProps.apply(this, arguments);
    };
}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
"""
# In the page: press on a point, then time each synthetic mousemove (the drag layer's whole per-move work,
# synchronous) and, side by side, a one-point Plotly.restyle of a centre cross (the per-move cost of moving
# a small Plotly trace instead). Ends the drag and puts the cross back.
MOVE_COSTS = """
const gd = document.querySelector(arguments[0]);
const [x, y, n] = [arguments[1], arguments[2], arguments[3]];
const fire = (type, cx, cy) => document.elementFromPoint(x, y).dispatchEvent(new MouseEvent(type,
    {bubbles: true, cancelable: true, clientX: cx, clientY: cy, button: 0, view: window}));
const layer = [], restyle = [];
fire('mousedown', x, y);
for (let i = 1; i <= n; i++) {
    const started = performance.now();
    fire('mousemove', x + i, y + i / 2);
    layer.push(performance.now() - started);
}
fire('mouseup', x + n, y + n / 2);
const centre = gd._fullData.findIndex(t => t.meta && t.meta.role === 'centre');
const [cx, cy] = [gd._fullData[centre].x[0], gd._fullData[centre].y[0]];
for (let i = 1; i <= n; i++) {
    const started = performance.now();
    Plotly.restyle(gd, {x: [[cx + i * 0.01]], y: [[cy]]}, [centre]);
    restyle.push(performance.now() - started);
}
Plotly.restyle(gd, {x: [[cx]], y: [[cy]]}, [centre]);
return {layer: layer.slice(1), restyle: restyle};
"""
TO_CLIENT = """
const gd = document.querySelector(arguments[0]);
const r = gd.getBoundingClientRect(), s = gd._fullLayout._size;
return [r.left + s.l + gd._fullLayout.xaxis.d2p(arguments[1]), r.top + s.t + gd._fullLayout.yaxis.d2p(arguments[2])];
"""


def _app(figure, arrivals: list[dict]) -> dash.Dash:
    app = dash.Dash(__name__, assets_folder=str(ASSETS))
    app.layout = html.Div([latent_editor(figure, height="700px"), html.Pre(id="received")])

    @app.callback(Output("received", "children"), Input(ids.EDITOR_EDIT_STORE, "data"), prevent_initial_call=True)
    def receive(edit):
        arrivals.append({"kind": edit["kind"], "released": edit["timestamp"], "received": time.time() * 1000.0})
        return str(len(arrivals))

    return app


def fail(message: str) -> None:
    """Stop with a clear message and exit code 2, never a traceback."""
    raise click.ClickException(message)


def _bar(items, desc: str, quiet: bool):
    return tqdm(items, desc=desc, file=sys.stderr, disable=quiet)


def _browser():
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    path = chromium_path()
    if path is None:
        fail("Debian's chromium is not installed; scripts/system-deps.sh installs it with chromium-driver")
    options.binary_location = path
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1200,900")
    return webdriver.Chrome(options=options)


def _wait(driver, script: str, timeout: float = 30.0, *args):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script, *args)
        if value:
            return value
        time.sleep(0.01)
    fail(f"the page did not reach this state within {timeout:.0f} s: {script.strip()[:80]}")


def _drag(driver, start: tuple[int, int], end: tuple[int, int]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(driver, duration=50)
    chain.move_to_location(*start).click_and_hold()
    for step in (0.25, 0.5, 0.75):
        chain.move_to_location(round(start[0] + step * (end[0] - start[0])), round(start[1] + step * (end[1] - start[1])))
    chain.move_to_location(*end).release().perform()


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": statistics.median(values), "max": max(values),
            "mean": statistics.fmean(values)}


def _serve(figure, arrivals: list[dict]):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, _app(figure, arrivals).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _load(driver, port: int) -> float:
    driver.get(f"http://127.0.0.1:{port}/")
    return _wait(driver, "return window.__hill && window.__hill.firstPlot;")


def _loads(driver, pages: dict[str, int], loads: int, quiet: bool) -> dict[str, float]:
    """Median first-render time per page; one unmeasured load each first, then the pages in turn."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    for name, port in pages.items():
        _load(driver, port)
    for _ in _bar(range(loads), "page loads", quiet):
        for name, port in pages.items():
            times[name].append(_load(driver, port))
    return {name: statistics.median(values) for name, values in times.items()}


def _move_costs(driver, snapshot: dict, moves: int) -> dict[str, list[float]]:
    """Per-move cost side by side: the drag layer's mousemove handler vs a one-point Plotly.restyle."""
    coords = np.asarray(snapshot["coords"])
    start = driver.execute_script(TO_CLIENT, GRAPH, *map(float, coords[0]))
    return driver.execute_script(MOVE_COSTS, GRAPH, start[0], start[1], moves)


def run(points: int, classes: int, drags: int, loads: int, seed: int, quiet: bool) -> dict:
    """Serve the pages, load them, drag points and centres; return the measured times in milliseconds."""
    snapshot = fake_snapshot(n_points=points, n_classes=classes, seed=seed)
    load_before = os.getloadavg()[0]
    arrivals: list[dict] = []
    editor = _serve(build_latent_figure(snapshot), arrivals)
    empty = _serve(build_latent_figure(fake_snapshot(n_points=classes, n_classes=classes, seed=seed)), [])
    driver = _browser()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": INSTRUMENT})
        render = _loads(driver, {"editor": editor.server_port, "baseline": empty.server_port}, loads, quiet)
        _load(driver, editor.server_port)
        rng = np.random.default_rng(seed)
        coords, centres = np.asarray(snapshot["coords"]), np.asarray(snapshot["centres"])
        plan = [("point", coords[i]) for i in rng.choice(len(coords), size=drags, replace=False)]
        plan += [("class", centres[c % classes]) for c in range(drags)]
        for kind, (x, y) in _bar(plan, "drags", quiet):
            start = tuple(round(v) for v in driver.execute_script(TO_CLIENT, GRAPH, float(x), float(y)))
            before = len(arrivals)
            _drag(driver, start, (start[0] + 24, start[1] - 18))
            _wait(driver, "return document.getElementById('received').textContent == arguments[0];", 10.0,
                  str(before + 1))
            if arrivals[-1]["kind"] != kind:
                fail(f"a {kind} drag released a {arrivals[-1]['kind']} edit; the page's hit test is off")
        restyles = driver.execute_script("return window.__hill.restyles;")
        left_code = driver.execute_script("return window.__hill.released;")
        measured = list(arrivals)
        moves = _move_costs(driver, snapshot, 30)
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    finally:
        driver.quit()
        editor.shutdown()
        empty.shutdown()
    trips = {kind: [a["received"] - a["released"] for a in measured if a["kind"] == kind] for kind in ("point", "class")}
    in_browser = [sent - a["released"] for sent, a in zip(left_code, measured)]
    to_server = [a["received"] - sent for sent, a in zip(left_code, measured)]
    move_layer, move_restyle = _summary(moves["layer"]), _summary(moves["restyle"])
    return {
        "points": points, "classes": classes, "drags_per_kind": drags, "loads": loads,
        "render_ms": render["editor"], "render_baseline_ms": render["baseline"],
        "render_vs_baseline": render["editor"] / render["baseline"],
        "round_trip_point_ms": _summary(trips["point"]), "round_trip_class_ms": _summary(trips["class"]),
        "release_to_set_props_ms": _summary(in_browser), "set_props_to_server_ms": _summary(to_server),
        "drag_restyle_ms": _summary(restyles), "move_layer_ms": move_layer, "move_restyle_ms": move_restyle,
        "move_restyle_vs_layer": move_restyle["median"] / max(move_layer["median"], 1e-3),
        "render_vs_target": render["editor"] / TARGET_RENDER_MS,
        "round_trip_vs_target": statistics.median(trips["point"] + trips["class"]) / TARGET_ROUND_TRIP_MS,
        "console_errors": len(errors),
        "load_average": [load_before, os.getloadavg()[0]], "cpus": os.cpu_count(),
    }


def _human(result: dict) -> str:
    point, klass = result["round_trip_point_ms"], result["round_trip_class_ms"]
    layer, restyle, landing = result["move_layer_ms"], result["move_restyle_ms"], result["drag_restyle_ms"]
    return "\n".join([
        f"editor with {result['points']} points in {result['classes']} classes",
        f"first render   {result['render_ms']:7.1f} ms (target < 1000; median of {result['loads']} loads); "
        f"same page with {result['classes']} points {result['render_baseline_ms']:.1f} ms "
        f"(ratio {result['render_vs_baseline']:.2f})",
        f"round trip     point drag median {point['median']:.1f} ms (max {point['max']:.1f}); "
        f"class drag median {klass['median']:.1f} ms (max {klass['max']:.1f}) (target < 100)",
        f"  of which     release -> set_props {result['release_to_set_props_ms']['median']:.1f} ms, "
        f"set_props -> server callback {result['set_props_to_server_ms']['median']:.1f} ms (medians)",
        f"per move       drag layer median {layer['median']:.3f} ms vs one-point Plotly.restyle "
        f"{restyle['median']:.1f} ms (ratio {result['move_restyle_vs_layer']:.0f})",
        f"per drag       Plotly.restyle calls (hide, land) median {landing['median']:.1f} ms, "
        f"max {landing['max']:.1f} ms",
        f"console errors {result['console_errors']}",
        f"machine        {result['cpus']} CPUs, 1-minute load average {result['load_average'][0]:.1f} before, "
        f"{result['load_average'][1]:.1f} after (times scale with it; the ratios much less)",
    ])


@click.command()
@click.option("--points", default=10000, show_default=True, help="Displayed points in the fake snapshot.")
@click.option("--classes", default=10, show_default=True, help="Classes in the fake snapshot.")
@click.option("--drags", default=10, show_default=True, help="Drags of each kind (single point, class centre).")
@click.option("--loads", default=3, show_default=True, help="Page loads per page (the median is reported).")
@click.option("--seed", default=0, show_default=True, help="Seed of the fake snapshot and the dragged points.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
def main(points: int, classes: int, drags: int, loads: int, seed: int, as_json: bool) -> None:
    """Measure first render and edit round trip of the latent editor in headless Chromium."""
    if points < classes or classes < 1 or drags < 1 or loads < 1:
        fail("need --classes >= 1, --points >= --classes, --drags >= 1 and --loads >= 1")
    result = run(points, classes, min(drags, points), loads, seed, quiet=as_json)
    click.echo(_human(result), err=as_json)
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
