"""Site memory: line keys and the chrome decision."""

from __future__ import annotations

from legation.clean.chrome import SiteChrome, is_prose, line_key

SENTENCE = "The minister said on Monday that the talks would resume in Geneva next week."


def test_line_key_normalises_case_bullets_space_and_numbers() -> None:
    assert line_key("  • Share on   Facebook") == line_key("share on facebook")
    assert line_key("16,985FansLike") == line_key("17,002FansLike")
    assert line_key("Home") != line_key("World")


def test_line_key_skips_lines_without_letters() -> None:
    assert line_key("") is None
    assert line_key("   ") is None
    assert line_key("2024") is None
    assert line_key("• ") is None


def test_short_line_on_two_pages_is_chrome() -> None:
    chrome = SiteChrome({line_key("Must Read") or "": 2}, n_docs=2)
    assert chrome.is_chrome("Must Read")
    assert not chrome.is_chrome("Never seen")


def test_single_page_is_never_chrome() -> None:
    chrome = SiteChrome({line_key("Must Read") or "": 1}, n_docs=1)
    assert not chrome.is_chrome("Must Read")


def test_short_line_rare_on_big_site_is_not_chrome() -> None:
    chrome = SiteChrome({line_key("Background") or "": 3}, n_docs=1000)
    assert not chrome.is_chrome("Background")


def test_syndicated_prose_survives() -> None:
    assert is_prose(SENTENCE)
    # Two (or three) copies of one story on the same site keep their sentences.
    for copies in (2, 3):
        assert not SiteChrome({line_key(SENTENCE) or "": copies}, n_docs=copies).is_chrome(SENTENCE)


def test_boilerplate_prose_on_many_pages_is_chrome() -> None:
    chrome = SiteChrome({line_key(SENTENCE) or "": 40}, n_docs=50)
    assert chrome.is_chrome(SENTENCE)
    assert not SiteChrome({line_key(SENTENCE) or "": 5}, n_docs=500).is_chrome(SENTENCE)
