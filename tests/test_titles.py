"""The office-title vocabulary (``data/actors/titles.yaml``) and the dictionary's cut-off day.

The vocabulary is data: these tests check that the loader refuses a malformed file with a
message naming it, that a term added to a copy of the file changes what the resolver
recognises, and that the sets the resolver modules read are the ones the file describes.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from legation.actors import resolve, resolve_context
from legation.actors.dictionary import DATA_CUTOFF, META_FILE, ActorDictionary, DictionaryError, read_cutoff
from legation.actors.titles import TITLES_FILE, TitlesError, TitleVocabulary, read_titles, shipped_titles

SHIPPED = resources.files("legation").joinpath("data", "actors", TITLES_FILE).read_text(encoding="utf-8")


def _copy_with(tmp_path: Path, extra: str) -> Path:
    """The shipped titles file with ``extra`` lines appended (to its last section)."""
    path = tmp_path / "titles.yaml"
    path.write_text(SHIPPED.rstrip("\n") + "\n" + extra, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- shipped vocabulary
def test_the_resolver_modules_read_the_shipped_vocabulary() -> None:
    t = shipped_titles()
    assert t.office == resolve_context.OFFICE_WORDS
    assert t.title == resolve_context.TITLE_WORDS
    assert t.strip == resolve._TITLE_STRIP
    assert t.office <= t.title  # an office word is always a title word
    # A phrase gives the lookup its words; other uses take single words only.
    assert {"vice", "president", "crown", "prince"} <= t.lookup
    assert all(" " not in w for s in (t.lookup, t.lookup_words, t.strip, t.office, t.title) for w in s)


def test_the_dictionary_skips_shipped_titles_in_front_of_a_name() -> None:
    d = ActorDictionary.load()
    for text in ("Secretary General Mark Rutte", "Former Prime Minister Mark Rutte", "Mr Rutte"):
        assert [e.actor_id for e in d.lookup(text)] == ["mark-rutte"], text
    # Plurals of lookup titles are skipped too, lookup_word terms only as they stand.
    assert "ministers" in d._prefix_words and "chief" in d._prefix_words
    assert "chiefs" not in d._prefix_words


# ---------------------------------------------------------------------------- adding a term
def test_a_title_added_to_a_copy_of_the_file_is_recognised(tmp_path: Path) -> None:
    shipped = ActorDictionary.load()
    assert shipped.lookup("Burgomaster Mark Rutte") == []
    vocab = read_titles(_copy_with(tmp_path, "  burgomaster: [lookup, office]\n"))
    assert "burgomaster" in vocab.lookup and "burgomaster" in vocab.office and "burgomaster" in vocab.title
    d = ActorDictionary.load(titles=vocab)
    assert [e.actor_id for e in d.lookup("Burgomaster Mark Rutte")] == ["mark-rutte"]
    assert [e.actor_id for e in d.lookup("burgomasters Mark Rutte")] == ["mark-rutte"]  # plural
    # The shipped dictionary, cached per process, is untouched.
    assert ActorDictionary.load().lookup("Burgomaster Mark Rutte") == []


def test_a_lookup_phrase_adds_its_words(tmp_path: Path) -> None:
    vocab = read_titles(_copy_with(tmp_path, "  lord high admiral: [lookup]\n"))
    assert {"lord", "high", "admiral"} <= vocab.lookup
    assert "lord high admiral" not in vocab.title


# ---------------------------------------------------------------------------- malformed files
@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("offices: [president, minister\n", "not valid YAML"),
        ("- president\n", "top level must be a mapping"),
        (
            "offices:\n  president: [lookup]\nranks_and_files:\n  major: [title]\n",
            "unknown section(s) ranks_and_files",
        ),
        ("offices:\n  president: [lookup, stirp]\n", "unknown use(s) ['stirp']"),
        ("offices:\n  president: []\n", "needs a non-empty list of uses"),
        ("offices:\n  president: lookup\n", "needs a non-empty list of uses"),
        ("offices:\n  President: [lookup]\n", "lower case"),
        ("offices:\n  prime  minister: [lookup]\n", "single spaces"),
        ("offices:\n  prime minister: [lookup, office]\n", "only 'lookup' applies to a phrase"),
        ("offices:\n  minister's: [lookup]\n", "write 'ministers'"),
        ("offices:\n  president: [lookup]\n  president: [office]\n", "written twice"),
        ("offices:\n  president: [lookup]\nranks:\n  president: [office]\n", "already listed in offices"),
        ("offices: [president]\n", "must map terms to lists of uses"),
        ("offices:\n  12: [title]\n", "must be a non-empty string"),
    ],
)
def test_a_malformed_titles_file_is_refused_naming_the_file(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "my_titles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TitlesError) as err:
        read_titles(path)
    assert str(path) in str(err.value) and why in str(err.value), str(err.value)


def test_an_unreadable_titles_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TitlesError, match="cannot read titles file"):
        read_titles(tmp_path / "missing.yaml")


def test_titles_errors_are_dictionary_errors() -> None:
    """Callers that report a bad dictionary file report a bad titles file the same way."""
    with pytest.raises(DictionaryError):
        TitleVocabulary.from_text("offices: 3\n", "x.yaml")


# ---------------------------------------------------------------------------- data cut-off
def test_the_cut_off_is_read_from_the_metadata_file() -> None:
    text = resources.files("legation").joinpath("data", "actors", META_FILE).read_text(encoding="utf-8")
    assert isinstance(DATA_CUTOFF, date)
    assert read_cutoff(text, META_FILE) == DATA_CUTOFF
    assert read_cutoff("data_cutoff: 2026-01-31\n", "m.yaml") == date(2026, 1, 31)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("data_cutoff: 30 June 2025\n", "is not a date"),
        ("data_cutoff: 2025-06-31\n", "is not a date"),
        ("cutoff: 2025-06-30\n", "needs exactly one key, data_cutoff (found: cutoff)"),
        ("data_cutoff: 2025-06-30\nnote: x\n", "found: data_cutoff, note"),
        ("", "found: none"),
        ("[2025-06-30]\n", "top level must be a mapping"),
    ],
)
def test_a_bad_cut_off_is_refused_naming_the_file(text: str, why: str) -> None:
    with pytest.raises(DictionaryError) as err:
        read_cutoff(text, "my/meta.yaml")
    assert "my/meta.yaml" in str(err.value) and why in str(err.value), str(err.value)
