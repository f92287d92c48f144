"""The command line: parse options, call the library, print what the report layer builds.

The only package that imports click. ``app`` holds the group, parameter types, shared option groups and error
handling; each other module registers its commands on the group. Running the command line imports the module of
the command run (app.COMMAND_MODULES); ``emiss.cli.cli`` is the group with every command registered.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cli", "main"]

# Python's cycle collector runs after every 700 allocations by default. Starting the command line (click, numpy, the
# emiss modules and their tables) allocates some hundreds of thousands of objects that live for the whole run and form
# no garbage cycles, yet the collector ran ~30 times over them (~11 ms of a one-record batch's start-up on the
# development machine, measured with gc.callbacks), and the interpreter's full collection at exit scanned them all once
# more (~12 ms more, finding nothing). Collecting every 20,000 allocations instead (a batch's record loop runs under
# it, cli/batch.py) skips the first; collecting the young generations at the end and freezing what is left, the second.
# Cycles are still collected while the command runs (memory stays flat) and the young ones at its end; only garbage
# that was already old when dropped waits for the process's end (none did, in the runs measured).
START_GC_THRESHOLD = 20_000


def main() -> None:
    """Run the command line (the 'emiss' console script)."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(START_GC_THRESHOLD, *before[1:])
    try:
        from emiss.cli.app import main as run

        run()
    except SystemExit:  # the process ends now (click ends every run so)
        gc.collect(1)  # the run's young garbage is collected (and finalised) as exit's collection would
        gc.freeze()  # what is left lives until exit anyway: exit's full collection need not scan it again
        raise
    finally:  # as it was (the command line may be run in-process)
        gc.set_threshold(*before)


def __getattr__(name: str) -> Any:
    if name == "cli":
        from emiss.cli.app import cli

        cli.load()  # every command registered, as a program or a test that walks the group expects
        return cli
    raise AttributeError(f"module 'emiss.cli' has no attribute {name!r}")
