"""Shared helpers for the tests."""

from __future__ import annotations

import json
import os
import tempfile

import pytest
from click.testing import CliRunner

from emiss.cli import cli

# The suite starts about a hundred Python processes of this tree (`python -m emiss ...`, the README's commands) and
# one interpreter per xdist worker. Where the environment sets PYTHONDONTWRITEBYTECODE (this machine's image does),
# each of them compiled the whole package from source again (~0.4 s of CPU a process; ~11 s of the suite's 70 s in
# a fresh clone, measured 2026-12-07). Their byte code goes instead to a folder of its own outside the tree, so the
# tree stays as clean as that setting keeps it. Set here, before pytest-xdist starts its workers, so they and every
# process they start inherit it. Python checks a cached file against its source's time and size before using it.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    os.environ.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), f"emiss-test-pycache-{os.getuid()}"))

# Keep the tests' unit cache away from the user's.
os.environ.setdefault("EMISS_CACHE_DIR", tempfile.mkdtemp(prefix="emiss-test-cache-"))
# Tables are drawn at the CLI's default width whatever terminal (or test runner worker) the tests run in: a COLUMNS
# exported by a shell or set by pytest-xdist would re-wrap the text that tests look for.
os.environ.pop("COLUMNS", None)


@pytest.fixture
def run():
    """Invoke the CLI in-process; return (exit code, stdout, stderr)."""
    runner = CliRunner()

    def _run(*args: str):
        result = runner.invoke(cli, list(args), prog_name="emiss")
        return result.exit_code, result.stdout, result.stderr

    return _run


@pytest.fixture
def run_json(run):
    """Invoke the CLI with --format json and return the parsed document."""

    def _run(*args: str):
        code, out, err = run(*args, "--format", "json")
        assert code == 0, err
        return json.loads(out)

    return _run


@pytest.fixture
def preset_file(tmp_path):
    """Write a preset's TOML text to a file and return its path (a site made up for a test)."""

    def _write(text: str, name: str = "site.toml") -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return _write



@pytest.fixture
def track_log(run, tmp_path):
    """Write a log's CSV text to a file and run 'emiss track' on it with ``args``; return (exit code, stdout, stderr)."""

    def _track(text: str, *args: str):
        path = tmp_path / "log.csv"
        path.write_text(text)
        return run("track", str(path), *args)

    return _track
