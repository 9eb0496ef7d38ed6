"""Ingest on a Dask cluster: same exports as one process, bounded batches, clear errors."""

from __future__ import annotations

import io
import sys
from contextlib import nullcontext
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from corpus import page, write_corpus, write_jsonl
from legation.cli import main
from legation.ingest import executors as executors_mod
from legation.ingest import runner as runner_mod
from legation.ingest.runner import ingest
from legation.ingest.sources import UsageError
from legation.pipeline import PipelineConfig
from legation.store.export import export

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def exported(db: Path, kind: str) -> list[str]:
    buf = io.StringIO()
    export(kind, db=db, out=buf)
    return sorted(buf.getvalue().splitlines())


@pytest.mark.slow
def test_dask_local_gives_the_single_process_result(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed")
    src = tmp_path / "in"
    write_corpus(src, 6)
    recs = [{"id": f"d{i}", "url": f"https://site.example.org/{i}", "text": page(400 + i)} for i in range(4)]
    write_jsonl(src / "feed.jsonl", recs)
    paths = [src, EXAMPLES]
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    r1 = ingest(paths, db=one, pipeline=pipeline, batch_size=4)
    # Small batches: several are in flight at once, and must still be written in input order.
    r2 = ingest(paths, db=two, dask="local", workers=2, batch_size=4)
    assert r2.exit_code == r1.exit_code == 0
    assert (r2.added, r2.duplicates) == (r1.added, r1.duplicates) and r1.added >= 28
    for kind in ("articles", "events"):
        assert exported(two, kind) == exported(one, kind), kind
    assert exported(one, "events")  # the examples do yield events: the comparison means something


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import dask

    write_corpus(tmp_path / "in", 1)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        res = CliRunner().invoke(
            main,
            [
                "ingest",
                str(tmp_path / "in"),
                "--db",
                str(tmp_path / "d.duckdb"),
                "--dask",
                "tcp://127.0.0.1:1",
            ],
        )
    assert res.exit_code == 2, res.output
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:1" in res.stderr
    assert not (tmp_path / "d.duckdb").exists()  # failed before touching the database


def test_missing_dask_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    write_corpus(tmp_path / "in", 1)
    with pytest.raises(UsageError, match=r"pip install 'legation\[dask\]'"):
        ingest([tmp_path / "in"], db=tmp_path / "d.duckdb", dask="local")
    res = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "d.duckdb"), "--dask", "local"]
    )
    assert res.exit_code == 2
    assert "pip install 'legation[dask]'" in res.stderr


def test_dask_worker_loads_the_pipeline_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[PipelineConfig] = []

    class FakePipeline:
        def __init__(self, config: PipelineConfig) -> None:
            loaded.append(config)

    monkeypatch.setattr(executors_mod, "Pipeline", FakePipeline)
    monkeypatch.setattr(executors_mod, "process_one", lambda pipe, raw, aid, chrome: (pipe, aid))
    monkeypatch.setattr(executors_mod.DASK_PIPELINES, "cache", {}, raising=False)
    a, b = PipelineConfig(), PipelineConfig(extra={"actors": ["x.yaml"]})
    got = [executors_mod.dask_work((None, f"id{i}", None), c) for i, c in enumerate([a, a, b, a, b])]  # type: ignore[arg-type]
    assert loaded == [a, b]
    assert got[0][0] is got[1][0] is got[3][0] and got[2][0] is got[4][0]  # type: ignore[index]


def test_batch_loop_is_bounded_and_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the corpus size, at most three batches are out, and they are written in order."""
    written: list[int] = []
    out = 0
    peak = 0

    class Counting(executors_mod.Executor):
        def submit(self, batch):  # type: ignore[no-untyped-def]
            nonlocal out, peak
            out += 1
            peak = max(peak, out)
            return batch

        def result(self, handle):  # type: ignore[no-untyped-def]
            return handle

    def write(store, items, results, report) -> None:  # type: ignore[no-untyped-def]
        nonlocal out
        out -= 1
        written.extend(results)

    monkeypatch.setattr(runner_mod, "_write_batch", write)
    items = iter(range(1000))  # a generator: the loop must not materialise it
    done: list[int] = []
    store = SimpleNamespace(released=nullcontext)  # the loop lets go of the file around result()
    runner_mod._run_batches(Counting(), store, items, 7, None, 1000, lambda d, t: done.append(d))  # type: ignore[arg-type]
    assert written == list(range(1000))
    assert peak == 3
    assert done[-1] == 1000 and done == sorted(done)
