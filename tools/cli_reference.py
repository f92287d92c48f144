"""Write docs/cli.md, the command reference, from the commands' own --help (so the two cannot drift).

    python tools/cli_reference.py          # rewrite docs/cli.md
    python tools/cli_reference.py --check  # exit 1 if docs/cli.md is stale (the test suite does this)
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"


def commands(group, prefix=("emiss",)):
    """Yield (name words, command) for every command and sub-command, in the order of the help."""
    import click

    yield prefix, group
    if isinstance(group, click.Group):
        for name in group.list_commands(None):
            yield from commands(group.commands[name], prefix + (name,))


def render() -> str:
    """Return the Markdown reference: one section per command with its --help text."""
    from emiss.cli import cli

    runner = CliRunner()
    parts = ["# emiss command reference", "",
             "Generated from `--help` by `python tools/cli_reference.py`; a test fails when this file is stale.", ""]
    for words, _ in commands(cli):
        result = runner.invoke(cli, list(words[1:]) + ["--help"], prog_name="emiss", terminal_width=100,
                               env={"COLUMNS": "100"})
        parts += [f"## `{' '.join(words)}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
            print("docs/cli.md is stale: run python tools/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
