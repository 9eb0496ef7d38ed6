"""Shared fixtures.

Tests that read ``../shared`` (seeds, gold, benchmarks) use the ``shared_dir`` fixture and are
skipped cleanly when it is absent, so the suite also runs from a bare clone.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LEGATION_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``../shared`` folder, or skip the test when it is not there."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"{SHARED} not present")
    return SHARED


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    """One loaded pipeline for the whole session (the model loads once)."""
    from legation.pipeline import Pipeline

    p = Pipeline()
    _ = p.is_word  # load now, not inside the first timed test
    return p


def load_module(path: Path, name: str) -> ModuleType:
    """Import a script that is not on the path (the shared scorer, a bench script) as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def score(shared_dir: Path) -> ModuleType:
    """``../shared/tools/score.py``, the scorer the project is measured with."""
    return load_module(shared_dir / "tools" / "score.py", "legation_shared_score")
