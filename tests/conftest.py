"""Shared fixtures.

Tests that read ``../shared`` (seeds, gold, benchmarks) use the ``shared_dir`` fixture and are
skipped cleanly when it is absent, so the suite also runs from a bare clone.
"""

from __future__ import annotations

import os
from pathlib import Path

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
