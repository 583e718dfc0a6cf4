"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's real data folder beside the repo (../shared)."""
    if not SHARED.is_dir():
        unavailable(f"{SHARED} is absent: the real-data tests need the shared folder beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def seed_page(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / "000_ee1a281679e517e5.txt"
