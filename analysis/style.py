"""One look for every figure: colours by meaning, paper-sized layouts and the SIMULATED DATA notice.

Sizes are in CSS pixels at 96 per inch, the unit plotly lays out in and the one kaleido's PDF/SVG page size
follows (1 px = 0.75 pt), so a figure laid out at 3.5 in x 96 px is a 3.5 in wide PDF. Font sizes are chosen to
print at about 7.5-8.5 pt, the size of a two-column paper's figure text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go

PX_PER_INCH = 96

# meaning -> colour; the same everywhere (Figure 5's colours follow the paper's description)
CONDITION_COLOURS = {"hill": "#009E73", "baseline": "#0072B2"}
BEST_COLOUR = "#2CA02C"          # best participant: green
WORST_COLOUR = "#FF7F0E"         # worst participant: orange
PARTICIPANT_BAND = "rgba(160, 160, 160, 0.35)"   # participants' range: light grey
BASELINE_BAND = "rgba(0, 114, 178, 0.18)"
PRETRAIN_SHADE = "rgba(80, 80, 80, 0.4)"         # pretraining phase: dark grey
INTERACTION_COLOUR = "#D62728"                   # interaction points: red, dashed
SIMULATED_COLOUR = "rgba(214, 39, 40, 0.55)"
# Okabe-Ito, safe for colour-blind readers; scenarios, codes and classes take colours from it in a fixed order
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255")
SIMULATED_NAME = "simulated-data"


@dataclass(frozen=True)
class PaperLayout:
    """A paper column: its width, a default height, and the font sizes that print legibly at that width."""

    width_in: float
    height_in: float
    font_px: int
    title_px: int
    margin: dict


LAYOUTS = {
    "one-column": PaperLayout(width_in=3.5, height_in=2.6, font_px=10, title_px=11,
                              margin={"l": 44, "r": 8, "t": 28, "b": 36}),
    "two-column": PaperLayout(width_in=7.16, height_in=3.0, font_px=11, title_px=12,
                              margin={"l": 52, "r": 12, "t": 32, "b": 40}),
}


def natural_key(text: object) -> tuple:
    """Sort key that orders embedded numbers by value, so participants read P2 before P10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", str(text)))


def paper_layout(layout: str) -> PaperLayout:
    """The named layout ("one-column" or "two-column"); `ValueError` naming the choices otherwise."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {sorted(LAYOUTS)}, got {layout!r}")
    return LAYOUTS[layout]


def inches_to_px(inches: float) -> int:
    """Layout pixels for a length in inches (96 px per inch)."""
    return int(round(inches * PX_PER_INCH))


def colour_map(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """A stable colour per name: sorted, then taken from PALETTE in order (wrapping when there are more)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(map(str, names))))}


def class_colour(index: int) -> str:
    """The colour of class `index` in every class-coloured view."""
    return PALETTE[index % len(PALETTE)]


def apply_paper_layout(fig: go.Figure, layout: str = "two-column", height_in: float | None = None,
                       title: str | None = None) -> go.Figure:
    """Size `fig` for a paper column and set its fonts, margins and a plain white template; returns `fig`."""
    spec = paper_layout(layout)
    fig.update_layout(
        template="simple_white", width=inches_to_px(spec.width_in),
        height=inches_to_px(height_in if height_in is not None else spec.height_in),
        font={"family": "Arial, Helvetica, sans-serif", "size": spec.font_px, "color": "#222222"},
        margin=spec.margin, legend={"font": {"size": spec.font_px - 1}},
    )
    if title is not None:
        fig.update_layout(title={"text": title, "font": {"size": spec.title_px}, "x": 0.01, "xanchor": "left"})
    fig.update_annotations(font_size=spec.font_px)  # subplot titles
    return fig


def legend_below(fig: go.Figure, gap_px: int = 58) -> go.Figure:
    """A horizontal legend a fixed distance below the plot area, clear of the x-axis title at any height."""
    margin = fig.layout.margin
    plot_height = max(1, (fig.layout.height or 450) - (margin.t or 0) - (margin.b or 0))
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "yanchor": "top",
                              "y": -gap_px / plot_height})
    return fig


def mark_simulated(fig: go.Figure) -> go.Figure:
    """Stamp a large, slanted "SIMULATED DATA" across the plot so no one mistakes it for a measurement."""
    size = max(14, int((fig.layout.width or 600) / 16))
    fig.add_annotation(
        text="SIMULATED DATA", name=SIMULATED_NAME, xref="paper", yref="paper", x=0.5, y=0.5,
        showarrow=False, textangle=-18, font={"size": size, "color": SIMULATED_COLOUR},
    )
    return fig


def finish(fig: go.Figure, layout: str, simulated: bool, height_in: float | None = None,
           title: str | None = None) -> go.Figure:
    """The last step of every figure builder: paper layout, then the simulated notice when it applies."""
    apply_paper_layout(fig, layout, height_in, title)
    if simulated:
        mark_simulated(fig)
    return fig
