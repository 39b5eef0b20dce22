"""The optional embeddings back-end: the real loading and inference code on a tiny model."""

from __future__ import annotations

import numpy as np
import pytest

from claims.models import ClaimMatch
from claims.services.articles import article_ingest_text
from claims.services.matching import similarity_function
from language.claim_profile import profile
from language.embeddings import Embedder, EmbeddingsError
from language.matching import compare
from tests.embeddings_model import DIM, build

NORA = "Azerbaijan bought 48 Nora howitzers from Serbia"
SOLD = "Serbia sold 48 Nora howitzers to Azerbaijan"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return build(tmp_path_factory.mktemp("embeddings"))


def test_the_tiny_model_embeds_with_mean_pooling_and_unit_length(model_dir):
    embedder = Embedder(model_dir)
    vectors = embedder.embed([NORA, "gdp grew", "unknown words only"])
    assert vectors.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # padding does not count: a text embeds the same alone or beside a longer one
    assert np.allclose(embedder.embed(["gdp grew"])[0], vectors[1], atol=1e-5)
    assert embedder.similarity(NORA, NORA) == pytest.approx(1.0, abs=1e-5)
    assert -1.0 <= embedder.similarity(NORA, "georgia inflation") < 0.99


def test_a_directory_without_the_model_is_a_clear_error(tmp_path):
    with pytest.raises(EmbeddingsError, match="missing model.onnx, tokenizer.json"):
        Embedder(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(EmbeddingsError, match="cannot load the model"):
        Embedder(tmp_path)


def test_the_similarity_is_averaged_in_and_the_vetoes_still_apply(model_dir):
    similarity = Embedder(model_dir).similarity
    plain = compare(profile(NORA), profile(SOLD))
    blended = compare(profile(NORA), profile(SOLD), similarity=similarity)
    expected = 0.5 * plain.score + 0.5 * max(0.0, similarity(NORA, SOLD))
    assert blended.score == pytest.approx(expected, abs=1e-3)
    other = "Armenia bought 48 ATAGS howitzers from India"
    assert compare(profile(NORA), profile(other), similarity=lambda a, b: 1.0).score < 0.5


@pytest.mark.django_db
def test_ingestion_uses_the_configured_model(model_dir, settings, tmp_path, caplog):
    settings.FACTCHECK_EMBEDDINGS_MODEL_DIR = str(model_dir)
    similarity = similarity_function()
    assert similarity is not None and similarity(NORA, NORA) == pytest.approx(1.0, abs=1e-5)
    article_ingest_text(text=NORA + ", the ministry said.", title="one", research=False)
    later = article_ingest_text(text=SOLD + ", officials said.", title="two", research=False)
    match = ClaimMatch.objects.select_related("claim", "matched_claim").get(claim__article=later)
    mine, theirs = profile(match.claim.text), profile(match.matched_claim.text)
    blended = compare(mine, theirs, similarity=similarity).score
    assert match.score == pytest.approx(blended, abs=1e-3)
    assert blended != compare(mine, theirs).score  # the model's similarity counted
    settings.FACTCHECK_EMBEDDINGS_MODEL_DIR = str(tmp_path / "nothing-here")
    assert similarity_function() is None  # a bad directory: logged, matching goes on
    assert "FACTCHECK_EMBEDDINGS_MODEL_DIR not used" in caplog.text
