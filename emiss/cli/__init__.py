"""The command line: parse options, call the library, print what the report layer builds.

The only package that imports click. ``app`` holds the group, parameter types, shared option groups and error
handling; each other module registers its commands on the group.
"""

from __future__ import annotations

from emiss.cli import analysis, batch, estimate, measured, reference, replay  # noqa: F401 - importing registers the commands
from emiss.cli.app import cli, main

__all__ = ["cli", "main"]
