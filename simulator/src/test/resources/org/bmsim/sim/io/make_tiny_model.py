#!/usr/bin/env python3
"""Writes tiny-bayes-mlp.safetensors and tiny-bayes-mlp.expected.json, the test resources of
ModelFileTest: a Bayesian MLP 784-8-10 (ReLU) in bmsim's model format, written with NumPy and the
standard library only (no safetensors package), and the logits of its mean network (weights = mu)
on three seeded inputs, computed in float64. Run once from this directory:

    python3 make_tiny_model.py

It is the same code path a PyTorch user's export takes (docs/model-format.md)."""
import json
import struct

import numpy as np

rng = np.random.default_rng(2024)
widths = [784, 8, 10]
tensors = {}
for i in range(1, len(widths)):
    fan_in, out = widths[i - 1], widths[i]
    bound = 1 / np.sqrt(fan_in)
    tensors[f"fc{i}.weight_mu"] = rng.uniform(-bound, bound, (out, fan_in)).astype("<f4")
    tensors[f"fc{i}.weight_rho"] = rng.uniform(-6, -4, (out, fan_in)).astype("<f4")
    tensors[f"fc{i}.bias"] = rng.uniform(-bound, bound, (out,)).astype("<f4")

metadata = {"format": "bmsim-bnn", "format_version": "1", "arch": "mlp:784-8-10",
            "activation": "relu", "sigma_transform": "softplus", "exported_by": "make_tiny_model.py"}


def save_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    for name, a in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for a in tensors.values():
            f.write(np.ascontiguousarray(a, dtype="<f4").tobytes())


save_safetensors("tiny-bayes-mlp.safetensors", tensors, metadata)

x = rng.normal(0, 1, (3, 784)).astype("<f4")
h = x.astype(np.float64)
for i in range(1, len(widths)):
    h = h @ tensors[f"fc{i}.weight_mu"].astype(np.float64).T + tensors[f"fc{i}.bias"].astype(np.float64)
    if i < len(widths) - 1:
        h = np.maximum(h, 0)
with open("tiny-bayes-mlp.expected.json", "w") as f:
    json.dump({"inputs": x.tolist(), "logits": h.tolist(),
               "sigma_fc1_0_0": float(np.log1p(np.exp(tensors["fc1.weight_rho"][0, 0].astype(np.float64))))}, f)
