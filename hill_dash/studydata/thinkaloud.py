"""Simulated think-aloud for a demo study: one transcript per participant and scenario, coded with the paper's
strategy codes (section 4.2.3), so the coding pages and the strategy timeline have something to show.

Nothing here is speech: each recording holds no audio, its transcript comes from backend "simulated", every
segment's text starts with "(simulated)", and the coder is "simulated". A segment stands for what the simulated
participant would have said at one interaction point, about the strategy its code names.
"""

from __future__ import annotations

from dataclasses import dataclass

from hill_dash.core.simulate import ChangeStrategy
from hill_dash.store import Store

THEME = "Strategies"
CODER = "simulated"
SECONDS_PER_POINT = 120.0  # how far apart the interaction points sit in the simulated recording
SPEAKING_S = 20.0

# the paper's strategy codes with a line in the spirit of the quotes it reports
CODES = {
    "compactness": ("Increasing Cluster Compactness", "moving points closer to their cluster centre",
                    "Now my strategy is to cluster them near to the centre."),
    "distance": ("Maximizing Cluster Distance", "moving whole clusters further apart",
                 "Let's get these classes away from each other."),
    "merge": ("Merge Similar Classes", "moving classes that belong together closer",
              "These two look alike, so I put them next to each other."),
    "keep": ("Keep Arrangement", "leaving dense, well-separated clusters where they are",
             "This class looks great, so I'll not move it at all."),
    "change": ("Changed Strategy", "inverting the previous approach when it did not help",
               "I would like to try something completely different now."),
}


@dataclass(frozen=True)
class Utterance:
    """One coded stretch of a simulated think-aloud: at an interaction point, about one strategy."""

    interaction_index: int
    strategy: str


def utterances(strategy: str, n_points: int) -> list[Utterance]:
    """What a participant playing `strategy` talks about at each of `n_points` interaction points.

    "change" follows `ChangeStrategy`: its first strategy, then at the switch the change itself and the new one.
    """
    if strategy not in CODES:
        raise ValueError(f"unknown strategy {strategy!r}: use one of {', '.join(CODES)}")
    if strategy != "change":
        return [Utterance(i, strategy) for i in range(n_points)]
    plan = ChangeStrategy()
    out = []
    for i in range(n_points):
        if i == plan.switch_at:
            out.append(Utterance(i, "change"))
        out.append(Utterance(i, plan.first if i < plan.switch_at else plan.then))
    return out


def add_codebook(store: Store, study_id: int) -> dict[str, int]:
    """The theme "Strategies" and its five codes in the study's codebook; returns {strategy: code id}."""
    theme = store.add_code(study_id, THEME, "How participants tried to improve the model", theme=True)
    return {strategy: store.add_code(study_id, name, description, parent_id=theme.id).id
            for strategy, (name, description, _) in CODES.items()}


def add_thinkaloud(store: Store, codebook: dict[str, int], participant_id: int, study_scenario_id: int,
                   strategy: str, n_points: int) -> int:
    """A simulated think-aloud recording with its transcript, every segment coded; returns the number of codings."""
    said = utterances(strategy, n_points)
    segments, spoken = [], {}
    for utterance in said:
        nth = spoken.get(utterance.interaction_index, 0)  # a second utterance at one point follows the first
        spoken[utterance.interaction_index] = nth + 1
        start = 30.0 + utterance.interaction_index * SECONDS_PER_POINT + nth * (SPEAKING_S + 5.0)
        segments.append({"start": start, "end": start + SPEAKING_S,
                         "text": f"(simulated) {CODES[utterance.strategy][2]}"})
    recording = store.create_recording("think_aloud", "audio/webm", participant_id=participant_id,
                                       study_scenario_id=study_scenario_id)
    store.update_recording(recording.id, duration_s=segments[-1]["end"] + 30.0)
    starts = [30.0 + index * SECONDS_PER_POINT for index in range(n_points)]  # where each point's talk begins
    transcript = store.add_transcript(recording.id, backend="simulated", model="none", language="en",
                                      segments=segments, settings={"simulated": True, "interaction_starts_s": starts})
    for index, utterance in enumerate(said):
        store.add_coding(transcript.id, index, index, codebook[utterance.strategy], CODER)
    return len(said)
