"""The ingest runner: idempotence, duplicates, errors named, and resume after a kill."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from corpus import body, page, write_corpus, write_jsonl
from legation.ingest.runner import ingest
from legation.ingest.sources import UsageError
from legation.store.export import export


def articles(db: Path) -> list[dict[str, object]]:
    import io

    buf = io.StringIO()
    export("articles", db=db, out=buf)
    return [json.loads(x) for x in buf.getvalue().splitlines()]


def snapshot(db: Path) -> str:
    """Everything a user sees of the articles, independent of insertion details."""
    return json.dumps(sorted(articles(db), key=lambda a: str(a["id"])), sort_keys=True)


def test_ingest_twice_changes_nothing(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    write_corpus(tmp_path / "in", 6)
    db = tmp_path / "db.duckdb"
    r1 = ingest([tmp_path / "in"], db=db, pipeline=pipeline)
    assert (r1.added, r1.exit_code) == (6, 0)
    before = snapshot(db)
    r2 = ingest([tmp_path / "in"], db=db, pipeline=pipeline)
    assert (r2.added, r2.already_stored) == (0, 6)
    assert snapshot(db) == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM site_docs").fetchone() == (0,)  # no site known: no memory
    con.close()


def test_ids_are_stable_and_content_derived(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    write_corpus(tmp_path / "a", 2)
    write_corpus(tmp_path / "b", 2)  # same pages under another folder
    db1, db2 = tmp_path / "1.duckdb", tmp_path / "2.duckdb"
    ingest([tmp_path / "a"], db=db1, pipeline=pipeline)
    ingest([tmp_path / "a"], db=db2, pipeline=pipeline)
    assert [a["id"] for a in articles(db1)] == [a["id"] for a in articles(db2)]
    # The copies elsewhere are new articles (new sources) flagged as exact duplicates.
    r = ingest([tmp_path / "b"], db=db1, pipeline=pipeline)
    assert (r.added, r.duplicates) == (2, 2)
    arts = articles(db1)
    originals = {a["id"] for a in arts if a["duplicate_of"] is None}
    assert len(originals) == 2
    assert all(a["duplicate_of"] in originals for a in arts if a["duplicate_of"])


def test_near_duplicate_with_other_chrome_and_an_edit(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    src.mkdir()
    text = body(7, paragraphs=6)
    (src / "a.txt").write_text(
        "Home\nWorld\n\nTalks resume\n\n" + text + "\n\nRelated Posts\n", encoding="utf-8"
    )
    edited = (
        text.replace("The", "THE", 1) + "\n\nThe ministry added that a further round is planned next month."
    )
    (src / "b.txt").write_text(
        "News\nSport\n\nTalks resume after pause\n\n" + edited + "\n\nLEAVE A REPLY\n", encoding="utf-8"
    )
    (src / "c.txt").write_text("Home\n\nOther story\n\n" + body(8, paragraphs=6) + "\n", encoding="utf-8")
    db = tmp_path / "db.duckdb"
    r = ingest([src], db=db, pipeline=pipeline)
    assert r.added == 3
    by_src = {Path(str(a["source"])).name: a for a in articles(db)}
    assert by_src["a.txt"]["duplicate_of"] is None
    assert by_src["b.txt"]["duplicate_of"] == by_src["a.txt"]["id"]
    assert by_src["c.txt"]["duplicate_of"] is None


def test_bad_inputs_are_named_and_the_rest_stored(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    write_corpus(src, 2)
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write_jsonl(src / "recs.jsonl", [{"id": "r1", "text": page(50)}])
    with open(src / "recs.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "r2", "text": \n')  # broken line 2
        fh.write(json.dumps({"id": "r3", "text": page(51), "published": "2024-03-01"}) + "\n")
        fh.write(json.dumps({"id": "r4"}) + "\n")
    (src / "notes.md").write_text("ignored: not an input type")
    db = tmp_path / "db.duckdb"
    r = ingest([src], db=db, pipeline=pipeline)
    msgs = sorted(str(e) for e in r.errors)
    assert r.exit_code == 1
    assert r.added == 4  # 2 pages + r1 + r3
    assert any("empty.txt" in m and "empty file" in m for m in msgs)
    assert any("binary.html" in m and "binary" in m for m in msgs)
    assert any("recs.jsonl (line 2)" in m and "invalid JSON" in m for m in msgs)
    assert any("recs.jsonl (line 4)" in m and "neither 'text' nor 'html'" in m for m in msgs)
    assert [p.name for p in r.ignored] == ["notes.md"]
    recs = {a["id"]: a for a in articles(db)}
    assert recs["r3"]["published"] == "2024-03-01" and recs["r3"]["published_basis"] == "record"


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        ingest([tmp_path / "nope"], db=tmp_path / "db.duckdb")


def test_record_metadata_wins(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    f = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {
                "id": "x1",
                "url": "https://www.example.org/a/1",
                "site": "Example Times",
                "title": "Given title",
                "published": "2024-11-04T09:30:00Z",
                "text": page(3),
            },
        ],
    )
    db = tmp_path / "db.duckdb"
    ingest([f], db=db, pipeline=pipeline)
    (a,) = articles(db)
    assert (a["id"], a["source"], a["site"], a["title"]) == (
        "x1",
        "https://www.example.org/a/1",
        "Example Times",
        "Given title",
    )
    assert (a["published"], a["published_basis"]) == ("2024-11-04", "record")


def test_site_memory_learns_chrome_across_pages(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    """A line on every page of a site is chrome there, even when it looks like prose."""
    promo = "Our newsletter brings you the most important stories of the day, every morning at seven."
    recs = [
        {"id": f"s{i}", "url": f"https://news.example.com/story/{i}", "text": body(100 + i) + "\n\n" + promo}
        for i in range(6)
    ]
    f = write_jsonl(tmp_path / "site.jsonl", recs)
    db = tmp_path / "db.duckdb"
    ingest([f], db=db, pipeline=pipeline)
    texts = [str(a["text"]) for a in articles(db)]
    assert len(texts) == 6
    assert all(promo not in t for t in texts)
    assert all("." in t and len(t) > 300 for t in texts)


def test_site_memory_adds_the_stored_pages_to_the_run(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    """A promo sentence on 2 stored pages and 2 new ones is on 4: chrome for the new ones.

    Prose needs 4 pages of its site, so neither run alone would call it chrome: the second run
    must count what the first one stored.
    """
    promo = "The harbour authority reopened the eastern pier to fishing boats after the winter repairs."

    def recs(start: int) -> list[dict[str, str]]:
        return [
            {
                "id": f"p{i}",
                "url": f"https://paper.example.com/story/{i}",
                "text": body(400 + i, 2) + "\n\n" + promo + "\n\n" + body(500 + i, 3),
            }
            for i in range(start, start + 2)
        ]

    db = tmp_path / "db.duckdb"
    ingest([write_jsonl(tmp_path / "first.jsonl", recs(0))], db=db, pipeline=pipeline)
    assert all(promo in str(a["text"]) for a in articles(db))
    ingest([write_jsonl(tmp_path / "second.jsonl", recs(2))], db=db, pipeline=pipeline)
    texts = {str(a["id"]): str(a["text"]) for a in articles(db)}
    assert [promo in texts[f"p{i}"] for i in range(4)] == [True, True, False, False]


CRASHER = textwrap.dedent("""
    import os, signal, sys
    from legation.store import db as dbmod
    from legation.ingest.runner import ingest
    n = {"commits": 0}
    real_insert = dbmod.Store.insert_minhash
    def insert(self, rows):
        real_insert(self, rows)
        # Die in the middle of the third batch's transaction, after its articles are inserted.
        if n["commits"] == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    real_commit = dbmod.Store.commit
    def commit(self):
        real_commit(self)
        n["commits"] += 1
    dbmod.Store.insert_minhash = insert
    dbmod.Store.commit = commit
    ingest([sys.argv[1]], db=sys.argv[2], workers=1, batch_size=5)
