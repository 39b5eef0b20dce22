"""language.storable: what PostgreSQL refuses is removed, everything else kept as it is."""

from __future__ import annotations

from language.storable import refused_characters, storable_text, storable_value


def test_nul_and_lone_surrogates_are_removed_and_nothing_else():
    text = "48 buses\x00 in Novi Sad \ud800— 21.5 million €\t\n\x07"
    assert storable_text(text) == "48 buses in Novi Sad — 21.5 million €\t\n\x07"
    assert refused_characters(text) == 2
    storable_text(text).encode("utf-8")  # no lone surrogate left to fail the encoding


def test_clean_text_is_returned_unchanged():
    text = "Ђорђе Вајферт, Kragujevac, İzmir"
    assert storable_text(text) is text


def test_json_values_are_cleaned_keys_and_strings_alike():
    headers = {"x-a\x00": ["v\x00", 1, None], "etag": '"abc"'}
    assert storable_value(headers) == {"x-a": ["v", 1, None], "etag": '"abc"'}
