"""The replay command: run a --manifest again and say whether every number matches."""

from __future__ import annotations

import json
import sys

import click

from emiss.cli.app import CliError, cli, emit
from emiss.errors import printable


def _no_constant(name: str) -> float:
    """Refuse NaN and Infinity, which Python's json reads but JSON has not (emiss writes them with allow_nan=False): a
    number that is none would be compared as one, and written back by --format json, which cannot encode it."""
    raise ValueError(f"'{name}' is not a JSON number")


def _read(path: str) -> bytes:
    """Return the bytes of the manifest ``path``, or of standard input for '-' (as batch's --input reads it)."""
    if path == "-":
        if sys.stdin is None:
            raise CliError("replay: standard input is closed; give RUN.json", 1)
        return getattr(sys.stdin, "buffer", sys.stdin).read()
    with open(path, "rb") as fh:
        return fh.read()


@cli.command()
@click.argument("manifest_path", metavar="RUN.json")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
def replay(manifest_path: str, fmt: str) -> None:
    """Run a manifest again (emiss estimate --manifest RUN.json; '-' reads standard input) and check every number.

    Re-builds the scenario from the manifest's recipe (the preset and the options as given), runs it with the
    same samples and seed, and compares: the manifest's own inputs_sha256, the emiss version, each data file's
    hash, the inputs, and every number. Exit 0 when everything matches, 1 otherwise (each difference named).

    \b
    Examples:
      emiss estimate --preset memphis --manifest run.json > /dev/null
      emiss replay run.json
      emiss replay - < run.json
      emiss replay run.json --format json | jq .changed
    """
    from emiss.report.render import json_text
    from emiss.report.replay import replay as run_again, replay_doc, replay_text

    try:
        # a byte-order mark, as some editors save one, is allowed (as presets and batch input allow it)
        m = json.loads(_read(manifest_path).decode("utf-8-sig"), parse_constant=_no_constant)
    except OSError as exc:
        raise CliError(f"replay: cannot read '{printable(manifest_path)}': {exc.strerror or exc}", 1) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CliError(f"replay: '{printable(manifest_path)}' is not JSON: {exc}", 1) from None
    except RecursionError:  # '[[[[...' deeper than Python's stack: a traceback from the JSON decoder
        raise CliError(f"replay: '{printable(manifest_path)}' is not JSON: nested too deeply", 1) from None
    if not isinstance(m, dict):
        raise CliError(f"replay: '{printable(manifest_path)}' is not a run manifest (a JSON object)", 1)
    rp = run_again(m)
    emit(json_text(replay_doc(manifest_path, rp)) if fmt == "json" else replay_text(printable(manifest_path), rp))
    if not rp.matches:
        raise click.exceptions.Exit(1)
