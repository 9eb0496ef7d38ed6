"""Bad-input cases of the file system and of single-article files (.txt, .html)."""

# ruff: noqa: E501  (one case a line: the table reads best unwrapped)

from __future__ import annotations

import os
import random
import zlib
from pathlib import Path

import pytest

from bad_inputs import (
    GOOD_1,
    MAX_BYTES,
    NEWS,
    Builder,
    Built,
    Case,
    Expect,
    bad_file,
    good_file,
    is_root,
    page_html,
    simulate_denied,
)


def _fifo(explicit: bool) -> Builder:
    def build(folder: Path, scratch: Path) -> Built:
        path = (scratch if explicit else folder) / "stuck.txt"
        os.mkfifo(path)  # opening it for reading would wait for a writer forever
        return Built([Expect("stuck.txt", "named pipe")], [path] if explicit else [])

    return build


def _link(target: str, reason: str, explicit: bool, name: str = "link.txt") -> Builder:
    def build(folder: Path, scratch: Path) -> Built:
        path = (scratch if explicit else folder) / name
        path.symlink_to(target if target != "self" else path)
        return Built([Expect(name, reason)], [path] if explicit else [])

    return build


def _folder_cycle(folder: Path, scratch: Path) -> Built:
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a loop if followed
    (folder / "sub" / "item.txt").write_text(GOOD_1.replace("Senegal", "Gambia"), encoding="utf-8")
    return Built(stored=1)


def _denied_file(monkeypatch: pytest.MonkeyPatch) -> Builder:
    def build(folder: Path, scratch: Path) -> Built:
        path = folder / "secret.txt"
        path.write_text(GOOD_1.replace("Mauritania", "Guinea"), encoding="utf-8")
        if is_root():
            simulate_denied(monkeypatch, path)
        else:
            path.chmod(0)
        return Built([Expect("secret.txt", "permission denied")])

    return build


def _denied_folder(monkeypatch: pytest.MonkeyPatch) -> Builder:
    def build(folder: Path, scratch: Path) -> Built:
        sub = folder / "private"
        sub.mkdir()
        (sub / "hidden.txt").write_text(GOOD_1.replace("Mauritania", "Mali"), encoding="utf-8")
        if is_root():
            simulate_denied(monkeypatch, sub)
        else:
            sub.chmod(0)
        return Built([Expect("private", "cannot list the folder: permission denied")])

    return build


def _undecodable_name(folder: Path, scratch: Path) -> Built:
    path = Path(os.fsdecode(bytes(folder) + b"/bad\xffname.txt"))
    path.write_text(GOOD_1.replace("Friday", "Saturday"), encoding="utf-8")
    return Built([Expect("bad\\xffname.txt", "file name is not valid UTF-8")])


def _long_name(folder: Path, scratch: Path) -> Built:
    (folder / ("n" * 246 + ".txt")).write_text(GOOD_1.replace("four", "six"), encoding="utf-8")
    return Built(stored=1)


def _dir_named_like_file(explicit: bool) -> Builder:
    def build(folder: Path, scratch: Path) -> Built:
        odd = (scratch if explicit else folder) / "x.txt"
        odd.mkdir()
        (odd / "inner.html").write_text(page_html(3), encoding="utf-8")
        return Built(paths=[odd] if explicit else [], stored=1)

    return build


def _twice(folder: Path, scratch: Path) -> Built:
    return Built(paths=[folder / "good1.txt", folder / "good1.txt"])  # stored once, no error


