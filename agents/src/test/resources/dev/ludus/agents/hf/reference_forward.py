"""Independent reference forward pass of Llama / Qwen2 / Qwen3 decoders in numpy (float64).

Written from the Hugging Face Transformers modeling code's equations, sharing nothing with the Java side: it parses
config.json and the safetensors files itself and computes the logits of each token sequence on its own (no batching,
no padding, no cache).

usage: python3 reference_forward.py MODEL_DIR REQUEST.json RESPONSE.json
REQUEST: {"sequences": [[ids...], ...]}   RESPONSE: {"logits": [[[V floats] per position] per sequence]}
"""
import json
import math
import os
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            raise SystemExit("reference reads F32 only, %s is %s" % (name, t["dtype"]))
        start, end = t["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(t["shape"]).astype(np.float64)
    return out


def load_weights(d):
    single = os.path.join(d, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    index = json.load(open(os.path.join(d, "model.safetensors.index.json")))
    w = {}
    for shard in sorted(set(index["weight_map"].values())):
        w.update(read_safetensors(os.path.join(d, shard)))
    return w


def inv_freq(c, head_dim):
    theta = c.get("rope_theta", 10000.0)
    f = 1.0 / theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    s = c.get("rope_scaling") or {}
    kind = s.get("rope_type", s.get("type", "default"))
    if kind == "linear":
        f = f / s["factor"]
    elif kind == "llama3":
        factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
        old = s["original_max_position_embeddings"]
        wavelen = 2 * math.pi / f
        scaled = np.where(wavelen > old / low, f / factor, f)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < old / high) & ~(wavelen > old / low)
        f = np.where(medium, smoothed, scaled)
    return f


def rms(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def linear(x, w, name):
    y = x @ w[name + ".weight"].T
    if name + ".bias" in w:
        y = y + w[name + ".bias"]
    return y


def rope(x, cos, sin):  # x (H, T, D)
    h = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., h:], x[..., :h]], axis=-1)
    return x * cos + rotated * sin


def forward(c, w, ids):
    t = len(ids)
    hidden = c["hidden_size"]
    heads = c["num_attention_heads"]
    kv = c.get("num_key_value_heads", heads)
    d = c.get("head_dim") or hidden // heads
    eps = c.get("rms_norm_eps", 1e-6)
    qwen3 = c["model_type"] == "qwen3"
    x = w["model.embed_tokens.weight"][ids]
    ang = np.arange(t, dtype=np.float64)[:, None] * inv_freq(c, d)[None, :]
    ang = np.concatenate([ang, ang], axis=-1)
    cos, sin = np.cos(ang), np.sin(ang)
    causal = np.triu(np.full((t, t), -np.inf), 1)
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms(x, w[p + "input_layernorm.weight"], eps)
        q = linear(h, w, p + "self_attn.q_proj").reshape(t, heads, d)
        k = linear(h, w, p + "self_attn.k_proj").reshape(t, kv, d)
        v = linear(h, w, p + "self_attn.v_proj").reshape(t, kv, d).transpose(1, 0, 2)
        if qwen3:
            q = rms(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms(k, w[p + "self_attn.k_norm.weight"], eps)
        q = rope(q.transpose(1, 0, 2), cos, sin)
        k = rope(k.transpose(1, 0, 2), cos, sin)
        group = heads // kv
        out = np.zeros((heads, t, d))
        for j in range(heads):
            s = q[j] @ k[j // group].T / math.sqrt(d) + causal
            s = np.exp(s - s.max(-1, keepdims=True))
            out[j] = (s / s.sum(-1, keepdims=True)) @ v[j // group]
        x = x + linear(out.transpose(1, 0, 2).reshape(t, heads * d), w, p + "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"], eps)
        g = linear(h, w, p + "mlp.gate_proj")
        x = x + linear(g / (1 + np.exp(-g)) * linear(h, w, p + "mlp.up_proj"), w, p + "mlp.down_proj")
    x = rms(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if c.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def main():
    d, request, response = sys.argv[1:4]
    c = json.load(open(os.path.join(d, "config.json")))
    w = load_weights(d)
    seqs = json.load(open(request))["sequences"]
    json.dump({"logits": [forward(c, w, np.array(s)).tolist() for s in seqs]}, open(response, "w"))


if __name__ == "__main__":
    main()
