"""The boundary lab: direction annotations on a 2D classifier's decision boundary.

An annotator watches a binary classifier's decision boundary on 2D data during training and draws arrows on points:
"moving this point along the arrow should lower its true-class score". `BoundaryLab` turns the arrows into training
signal with `hill_dash.core.losses.direction_loss`; `figure` draws the state for a page; `ScriptedAnnotator` draws
arrows for experiments and demos. Nothing here imports Dash.
"""

from hill_dash.boundary.annotator import STRATEGIES, ScriptedAnnotator
from hill_dash.boundary.datasets import DATASETS, BoundaryData, DatasetError, DatasetSpec, make_dataset
from hill_dash.boundary.figure import accuracy_figure, boundary_figure, lab_figure
from hill_dash.boundary.model import BoundaryMLP, ModelSpec, make_model
from hill_dash.boundary.trainer import Arrow, BoundaryLab, BoundaryLabError, LabConfig

__all__ = [
    "DATASETS", "STRATEGIES", "Arrow", "BoundaryData", "BoundaryLab", "BoundaryLabError", "BoundaryMLP", "DatasetError",
    "DatasetSpec", "LabConfig", "ModelSpec", "ScriptedAnnotator", "accuracy_figure", "boundary_figure", "lab_figure",
    "make_dataset", "make_model",
]
