"""Fingerprints for exact and near duplicates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import body
from legation.crossdoc.dedup import NEAR_THRESHOLD, fingerprint, jaccard, norm_hash


def test_norm_hash_ignores_case_punctuation_and_spacing() -> None:
    a = "The EU and Japan signed a “Security and Defence Partnership” on 1 November."
    b = 'the EU and Japan   signed a "security and defence partnership" on 1 November'
    assert norm_hash(a) == norm_hash(b)
    assert norm_hash(a) != norm_hash(a.replace("Japan", "Korea"))


def test_edited_copy_is_near_and_other_story_is_not() -> None:
    text = body(1, paragraphs=6)
    edited = text.replace("The", "A", 2) + "\n\nOne more local paragraph was added by the second site."
    other = body(2, paragraphs=6)
    fa, fe, fo = fingerprint(text), fingerprint(edited), fingerprint(other)
    assert jaccard(fa.signature, fe.signature) >= NEAR_THRESHOLD
    assert jaccard(fa.signature, fo.signature) < 0.2
    assert len(fa.bands) == 32 and len(set(fa.bands) & set(fe.bands)) > 0


def test_short_bodies_get_no_near_signature() -> None:
    fp = fingerprint("Too short to compare by shingles.")
    assert fp.signature == b"" and fp.bands == ()
    assert jaccard(fp.signature, fingerprint(body(3)).signature) == 0.0


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=2000))
def test_fingerprint_never_crashes_and_is_deterministic(text: str) -> None:
    assert fingerprint(text) == fingerprint(text)
