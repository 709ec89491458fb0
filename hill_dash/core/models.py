"""The networks of the built-in scenarios, all following the contract `model(x) -> (logits [B, C], latent [B, D])`.

The latent is the layer the editor shows: the output of the feature extractor, before the classifier head, taken
before any dropout so that the points a participant sees in evaluation mode and the points the loss is computed on in
training mode come from the same layer.

- `cifar10_cnn`: the paper's image network (5 conv layers, flatten to a 4096-d latent, 4 dense layers).
- `pamap2_cnn`: the paper's wearable network (3 Conv1d layers, global max + average pooling, 1024-d latent).
- `digits_cnn`, `basicmotions_cnn`: the same two shapes, scaled down for the small offline data sets.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def _mlp_head(in_features: int, hidden: Sequence[int], num_classes: int, dropout: float) -> nn.Sequential:
    layers: list[nn.Module] = []
    width = in_features
    for out in hidden:
        layers += [nn.Linear(width, out), nn.ReLU(inplace=True), nn.Dropout(dropout)]
        width = out
    layers.append(nn.Linear(width, num_classes))
    return nn.Sequential(*layers)


class ImageCNN(nn.Module):
    """3x3 convolutions (same padding, ReLU), some followed by 2x2 max-pooling and dropout; flatten = latent.

    `blocks` lists `(out_channels, pool_after)`; the flattened feature map of the last block is the latent, so its
    size is `last_channels * (input_size // 2**pools) ** 2`.
    """

    def __init__(self, in_channels: int, blocks: Sequence[tuple[int, bool]], input_size: int,
                 head: Sequence[int], num_classes: int, conv_dropout: float, head_dropout: float) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels, size = in_channels, input_size
        for out, pool in blocks:
            layers += [nn.Conv2d(channels, out, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            if pool:
                layers += [nn.MaxPool2d(2), nn.Dropout(conv_dropout)]
                size //= 2
            channels = out
        if blocks and blocks[-1][1]:
            layers.pop()  # no dropout on the latent itself (see module docstring)
        self.features = nn.Sequential(*layers)
        self.latent_dim = channels * size * size
        self.classifier = _mlp_head(self.latent_dim, head, num_classes, head_dropout)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = torch.flatten(self.features(x), 1)
        return self.classifier(latent), latent


class SensorCNN(nn.Module):
    """Valid 1D convolutions (ReLU, dropout), global max and average pooling concatenated, a dense latent layer.

    Input `[B, channels, time]`; latent = ReLU(Linear(2 * last_width -> latent_dim)); head = Linear(latent -> C).
    """

    def __init__(self, in_channels: int, widths: Sequence[int], kernels: Sequence[int], latent_dim: int,
                 num_classes: int, dropout: float) -> None:
        super().__init__()
        if len(widths) != len(kernels):
            raise ValueError(f"widths {list(widths)} and kernels {list(kernels)} must have the same length")
        layers: list[nn.Module] = []
        channels = in_channels
        for width, kernel in zip(widths, kernels):
            layers += [nn.Conv1d(channels, width, kernel_size=kernel), nn.ReLU(inplace=True), nn.Dropout(dropout)]
            channels = width
        self.features = nn.Sequential(*layers)
        self.latent_dim = latent_dim
        self.to_latent = nn.Sequential(nn.Linear(2 * channels, latent_dim), nn.ReLU(inplace=True))
        self.classifier = nn.Linear(latent_dim, num_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        maps = self.features(x)
        pooled = torch.cat([maps.amax(dim=2), maps.mean(dim=2)], dim=1)
        latent = self.to_latent(pooled)
        return self.classifier(latent), latent


def cifar10_cnn(num_classes: int = 10) -> ImageCNN:
    """The paper's CIFAR-10 network for 3x32x32 input: latent 256*4*4 = 4096, head 4096-512-256-128-C.

    Three pools (after conv 1, 2 and 4) take 32 -> 16 -> 8 -> 4; conv 5 keeps the 4x4 map, so the latent is the
    last convolution's ReLU output, flattened.
    """
    blocks = [(128, True), (256, True), (512, False), (512, True), (256, False)]
    return ImageCNN(3, blocks, input_size=32, head=(512, 256, 128), num_classes=num_classes,
                    conv_dropout=0.3, head_dropout=0.5)


def pamap2_cnn(num_classes: int, in_channels: int = 27) -> SensorCNN:
    """The paper's PAMAP2 network for `[B, 27, 200]` windows: Conv1d 32/64/128 (kernels 24/16/8), latent 1024."""
    return SensorCNN(in_channels, widths=(32, 64, 128), kernels=(24, 16, 8), latent_dim=1024,
                     num_classes=num_classes, dropout=0.1)


def digits_cnn(num_classes: int = 10) -> ImageCNN:
    """A small image network for 1x8x8 digits: conv 16 (pool) -> conv 32 (pool) -> conv 32, latent 32*2*2 = 128."""
    return ImageCNN(1, [(16, True), (32, True), (32, False)], input_size=8, head=(64,),
                    num_classes=num_classes, conv_dropout=0.1, head_dropout=0.2)


def basicmotions_cnn(num_classes: int = 4, in_channels: int = 6) -> SensorCNN:
    """A small wearable network for `[B, 6, 100]` windows: Conv1d 16/32/32 (kernels 7/5/3), latent 32."""
    return SensorCNN(in_channels, widths=(16, 32, 32), kernels=(7, 5, 3), latent_dim=32,
                     num_classes=num_classes, dropout=0.1)
