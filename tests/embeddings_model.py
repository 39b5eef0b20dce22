"""A tiny sentence encoder built here with the onnx helper API: random weights, real format.

model.onnx takes input_ids and attention_mask (int64, batch x tokens) and returns token
vectors (batch x tokens x DIM): an embedding table looked up, times the mask. tokenizer.json
is a tokenizers WordLevel model over VOCAB (whitespace pre-tokenizer). Nothing downloaded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DIM = 16
VOCAB = ["[PAD]", "[UNK]"] + sorted(
    set(
        [
            "azerbaijan",
            "bought",
            "48",
            "nora",
            "howitzers",
            "from",
            "serbia",
            "armenia",
            "atags",
            "india",
            "the",
            "sold",
            "to",
            "gdp",
            "grew",
            "in",
            "2023",
            "georgia",
            "inflation",
        ]
    )
)


def build(directory: Path, seed: int = 0) -> Path:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from tokenizers import Tokenizer, models, pre_tokenizers

    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(len(VOCAB), DIM)).astype(np.float32)
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["tokens"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["tokens", "mask3"], ["token_embeddings"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-encoder",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [
            helper.make_tensor_value_info(
                "token_embeddings", TensorProto.FLOAT, ["batch", "seq", DIM]
            )
        ],
        initializer=[
            numpy_helper.from_array(table, "table"),
            numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(directory / "model.onnx"))
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.save(str(directory / "tokenizer.json"))
    return directory
