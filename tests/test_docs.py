"""Docs that cannot drift: the command reference is the commands' own --help, and every command has help."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import cli_reference  # noqa: E402

from emiss.cli import cli  # noqa: E402


def test_docs_cli_md_is_the_current_help():
    assert cli_reference.DOC.read_text(encoding="utf-8") == cli_reference.render(), (
        "docs/cli.md is stale: run python tools/cli_reference.py")


@pytest.mark.parametrize("words", [w for w, _ in cli_reference.commands(cli)], ids=lambda w: " ".join(w))
def test_every_command_has_help_with_an_example(words, run):
    code, out, err = run(*words[1:], "--help")
    assert code == 0 and err == ""
    assert "Usage:" in out and "Examples:" in out