""")


def test_killed_ingest_resumes_to_the_same_result(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    recs = [{"id": f"k{i}", "url": f"https://wire.example.net/{i}", "text": page(200 + i)} for i in range(23)]
    recs.append({"id": "dup", "url": "https://copy.example.net/1", "text": page(205)})
    src.mkdir()
    write_jsonl(src / "feed.jsonl", recs)
    whole, crashed = tmp_path / "whole.duckdb", tmp_path / "crashed.duckdb"
    ingest([src], db=whole, pipeline=pipeline, batch_size=5)
    script = tmp_path / "crash.py"
    script.write_text(CRASHER)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    res = subprocess.run([sys.executable, str(script), str(src), str(crashed)], env=env, capture_output=True)
    assert res.returncode == -signal.SIGKILL, res.stderr.decode()[-2000:]
    con = duckdb.connect(str(crashed), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (10,)  # two whole batches, not 15
    con.close()
    r = ingest([src], db=crashed, pipeline=pipeline, batch_size=5)
    assert (r.added, r.already_stored) == (14, 10)
    assert snapshot(crashed) == snapshot(whole)


def test_two_workers_give_the_single_process_result(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    write_corpus(src, 14)
    recs = [{"id": f"w{i}", "url": f"https://site.example.org/{i}", "text": page(300 + i)} for i in range(10)]
    write_jsonl(src / "feed.jsonl", recs)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    ingest([src], db=one, pipeline=pipeline, batch_size=4)
    r = ingest([src], db=two, workers=2, batch_size=4)
    assert r.added == 24 and r.exit_code == 0
    assert snapshot(two) == snapshot(one)


def test_poison_records_are_named_and_the_good_ones_kept(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "poison.jsonl"
    good = "Ghanaian police arrested twelve opposition activists in Accra on Tuesday."
    lines = [
        "\ufeff" + json.dumps({"id": "g1", "text": good}),  # a byte-order mark before record 1
        json.dumps({"id": "g2", "text": good + " Two were freed.", "url": "http://[::1/oops"}),
        '{"id": "p1", "text": "x", "title": "\\ud800"}',  # a lone surrogate
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "g3", "text": "Kenyan police fire tear gas at protesters 📹"}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = ingest([src], db=tmp_path / "db.duckdb", pipeline=pipeline)
    msgs = [str(e) for e in r.errors]
    assert r.exit_code == 1 and r.added == 3, msgs
    assert any("(line 3)" in m and "surrogate" in m for m in msgs), msgs
    assert any("(line 4)" in m and "nested too deeply" in m for m in msgs), msgs
    ids = {a["id"] for a in articles(tmp_path / "db.duckdb")}
    assert ids == {"g1", "g2", "g3"}


def test_pipes_devices_and_broken_links_are_named_not_read(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in"
    write_corpus(src, 1)
    os.mkfifo(src / "stuck.txt")  # reading it would block forever
    (src / "gone.html").symlink_to(tmp_path / "missing.html")
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")  # reading it would never end
    r = ingest([src, zero], db=tmp_path / "db.duckdb", pipeline=pipeline)
    msgs = [str(e) for e in r.errors]
    assert r.added == 1 and r.exit_code == 1, msgs
    assert any("stuck.txt" in m and "named pipe" in m for m in msgs), msgs
    assert any("gone.html" in m and "broken symbolic link" in m for m in msgs), msgs
    assert any("zero.txt" in m and "device" in m for m in msgs), msgs


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_die_with_a_killed_ingest(tmp_path: Path) -> None:
    import time

    write_corpus(tmp_path / "in", 40)
    cmd = [
        sys.executable,
        "-m",
        "legation.cli",
        "ingest",
        str(tmp_path / "in"),
        "--db",
        str(tmp_path / "k.duckdb"),
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:  # spawned: resource tracker + workers
            workers = {
                c for c in _children(proc.pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()
            }
            time.sleep(0.2)
        assert len(workers) >= 2, "the workers never started"
        # Kill once the workers are at work (the model loaded: well over 300 MB each), so what
        # is measured is how long a working worker outlives its parent.
        while time.monotonic() < deadline and not all(_rss_mb(w) > 300 for w in workers):
            time.sleep(0.2)
        assert all(_rss_mb(w) > 300 for w in workers), "the workers never loaded the model"
        proc.kill()
        proc.wait(timeout=10)
        killed = time.monotonic()
        while time.monotonic() < killed + 10 and any(_alive(w) for w in workers):
            time.sleep(0.05)
        outlived = time.monotonic() - killed
        assert not any(_alive(w) for w in workers), "a worker outlived the killed ingest"
        assert outlived <= 2.0, f"workers outlived the killed ingest by {outlived:.1f} s"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_files_changed_between_the_passes_are_named_and_ids_stay_true(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legation.ingest import runner

    paths = write_corpus(tmp_path / "in", 12)
    real_plan = runner._plan

    def plan_then_change(*a, **k):  # type: ignore[no-untyped-def]
        got = real_plan(*a, **k)
        paths[3].unlink()  # deleted after the plan, before pass 2 reads it
        late = paths[7].read_text(encoding="utf-8") + "\n\nA late correction.\n"
        paths[7].write_text(late, encoding="utf-8")
        return got

    monkeypatch.setattr(runner, "_plan", plan_then_change)
    db = tmp_path / "x.duckdb"
    rep = ingest([tmp_path / "in"], db=db, workers=1)
    named = {Path(e.source).name: e.reason for e in rep.errors}
    assert set(named) == {paths[3].name, paths[7].name}, named
    assert "changed during the ingest" in named[paths[7].name]
    assert rep.added == 10
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT source, content_hash FROM articles").fetchall()
    finally:
        con.close()
    # every article is stored under its own file: the hash of what was read is that file's
    for source, digest in rows:
        assert hashlib.sha256(Path(source).read_text(encoding="utf-8").encode()).hexdigest() == digest
        assert Path(source).name not in (paths[3].name, paths[7].name)


def test_a_huge_body_is_cut_with_a_warning_not_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """spaCy refuses texts over 1,000,000 characters: the body is cut at a paragraph break
    (the character bound made small here, so the test runs in seconds)."""
    from legation.ingest.bounds import Bounds

    cap = 20_000
    paras = [body(i, paragraphs=3) for i in range(cap // 900 + 20)]  # distinct prose
    (tmp_path / "big.txt").write_text("Huge page\n\n" + "\n\n".join(paras), encoding="utf-8")
    assert len("\n\n".join(paras)) > cap
    db = tmp_path / "x.duckdb"
    rep = ingest([tmp_path / "big.txt"], db=db, workers=1, bounds=Bounds(max_chars=cap))
    assert rep.added == 1 and not rep.errors, [str(e) for e in rep.errors]
    con = duckdb.connect(str(db), read_only=True)
    try:
        length, warnings = con.execute("SELECT length(text), warnings FROM articles").fetchone()
    finally:
        con.close()
    assert cap // 2 < length <= cap
    stored = json.loads(warnings) if isinstance(warnings, str) else list(warnings)
    assert any("body cut at" in w for w in stored)
