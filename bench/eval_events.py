"""Score the event coder on the seed pages (dev tool; not part of the product).

Ingests ``../shared/seeds`` into a temporary database with :class:`EventStage` appended to the
pipeline (without editing ``pipeline.py``: the stage is added by wrapping ``Pipeline.__init__``
when the lead has not registered it yet), exports articles and events, and runs the shared
scorer. Usage: ``.venv/bin/python bench/eval_events.py [--show]``.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def main() -> int:
    from legation import pipeline as pl
    from legation.cli import main as cli_main
    from legation.events.stage import EventStage

    orig = pl.Pipeline.__init__

    def patched(self: pl.Pipeline, *a: object, **k: object) -> None:
        orig(self, *a, **k)  # type: ignore[arg-type]
        if not any(getattr(s, "name", "") == "events" for s in self.stages):
            self.stages.append(EventStage(self))

    pl.Pipeline.__init__ = patched  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "e.duckdb")
        for args in (["ingest", str(SHARED / "seeds"), "--db", db, "--workers", "1"],):
            with contextlib.suppress(SystemExit):
                cli_main(args)
        out = {}
        for kind in ("articles", "events"):
            path = Path(tmp) / f"{kind}.jsonl"
            with contextlib.suppress(SystemExit):
                cli_main(["export", kind, "--db", db, "-o", str(path)])
            out[kind] = path
        res = subprocess.run(
            [
                sys.executable,
                str(SHARED / "tools" / "score.py"),
                "events",
                "--gold",
                str(SHARED / "gold" / "seeds.events.jsonl"),
                "--pred",
                str(out["events"]),
                "--articles",
                str(out["articles"]),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(res.stdout)
        print({k: v for k, v in r.items() if not isinstance(v, list)})
        if "--show" in sys.argv:
            for m in r["missed"]:
                print("MISSED", m["doc"][:3], m["id"], m["types"], m["evidence"][:90])
            for w in r["unmatched_system_events"]:
                print("WRONG ", w["doc"][:3], w["event"], w["actor"], w["recipient"], w["sentence"][:110])
            if "--all" in sys.argv:
                for line in out["events"].read_text().splitlines():
                    e = json.loads(line)
                    print(
                        "EV",
                        e["event"],
                        [p["code"] for p in e["actor"]],
                        [p["code"] for p in e["recipient"]],
                        e["aux"],
                        e["date"],
                        e["rule"],
                        e["text_info"]["sentence"][:80],
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
