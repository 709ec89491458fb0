"""Exact, JSON-safe encoding of tensors, module states and optimizer states.

Tensors travel as base64 of their raw bytes (bit-exact, unlike decimal lists); optimizer states keep their integer
parameter keys as explicit pairs because JSON object keys are always strings.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import torch

_TAG = "__tensor__"


def encode_tensor(tensor: torch.Tensor) -> dict[str, Any]:
    array = tensor.detach().cpu().contiguous().numpy()
    return {_TAG: base64.b64encode(array.tobytes()).decode("ascii"), "dtype": str(array.dtype),
            "shape": list(array.shape)}


def decode_tensor(data: dict[str, Any]) -> torch.Tensor:
    array = np.frombuffer(base64.b64decode(data[_TAG]), dtype=np.dtype(data["dtype"])).reshape(data["shape"])
    return torch.from_numpy(array.copy())


def encode_value(value: Any) -> Any:
    """Tensors to tagged dicts, tuples to lists, everything else as it is (it must already be JSON-safe)."""
    if isinstance(value, torch.Tensor):
        return encode_tensor(value)
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if _TAG in value:
            return decode_tensor(value)
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def encode_optimizer(state: dict[str, Any]) -> dict[str, Any]:
    return {"state": [[int(k), encode_value(v)] for k, v in state["state"].items()],
            "param_groups": encode_value(state["param_groups"])}


def decode_optimizer(data: dict[str, Any]) -> dict[str, Any]:
    groups = decode_value(data["param_groups"])
    for group in groups:
        if "betas" in group:
            group["betas"] = tuple(group["betas"])
    return {"state": {int(k): decode_value(v) for k, v in data["state"]}, "param_groups": groups}
