"""Shared helpers for the tests."""

from __future__ import annotations

import compileall
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import emiss
from emiss.cli import cli

# Keep the tests' unit cache away from the user's.
os.environ.setdefault("EMISS_CACHE_DIR", tempfile.mkdtemp(prefix="emiss-test-cache-"))
# Tables are drawn at the CLI's default width whatever terminal (or test runner worker) the tests run in: a COLUMNS
# exported by a shell or set by pytest-xdist would re-wrap the text that tests look for.
os.environ.pop("COLUMNS", None)


def pytest_configure(config):
    """Compile emiss to bytecode once, before any test worker starts, where the environment says not to write it.

    The tests start emiss in a child process some 80 times (the README's commands, signals, closed pipes, cold-start
    imports). Under PYTHONDONTWRITEBYTECODE a child run from a source tree compiles every module it imports afresh,
    ~0.1 s of CPU each time; compiled once here, the children read the bytecode (reading it is still allowed), as an
    installed emiss does. The files are checked against their sources, so an edited module is compiled again."""
    if sys.dont_write_bytecode and not hasattr(config, "workerinput"):  # workerinput: a pytest-xdist worker
        compileall.compile_dir(Path(emiss.__file__).parent, quiet=2)  # a tree it cannot write: silently left as it is


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

