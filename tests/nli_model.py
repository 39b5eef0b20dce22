"""A tiny NLI cross-encoder built in the test: random weights, the real file formats.

`build_nli_model(folder)` writes what FACTCHECK_NLI_MODEL_DIR expects: `model.onnx` (inputs
input_ids, attention_mask and optionally token_type_ids; output logits [batch, 3]), a
WordLevel `tokenizer.json` trained on a few sentences, and `config.json` with id2label.
The graph is an embedding bag: logits = (sum of the unmasked tokens' embeddings) @ W + b.
Its weights are random except three planted words, so a test knows what it must answer:
"confirmed" pushes entailment, "denied" contradiction, "weather" neutral.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers

ID2LABEL = {"0": "contradiction", "1": "entailment", "2": "neutral"}
PLANTED = {"denied": 0, "confirmed": 1, "weather": 2}  # word -> the logit it drives
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
CORPUS = [
    "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia",
    "the ministry confirmed the delivery of 48 howitzers",
    "the ministry denied any contract for howitzers",
    "the weather in Baku was mild on Monday",
    "Azerbaijan bought 36 Nora howitzers and officials confirmed it",
]
DIM = 8


def build_tokenizer(path: Path) -> Tokenizer:
    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(
        CORPUS, trainers.WordLevelTrainer(special_tokens=SPECIALS, min_frequency=1)
    )
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    tokenizer.save(str(path))
    return tokenizer


def build_graph(
    vocab_size: int,
    planted_ids: dict[int, int],
    *,
    token_types: bool = True,
    labels: int = 3,
    seed: int = 7,
) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    embeddings = rng.normal(0, 0.1, size=(vocab_size, DIM)).astype(np.float32)
    weights = rng.normal(0, 0.1, size=(DIM, labels)).astype(np.float32)
    for token_id, label in planted_ids.items():
        embeddings[token_id] = 0.0
        embeddings[token_id, label % DIM] = 5.0
        weights[label % DIM] = 0.0
        weights[label % DIM, label % labels] = 2.0
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
    ]
    nodes = [helper.make_node("Gather", ["embeddings", "input_ids"], ["tokens"])]
    initializers = [
        numpy_helper.from_array(embeddings, "embeddings"),
        numpy_helper.from_array(weights, "classifier"),
        numpy_helper.from_array(rng.normal(0, 0.1, size=labels).astype(np.float32), "bias"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "sequence_axis"),
    ]
    summed_input = "tokens"
    if token_types:
        inputs.append(
            helper.make_tensor_value_info(
                "token_type_ids", TensorProto.INT64, ["batch", "sequence"]
            )
        )
        types = rng.normal(0, 0.1, size=(2, DIM)).astype(np.float32)
        initializers.append(numpy_helper.from_array(types, "type_embeddings"))
        nodes += [
            helper.make_node("Gather", ["type_embeddings", "token_type_ids"], ["types"]),
            helper.make_node("Add", ["tokens", "types"], ["typed"]),
        ]
        summed_input = "typed"
    nodes += [
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask", "last_axis"], ["mask3"]),
        helper.make_node("Mul", [summed_input, "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "sequence_axis"], ["pooled"], keepdims=0),
        helper.make_node("MatMul", ["pooled", "classifier"], ["scores"]),
        helper.make_node("Add", ["scores", "bias"], ["logits"]),
    ]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", labels])
    graph = helper.make_graph(nodes, "tiny_nli", inputs, [output], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_nli_model(
    folder: Path,
    *,
    token_types: bool = True,
    labels: int = 3,
    config: bool = True,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(folder / "tokenizer.json")
    planted = {tokenizer.token_to_id(w): label for w, label in PLANTED.items()}
    model = build_graph(tokenizer.get_vocab_size(), planted, token_types=token_types, labels=labels)
    onnx.save(model, str(folder / "model.onnx"))
    if config:
        (folder / "config.json").write_text(json.dumps({"id2label": ID2LABEL}), encoding="utf-8")
    return folder
