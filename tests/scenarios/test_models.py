"""The paper's networks and the small offline ones: layer shapes, latent sizes and the (logits, latent) contract."""

from __future__ import annotations

import torch
from torch import nn

from hill_dash.core.models import ImageCNN, basicmotions_cnn, cifar10_cnn, digits_cnn, pamap2_cnn


def _shapes(model: nn.Module, kind: type[nn.Module]) -> list[tuple[int, ...]]:
    return [tuple(m.weight.shape) for m in model.modules() if isinstance(m, kind)]


def test_cifar10_cnn_has_the_papers_layers_and_a_4096_latent():
    model = cifar10_cnn()
    assert _shapes(model, nn.Conv2d) == [(128, 3, 3, 3), (256, 128, 3, 3), (512, 256, 3, 3), (512, 512, 3, 3),
                                         (256, 512, 3, 3)]
    assert _shapes(model, nn.Linear) == [(512, 4096), (256, 512), (128, 256), (10, 128)]
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.modules()) == 3
    dropouts = sorted(m.p for m in model.modules() if isinstance(m, nn.Dropout))
    assert dropouts == [0.3, 0.3, 0.3, 0.5, 0.5, 0.5]  # after each pool; after each hidden dense layer
    model.eval()
    logits, latent = model(torch.randn(2, 3, 32, 32))
    assert logits.shape == (2, 10) and latent.shape == (2, 4096) and model.latent_dim == 4096


def test_pamap2_cnn_has_the_papers_layers_and_a_1024_latent():
    model = pamap2_cnn(num_classes=12)
    assert _shapes(model, nn.Conv1d) == [(32, 27, 24), (64, 32, 16), (128, 64, 8)]
    assert _shapes(model, nn.Linear) == [(1024, 256), (12, 1024)]  # 256 = max-pooled 128 + average-pooled 128
    assert {m.p for m in model.modules() if isinstance(m, nn.Dropout)} == {0.1}
    model.eval()
    logits, latent = model(torch.randn(3, 27, 200))
    assert logits.shape == (3, 12) and latent.shape == (3, 1024)


def test_latent_is_taken_before_dropout():
    assert isinstance(cifar10_cnn().features[-1], nn.ReLU)
    pooled_last = ImageCNN(3, [(8, True), (4, True)], input_size=8, head=(), num_classes=2, conv_dropout=0.5,
                           head_dropout=0.0)
    assert [type(m) for m in pooled_last.features] == [nn.Conv2d, nn.ReLU, nn.MaxPool2d, nn.Dropout,
                                                       nn.Conv2d, nn.ReLU, nn.MaxPool2d]
    pooled_last.train()
    _, latent = pooled_last(torch.randn(2, 3, 8, 8))
    assert pooled_last.latent_dim == 4 * 2 * 2 and latent.shape == (2, 16)


def test_pooling_concatenates_max_and_mean_over_time():
    model = pamap2_cnn(num_classes=3).eval()
    seen = {}
    model.to_latent.register_forward_hook(lambda module, inputs, output: seen.update(pooled=inputs[0]))
    x = torch.randn(2, 27, 200)
    model(x)
    maps = model.features(x)
    assert torch.allclose(seen["pooled"], torch.cat([maps.amax(2), maps.mean(2)], dim=1))


def test_small_networks_fit_their_data_shapes():
    logits, latent = digits_cnn().eval()(torch.rand(4, 1, 8, 8))
    assert logits.shape == (4, 10) and latent.shape == (4, 128)
    logits, latent = basicmotions_cnn().eval()(torch.randn(4, 6, 100))
    assert logits.shape == (4, 4) and latent.shape == (4, 32)
