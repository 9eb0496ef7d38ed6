"""Fingerprints for exact and near duplicates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import body
from legation.crossdoc.dedup import NEAR_THRESHOLD, Known, fingerprint, jaccard, judge, norm_hash


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


def _known(versions: dict[str, list[str]] | None = None, **stored: str) -> Known:
    """A store holding ``id=text`` originals, every one a band candidate of every new article."""
    fps = {k: fingerprint(v) for k, v in stored.items()}
    return Known(
        exact={fp.norm_hash: k for k, fp in fps.items()},
        candidates={"new": list(fps), "new2": list(fps)},
        signatures={k: fp.signature for k, fp in fps.items()},
        versions=versions or {},
    )


def test_small_edit_of_the_same_page_is_a_new_version_not_a_duplicate() -> None:
    text = body(3, paragraphs=6)
    edited = text.replace("The", "A", 1) + "\n\nA correction was appended by the editors."
    known = _known({"file:///news/a.txt": ["old"]}, old=text)
    # Stored from the same input: a version of it. The same edit from another page: a copy.
    assert [
        (v.duplicate_of, v.version_of)
        for v in judge([("new", "file:///news/a.txt", fingerprint(edited))], known)
    ] == [(None, "old")]
    assert [
        (v.duplicate_of, v.version_of)
        for v in judge([("new", "https://b.example/x", fingerprint(edited))], known)
    ] == [("old", None)]


def test_versions_in_one_batch_chain_and_exact_copies_stay_duplicates() -> None:
    text, other = body(4, paragraphs=6), body(5, paragraphs=6)
    edited = text + "\n\nUpdated with a later statement."
    got = judge(
        [
            ("new", "k", fingerprint(text)),
            ("new2", "k", fingerprint(edited)),
            ("new3", "j", fingerprint(text)),
        ],
        _known(),
    )
    assert [(v.duplicate_of, v.version_of) for v in got] == [(None, None), (None, "new"), ("new", None)]
    # A different story under the same key is still a version; a copy of another page is not.
    got = judge([("new", "k", fingerprint(other))], _known({"k": ["a", "b"]}, b=text))
    assert [(v.duplicate_of, v.version_of) for v in got] == [(None, "b")]
