"""The command line: parse options, call the library, print what the report layer builds.

The only package that imports click. ``app`` holds the group, parameter types, shared option groups and error
handling; each other module registers its commands on the group. Running the command line imports the module of
the command run (app.COMMAND_MODULES); ``emiss.cli.cli`` is the group with every command registered.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cli", "main"]


def main() -> None:
    """Run the command line (the 'emiss' console script)."""
    from emiss.cli.app import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "cli":
        from emiss.cli.app import cli

        cli.load()  # every command registered, as a program or a test that walks the group expects
        return cli
    raise AttributeError(f"module 'emiss.cli' has no attribute {name!r}")
