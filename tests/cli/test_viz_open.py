"""`coauthor viz ... --open` run as a real process: the page goes to the browser named by $BROWSER."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph

FAKE_BROWSER = """#!/bin/sh
printf '%s\\n' "$@" >> "{log}"
"""


@pytest.fixture
def loaded(graph: Graph, neo4j_env: dict[str, str], seed_page: Path) -> Graph:
    result = CliRunner().invoke(cli, ["load", str(seed_page), "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output
    return graph


@pytest.fixture
def fake_browser(tmp_path: Path) -> tuple[Path, Path]:
    """A browser command that only appends its arguments to a log file: (the command, the log)."""
    log = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(FAKE_BROWSER.format(log=log), encoding="utf-8")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    return browser, log


def viz(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run `coauthor viz ARGS` in a fresh interpreter, so Python's browser registry reads this environment."""
    command = [sys.executable, "-m", "coauthor", "viz", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def browserless_env(neo4j_env: dict[str, str]) -> dict[str, str]:
    """This process's environment reaching the test server, with no display and no $BROWSER."""
    env = {key: value for key, value in os.environ.items() if key not in {"BROWSER", "DISPLAY", "WAYLAND_DISPLAY"}}
    return env | neo4j_env


def test_open_hands_the_written_page_to_the_browser(
    loaded: Graph, neo4j_env: dict[str, str], fake_browser, tmp_path: Path
):
    browser, log = fake_browser
    output = tmp_path / "ego.html"
    result = viz(
        browserless_env(neo4j_env) | {"BROWSER": str(browser)}, "ego", "Zishi Zhang", "-o", str(output), "--open"
    )
    assert result.returncode == 0, result.stderr
    assert log.read_text(encoding="utf-8") == f"{output.as_uri()}\n"
    assert "Collaboration network of Zishi Zhang" in output.read_text(encoding="utf-8")
    assert result.stderr == ""


def test_without_open_no_browser_starts(loaded: Graph, neo4j_env: dict[str, str], fake_browser, tmp_path: Path):
    browser, log = fake_browser
    result = viz(browserless_env(neo4j_env) | {"BROWSER": str(browser)}, "topics", "-o", str(tmp_path / "t.html"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.html").is_file() and not log.exists()


def test_open_without_any_browser_still_writes_the_page_and_warns(
    loaded: Graph, neo4j_env: dict[str, str], tmp_path: Path
):
    env = browserless_env(neo4j_env) | {"PATH": str(tmp_path / "empty")}  # no xdg-open, no text browser either
    output = tmp_path / "ego.html"
    result = viz(env, "ego", "Zishi Zhang", "-o", str(output), "--open")
    assert result.returncode == 0, result.stderr
    assert output.is_file()
    assert result.stderr == f"warning: no browser found to open {output}; set BROWSER to choose one\n"
