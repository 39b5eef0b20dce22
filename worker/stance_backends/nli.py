"""A cross-encoder NLI model in ONNX format as a stance back-end, on CPU.

The model folder holds `model.onnx` (inputs input_ids and attention_mask, token_type_ids
when the model has them; output logits [batch, labels]) and `tokenizer.json` (the
`tokenizers` library's format), as `optimum-cli export onnx` writes them. Which logit is
which label comes from FACTCHECK_NLI_LABELS or else the folder's config.json id2label.
Nothing is downloaded: the folder is the operator's.

Each pair is premise = the source's passage, hypothesis = the claim; all the pairs of one
source run as one batch.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from language.stance import CONTRADICTS, MENTIONS, SUPPORTS, Stance

from .base import NLI, BackendError, Pair

logger = logging.getLogger(__name__)

MAX_TOKENS = 512  # BERT-style models' longest input; longer pairs lose their passage's tail
# NLI label names to stance labels; a name is matched by its start, case-insensitively.
_STANCE_OF = (
    ("entail", SUPPORTS),
    ("support", SUPPORTS),
    ("contradict", CONTRADICTS),
    ("refute", CONTRADICTS),
    ("neutral", MENTIONS),
    ("not_entail", MENTIONS),
    ("not entail", MENTIONS),
    ("not enough", MENTIONS),
)


def stance_of_label(name: str) -> str:
    """supports / contradicts / mentions for an NLI label name; BackendError when unknown."""
    folded = name.strip().lower()
    for prefix, stance in _STANCE_OF:
        if folded.startswith(prefix):
            return stance
    raise BackendError(f"unknown NLI label {name!r} (expected entailment, contradiction, neutral)")


def read_labels(model_dir: Path, configured: Sequence[str]) -> list[str]:
    """The name of each output logit, in order: the configured list, else config.json."""
    if configured:
        return list(configured)
    config_path = model_dir / "config.json"
    if not config_path.is_file():
        raise BackendError(
            f"{model_dir} has no config.json with id2label; set FACTCHECK_NLI_LABELS "
            "to the model's output order, e.g. contradiction,entailment,neutral"
        )
    try:
        id2label = json.loads(config_path.read_text(encoding="utf-8"))["id2label"]
        return [str(id2label[str(i)]) for i in range(len(id2label))]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackendError(f"{config_path}: no usable id2label ({exc})") from exc


@dataclass
class NliModel:
    """A loaded model: an onnxruntime session, its tokenizer and its label order."""

    session: Any
    tokenizer: Any
    stances: list[str]  # the stance label of each output logit
    names: list[str]  # the model's own label names
    input_names: list[str]

    def run(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        """Probabilities per label for each (premise, hypothesis), in one batch."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(list(pairs))
        feed: dict[str, Any] = {}
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        columns = {
            "input_ids": ids,
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        for name in self.input_names:
            feed[name] = columns[name]
        (logits, *_rest) = self.session.run(None, feed)
        logits = np.asarray(logits, dtype=np.float64)
        if logits.shape != (len(pairs), len(self.stances)):
            raise BackendError(
                f"model output has shape {logits.shape}, expected "
                f"({len(pairs)}, {len(self.stances)})"
            )
        if not np.all(np.isfinite(logits)):
            raise BackendError("model output is not finite")
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (exp / exp.sum(axis=1, keepdims=True)).tolist()


@functools.lru_cache(maxsize=2)
def load_model(model_dir: str, labels: tuple[str, ...] = ()) -> NliModel:
    """Loads model.onnx and tokenizer.json from model_dir once per process."""
    import onnxruntime
    from tokenizers import Tokenizer

    folder = Path(model_dir)
    model_path, tokenizer_path = folder / "model.onnx", folder / "tokenizer.json"
    for path in (model_path, tokenizer_path):
        if not path.is_file():
            raise BackendError(f"NLI model folder {folder} has no {path.name}")
    names = read_labels(folder, labels)
    stances = [stance_of_label(n) for n in names]
    if set(stances) != {SUPPORTS, CONTRADICTS, MENTIONS}:
        raise BackendError(f"labels {names} do not cover entailment, contradiction and neutral")
    try:
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
    except Exception as exc:  # the library raises its own exception types
        raise BackendError(f"cannot read {tokenizer_path}: {exc}") from exc
    truncation = tokenizer.truncation or {}
    tokenizer.enable_truncation(
        max_length=min(int(truncation.get("max_length") or MAX_TOKENS), MAX_TOKENS),
        strategy="longest_first",  # the passage, usually the longer, loses its tail first
    )
    if tokenizer.padding is None:
        pad = next(
            (t for t in ("[PAD]", "<pad>", "<PAD>") if tokenizer.token_to_id(t) is not None), None
        )
        tokenizer.enable_padding(
            pad_id=tokenizer.token_to_id(pad) if pad else 0, pad_token=pad or "[PAD]"
        )
    options = onnxruntime.SessionOptions()
    # Workers score in a process pool: one thread each keeps the cores for the others.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own exception types
        raise BackendError(f"cannot load {model_path}: {exc}") from exc
    input_names = [i.name for i in session.get_inputs()]
    unknown = [n for n in input_names if n not in ("input_ids", "attention_mask", "token_type_ids")]
    if unknown or "input_ids" not in input_names:
        raise BackendError(
            f"{model_path} takes inputs {input_names}; expected input_ids, attention_mask "
            "and optionally token_type_ids"
        )
    return NliModel(session, tokenizer, stances, names, input_names)


class NliBackend:
    name = NLI
    quantities_override = True

    def __init__(self, model_dir: str, labels: Sequence[str] = ()) -> None:
        self.model_dir = model_dir
        self.labels = tuple(labels)

    def judge(self, pairs: Sequence[Pair]) -> list[Stance | None]:
        if not pairs:
            return []
        if not self.model_dir:
            raise BackendError("FACTCHECK_NLI_MODEL_DIR is not set")
        model = load_model(self.model_dir, self.labels)
        probabilities = model.run([(p.passage, p.claim_text) for p in pairs])
        return [self._stance(model, row) for row in probabilities]

    @staticmethod
    def _stance(model: NliModel, row: list[float]) -> Stance:
        best = max(range(len(row)), key=row.__getitem__)
        p = row[best]
        if math.isnan(p):
            raise BackendError("model output is not a probability")
        reason = f"NLI model reads {model.names[best]} (p = {p:.2f})"
        return Stance(model.stances[best], reason, round(p, 2))
