"""Sentence embeddings from a local ONNX model, for claim matching (optional back-end).

A model directory holds model.onnx (a sentence encoder: input_ids and attention_mask in,
token vectors or one sentence vector out) and tokenizer.json (Hugging Face tokenizers).
Nothing is downloaded: the directory is whatever the operator put there. Token vectors are
mean-pooled over the attention mask; sentence vectors are L2-normalised, so the similarity of
two texts is their dot product. No Django; onnxruntime and tokenizers are imported only when
a model is loaded.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

MAX_TOKENS = 128


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
