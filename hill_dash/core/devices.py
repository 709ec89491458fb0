"""Where training runs: CUDA (with mixed precision, as the original study did) > Apple MPS > CPU.

The same training code runs on all three; only the autocast context and the gradient scaler differ. Everything
that must be bit-reproducible (tests, resumed runs) runs on CPU, where deterministic algorithms are switched on
for the duration of a training call and the previous setting is restored afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class DeviceChoice:
    """The device a run trains on and whether it uses automatic mixed precision there."""

    device: torch.device
    amp: bool

    @property
    def kind(self) -> str:
        return self.device.type


def mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(name: str = "auto") -> DeviceChoice:
    """Resolve a device name ("auto", "cpu", "cuda", "cuda:1", "mps") to a `DeviceChoice`.

    >>> pick_device("cpu")
    DeviceChoice(device=device(type='cpu'), amp=False)
    """
    base = name.split(":", 1)[0]
    if base not in DEVICE_CHOICES:
        raise ValueError(f"unknown device {name!r}: use one of {', '.join(DEVICE_CHOICES)} (or cuda:N)")
    if base == "auto":
        if torch.cuda.is_available():
            return DeviceChoice(torch.device("cuda"), amp=True)
        if mps_available():
            return DeviceChoice(torch.device("mps"), amp=False)
        return DeviceChoice(torch.device("cpu"), amp=False)
    if base == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} was asked for but CUDA is not available here: use --device auto or cpu")
    if base == "mps" and not mps_available():
        raise ValueError(f"device {name!r} was asked for but Apple MPS is not available here: use --device auto or cpu")
    return DeviceChoice(torch.device(name), amp=base == "cuda")


def autocast(choice: DeviceChoice) -> contextlib.AbstractContextManager:
    """Mixed precision on CUDA, a no-op elsewhere."""
    if choice.amp:
        return torch.autocast(device_type="cuda", dtype=torch.float16)
    return contextlib.nullcontext()


def grad_scaler(choice: DeviceChoice) -> torch.amp.GradScaler:
    """A gradient scaler that is active only when mixed precision is (a disabled scaler passes losses through)."""
    return torch.amp.GradScaler("cuda", enabled=choice.amp)


@contextlib.contextmanager
def deterministic(choice: DeviceChoice) -> Iterator[None]:
    """Deterministic kernels on CPU while the block runs; GPUs keep their fast kernels (AMP is not bitwise anyway)."""
    if choice.kind != "cpu":
        yield
        return
    before = torch.are_deterministic_algorithms_enabled()
    warn_before = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(before, warn_only=warn_before)


def rng_devices(choice: DeviceChoice) -> list[int]:
    """The CUDA devices whose RNG a run forks (none on CPU/MPS)."""
    if choice.kind == "cuda":
        return [choice.device.index or 0]
    return []
