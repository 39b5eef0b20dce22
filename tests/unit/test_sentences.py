"""language.sentences: the one sentence splitter behind claim extraction and passages."""

import pytest

from language.extraction.segmentation import segment
from language.passages import split_sentences
from language.sentences import ABBREVIATIONS, sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def _both(text: str) -> list[str]:
    """The sentences passages and claim extraction see: they must agree."""
    from_passages = [text[s:e] for _, s, e in split_sentences(text)]
    from_segments = [s.text for s in segment(text)]
    assert from_passages == from_segments == _sentences(text)
    return from_passages


def test_abbreviations_come_from_the_data_file():
    assert {"gen", "dr", "no", "inc", "sept", "e.g"} <= ABBREVIATIONS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Passages used to keep "U.S. The" together (u.s was a plain abbreviation there).
        (
            "The howitzers were built in the U.S. The army took delivery in May.",
            ["The howitzers were built in the U.S.", "The army took delivery in May."],
        ),
        ("The U.S. Army took delivery of 48 howitzers in May.", None),
        # Passages never ended a sentence at "no."; only "No. 5" is an abbreviation.
        ("Asked about a deal, he said no. Officials declined to comment.", 2),
        ("Resolution No. 5 was adopted by the council on Monday.", None),
        # Company endings end a sentence only before a word that opens one.
        ("The contract went to Acme Ltd. The firm denied it.", 2),
        ("The contract went to Acme Ltd. Board members denied it.", None),
        # Passages did not split a stop glued to the next sentence.
        ("Turnout rose to 61 percent.Officials were pleased.", 2),
        ("Gen. Daniel Zmeko visited Baku. He met officials at 10 a.m. on Monday.", 2),
        ("The deal was signed by J. Smith on behalf of the ministry.", None),
    ],
)
def test_passages_and_extraction_agree(text, expected):
    found = _both(text)
    if expected is None:
        assert found == [text]
    elif isinstance(expected, int):
        assert len(found) == expected
    else:
        assert found == expected


def test_lowercase_next_word_continues_the_sentence():
    # Claim extraction used to cut after any "?" / "!" / "...", even before a lowercase word.
    text = '"Who would buy them?" he asked, adding that the price was high... and rising.'
    assert _both(text) == [text]
    assert _both("Is it true? Nobody knows.") == ["Is it true?", "Nobody knows."]


def test_spans_stay_inside_the_line():
    text = "First line ends here.\nsecond line starts lower. Then more."
    line_end = text.index("\n")
    assert sentence_spans(text, 0, line_end) == [(0, line_end)]
    assert [text[s:e] for _, s, e in split_sentences(text)] == [
        "First line ends here.",
        "second line starts lower.",
        "Then more.",
    ]
