"""What starting the command line costs: modules a batch of CSV records does not need are not imported, and the cycle
collector does not rescan start-up's long-lived objects (issue 20: a CSV batch's time against a csv.reader loop)."""

from __future__ import annotations

import os
import subprocess
import sys

# Modules emiss once imported at every start though a CSV batch uses none of them once the unit cache is filled (each
# only where it is used now: pint's registry, writing the unit cache, a terminal's width, a published figure's last
# digit, a 'did you mean', a preset's or a data file's path as a pathlib.Path).
NOT_FOR_A_BATCH = ("logging", "tempfile", "shutil", "decimal", "difflib", "pathlib")


def test_a_csv_batch_does_not_import_what_only_other_commands_use(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,turbines,capacity,capacity_factor,factor.nox\n0,1,17577.950 kW,51.7349%,0.06442 lb/MMBtu\n",
                   encoding="utf-8")
    code = ("import atexit, sys; atexit.register(lambda: print(' '.join(sorted(m for m in %r if m in sys.modules)), "
            "file=sys.stderr)); sys.argv = ['emiss', 'batch', '--input', %r, '--format', 'csv']; "
            "from emiss.cli import main; main()") % (NOT_FOR_A_BATCH, str(src))
    env = {**os.environ, "EMISS_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env)  # fills the unit cache
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)  # a run like any other
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("\n") == 2  # the header and the one record
    assert r.stderr.splitlines()[-1] == ""  # none of them imported


def test_the_command_line_restores_the_collector_and_leaves_exit_nothing_to_rescan():
    # While it runs the collector collects every START_GC_THRESHOLD allocations; at the end the young garbage is
    # collected and what is left is frozen, so the interpreter's full collection at exit scans nothing; the thresholds
    # are as they were (main may run in-process), and the exit code is click's.
    code = ("import gc, sys; before = gc.get_threshold(); sys.argv = ['emiss', '--version']; from emiss.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n"
            "    print(gc.get_threshold() == before, gc.get_freeze_count() > 0, exc.code)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.splitlines()[-1] == "True True 0", r.stderr


def test_a_cycle_dropped_during_the_run_is_still_finalised():
    # the young generations are collected before the freeze: a cycle the run dropped is finalised as before
    code = ("import sys, gc\n"
            "class Cycle:\n    def __del__(self):\n        print('finalised', file=sys.stderr)\n"
            "import emiss.cli.app as app\nrun = app.main\n"
            "def main():\n    c = Cycle(); c.me = c; del c\n    run()\n"
            "app.main = main\nsys.argv = ['emiss', '--version']\nfrom emiss.cli import main as entry\nentry()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0 and "finalised" in r.stderr, r.stderr
