"""Fixtures of the fuzz tests: the seeds cut from the real files, a scratch folder, and hypothesis's CI profile.

The profile is derandomized (the same examples on every run, so CI is reproducible) and sized so that the whole
fuzz folder runs in well under a minute; ``COAUTHOR_FUZZ_EXAMPLES`` raises the examples per format locally.
``bench/fuzz_loaders.py`` is the long run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.strategies import FORMAT_NAMES, load_seeds

settings.register_profile(
    "fuzz-ci",
    max_examples=int(os.environ.get("COAUTHOR_FUZZ_EXAMPLES", "200")),
    derandomize=True,
    deadline=None,  # each input has its own time limit (oracle.run_loader), which also catches hangs
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@pytest.fixture(scope="session")
def seeds(shared_dir: Path) -> dict[str, list[tuple[str, bytes]]]:
    """Format -> [(seed name, bytes)] for every format; a format without seeds fails the run."""
    found = load_seeds(shared_dir)
    missing = sorted(set(FORMAT_NAMES) - set(found))
    assert not missing, f"no seed files for {missing} under {shared_dir}"
    return found


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the fuzz inputs of the session (each example overwrites its format's file)."""
    return tmp_path_factory.mktemp("fuzz")