def _race(change: str) -> Builder:
    """A file changed between the plan pass and the second pass (the race, made deterministic)."""

    def build(folder: Path, scratch: Path) -> Built:
        path = folder / "late.txt"
        path.write_text(GOOD_1.replace("Friday", "Thursday"), encoding="utf-8")

        def race() -> None:
            if change == "delete":
                path.unlink()
            elif change == "modify":
                path.write_text(path.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
            elif change == "fifo":
                path.unlink()
                os.mkfifo(path)
            else:  # grown over the byte bound
                path.write_text("word " * (MAX_BYTES // 4), encoding="utf-8")

        reason = {
            "delete": "no such file.*changed since; not stored",
            "modify": "changed during the ingest",
            "fifo": "named pipe.*changed since",
            "grow": "over the byte bound.*changed since",
        }[change]
        return Built([Expect("late.txt", reason)], race=race)

    return build


def _utf16_no_bom(codec: str) -> bytes:
    return GOOD_1.replace("Friday", "Sunday").encode(codec)


def _mixed_encodings() -> bytes:
    text = GOOD_1.replace("Officials", "Officials in Saint-Louis, “the old capital”,")
    head, tail = text[: len(text) // 2], text[len(text) // 2 :]
    return head.encode("utf-8") + tail.replace("months", "mois — à revoir").encode("cp1252")


def _garbage(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _nested_divs() -> str:
    return "<html><body>" + "<div>" * 100_000 + f"<p>{NEWS[0]}</p>" + "</div>" * 100_000 + "</body></html>"


def _big_html(chars: int) -> str:
    paragraphs = "".join(f"<p>{NEWS[i % len(NEWS)]} Paragraph {i}.</p>\n" for i in range(chars // 90))
    return f"<html><body><article>{paragraphs}</article></body></html>"


def file_cases(monkeypatch: pytest.MonkeyPatch) -> list[Case]:
    """The cases; ``monkeypatch`` for the two that simulate a permission error under root."""
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + _garbage(3000, 1)
    png = b"\x89PNG\r\n\x1a\n" + _garbage(3000, 2)
    return [
        # --- the file system
        ("FIFO inside a folder", _fifo(explicit=False)),
        ("FIFO given explicitly", _fifo(explicit=True)),
        ("symlink to /dev/zero inside a folder", _link("/dev/zero", "a device", explicit=False)),
        ("symlink to /dev/zero given explicitly", _link("/dev/zero", "a device", explicit=True)),
        ("broken symlink inside a folder", _link("/nonexistent/x", "broken symbolic link", False)),
        ("broken symlink given explicitly", _link("/nonexistent/x", "broken symbolic link", True)),
        ("symlink loop inside a folder", _link("self", "symbolic link loop", explicit=False)),
        ("symlinked folder cycle", _folder_cycle),
        ("unreadable file", _denied_file(monkeypatch)),
        ("unreadable subfolder", _denied_folder(monkeypatch)),
        ("file name holding byte 0xFF", _undecodable_name),
        ("very long file name", _long_name),
        ("folder named like a file, inside a folder", _dir_named_like_file(explicit=False)),
        ("folder named like a file, given explicitly", _dir_named_like_file(explicit=True)),
        ("unsupported file given explicitly", bad_file("notes.pdf", pdf, "unsupported file type", explicit=True)),
        ("gzipped text given explicitly", bad_file("page.txt.gz", zlib.compress(b"x"), "unsupported", explicit=True)),
        ("same file given twice", _twice),
        ("file deleted between plan and read", _race("delete")),
        ("file modified between the passes", _race("modify")),
        ("file replaced by a FIFO between the passes", _race("fifo")),
        ("file grown over the byte bound between the passes", _race("grow")),
        # --- content of a .txt or .html file
        ("empty file", bad_file("empty.txt", b"", "empty file")),
        ("whitespace-only file", bad_file("blank.txt", b" \n\t\r\n  \n", "empty file")),
        ("binary garbage named .txt", bad_file("noise.txt", _garbage(5000, 3), "binary content")),
        ("PDF bytes named .html", bad_file("report.html", pdf, "binary content")),
        ("PNG bytes named .html", bad_file("photo.html", png, "binary content")),
        ("ZIP archive named .txt", bad_file("archive.txt", b"PK\x03\x04" + _garbage(500, 4), "binary content")),
        ("NUL bytes in a text", bad_file("nul.txt", GOOD_1.replace("\n\n", "\n\x00\x00\n"), "binary content")),
        ("control characters flood", bad_file("ctl.txt", "\x01\x02\x03\x04 ok " * 500, "binary content")),
        ("UTF-16-LE without BOM", good_file("utf16le.txt", _utf16_no_bom("utf-16-le"))),
        ("UTF-16-BE without BOM", good_file("utf16be.txt", _utf16_no_bom("utf-16-be"))),
        ("UTF-16 with BOM", good_file("utf16.txt", _utf16_no_bom("utf-16"))),
        ("mixed encodings (UTF-8 and cp1252)", good_file("mixed.txt", _mixed_encodings(), warning="encoding")),
        ("text over the byte bound", bad_file("huge.txt", GOOD_1 * (MAX_BYTES // len(GOOD_1) + 2), "over the byte bound")),
        ("huge single line", bad_file("line.txt", "word " * (MAX_BYTES // 3), "over the byte bound")),
        ("long single line under the bound", good_file("oneline.txt", " ".join(NEWS * 12))),
        ("title line only", bad_file("title.txt", "Only a headline here\n", "no article text")),
        ("site chrome only", bad_file("chrome.txt", "Home | News | Sport\nSubscribe\nLog in\n© 2025\n", "no article")),
        ("HTML with no body", bad_file("nobody.html", "<html><head><title>T</title></head></html>", "no article")),
        ("HTML of scripts and styles only", bad_file("js.html", "<html><script>var a=1;</script><style>p{}</style></html>", "no article")),
        ("HTML nested 100k divs", bad_file("divs.html", _nested_divs(), "no article text")),
        ("HTML truncated mid-tag", good_file("cut.html", page_html(4)[:-40] + "<p cla")),
        ("HTML declaring a wrong charset", good_file("charset.html", page_html(5).replace("<head>", '<head><meta charset="utf-16">'))),
        ("HTML with an entity-expansion DOCTYPE", good_file("entities.html", '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + page_html(6).replace("<p>", "<p>&b;", 1))),
        ("HTML over the markup bound", _markup_bound),
    ]  # fmt: skip


def _markup_bound(folder: Path, scratch: Path) -> Built:
    (folder / "long.html").write_text(_big_html(60_000), encoding="utf-8")
    return Built(
        [Expect("long.html", "HTML too large for the extractor")], args=["--max-html-chars", "50000"]
    )
