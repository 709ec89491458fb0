"""What the editor shows when the pointer rests on a point: the sample itself (an image as a small picture, a sensor
window as a small line plot), its true class and what the model predicts, as the Embedding Projector does.

Pictures are SVG data URIs drawn here from the sample's numbers (no image library, nothing fetched). The samples
come from the run's scenario, rebuilt from its saved config and kept per process: scenario data are shared by
every run of a scenario, not anyone's state.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Mapping
from typing import Any

import numpy as np
from dash import html

THUMB_PX = 96
LINE_COLOURS = ("#332288", "#44AA99", "#DDCC77", "#CC6677", "#88CCEE", "#882255")


def _uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def image_svg(pixels: np.ndarray) -> str:
    """An image [H, W] (grey) or [C, H, W] (C = 3: colour) as an SVG of one rectangle per pixel."""
    values = np.asarray(pixels, dtype=float)
    if values.ndim == 3 and values.shape[0] == 1:
        values = values[0]
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    scaled = (values - low) / (high - low) if high > low else np.zeros_like(values)
    height, width = scaled.shape[-2:]
    rects = []
    for row in range(height):
        for col in range(width):
            if scaled.ndim == 3:
                r, g, b = (int(255 * scaled[c, row, col]) for c in range(3))
            else:
                r = g = b = int(255 * (1.0 - scaled[row, col]))  # ink dark on paper, as digits are drawn
            rects.append(f'<rect x="{col}" y="{row}" width="1.02" height="1.02" fill="rgb({r},{g},{b})"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{THUMB_PX}" '
            f'height="{THUMB_PX}" shape-rendering="crispEdges">{"".join(rects)}</svg>')


def series_svg(window: np.ndarray) -> str:
    """A sensor window [channels, time] as one line per channel, each scaled to the plot's height."""
    values = np.asarray(window, dtype=float)
    steps = values.shape[1]
    width, height = 2 * THUMB_PX, THUMB_PX
    lines = []
    for c, channel in enumerate(values):
        low, high = float(np.min(channel)), float(np.max(channel))
        span = high - low if high > low else 1.0
        points = " ".join(f"{width * t / max(1, steps - 1):.1f},{height - 4 - (height - 8) * (v - low) / span:.1f}"
                          for t, v in enumerate(channel))
        lines.append(f'<polyline points="{points}" fill="none" stroke="{LINE_COLOURS[c % len(LINE_COLOURS)]}" '
                     'stroke-width="1.2"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}"><rect width="{width}" height="{height}" fill="white"/>{"".join(lines)}</svg>')


def sample_picture(sample: np.ndarray) -> str:
    """A data URI that shows one sample: images ([H, W] or [C, H, W]) as pictures, [C, T] windows as lines."""
    values = np.asarray(sample)
    if values.ndim == 2 and values.shape[0] <= 12 and values.shape[1] > 3 * values.shape[0]:
        return _uri(series_svg(values))
    if values.ndim in (2, 3):
        return _uri(image_svg(values))
    return _uri(series_svg(values.reshape(1, -1)))


@functools.lru_cache(maxsize=4)
def _display_samples(spec_json: str) -> np.ndarray:
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios.registry import build_scenario

    config = RunConfig.from_dict(json.loads(spec_json))
    return build_scenario(config.scenario_spec()).display.x.numpy()


def display_sample(run_config: Mapping[str, Any], row: int) -> np.ndarray:
    """Row `row` of the display subset of a run's scenario (the order of the snapshot's points)."""
    keys = ("scenario", "scenario_options", "data_dir", "data_seed", "display_size")
    samples = _display_samples(json.dumps({k: run_config.get(k) for k in keys if k in run_config}, sort_keys=True,
                                          default=str))
    if not 0 <= row < len(samples):
        raise IndexError(f"point {row} is not one of the {len(samples)} shown points")
    return samples[row]


def hover_card(picture: str, true_name: str, predicted_name: str) -> html.Div:
    """The tooltip's content: the sample, then its true and predicted class in words."""
    verdict = "right" if true_name == predicted_name else "wrong"
    return html.Div([
        html.Img(src=picture, alt=f"the sample (true class {true_name})", className="d-block mb-1"),
        html.Div(f"true class: {true_name}", className="small"),
        html.Div(f"model says: {predicted_name} ({verdict})", className="small"),
    ], className="hill-hover-card")
