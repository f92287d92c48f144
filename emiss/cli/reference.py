"""Commands that show the shipped data: catalog, factors, presets."""

from __future__ import annotations

import os

import click

from emiss.errors import printable
from emiss.cli.app import CliError, EmissGroup, _error, cli, document_formats, emit, encode

NAMED_FILES = 5  # 'presets validate' names this many files with problems in its last line, then counts the rest


@cli.command(name="catalog")
@document_formats("view", "data")
def catalog_cmd(fmt: str) -> None:
    """List the generating units and GPUs that --turbine-model, presets and 'emiss cluster' know.

    \b
    Examples:
      emiss catalog
      emiss catalog --format json | jq '.units[] | {id, capacity, heat_rate}'
    """
    from emiss.inputs import catalog
    from emiss.report import commands

    emit(encode(commands.catalog_document(catalog.units(), catalog.gpus()), fmt))


@cli.command()
@click.option("--measured", is_flag=True, help="List the measured classes of monitored gas turbines (EPA eGRID, Part 75 "
              "CEMS) instead: units, heat-input-weighted P10/P50/P90 per control class and size band.")
@document_formats("view", "data", "rows")
def factors(fmt: str, measured: bool) -> None:
    """List the built-in emission-factor library and constants, each with unit, basis, source and status.

    \b
    Examples:
      emiss factors
      emiss factors --format json | jq '.factors[] | select(.pollutant == "nox")'
      emiss factors --measured
    """
    from emiss.report import commands

    if measured:
        from emiss.report import measured as mdoc

        emit(encode(mdoc.measured_document(), fmt))
        return
    emit(encode(commands.factors_document(), fmt))


@cli.group(cls=EmissGroup)
def presets() -> None:
    """List, show and check presets (TOML data files; a preset never runs code).

    \b
    Examples:
      emiss presets list
      emiss presets show memphis
      emiss presets validate my-site.toml
    """


@presets.command(name="list")
@document_formats("data", own=("table",))
def presets_list(fmt: str) -> None:
    """List the shipped presets.

    \b
    Examples:
      emiss presets list
      emiss presets list --format json
    """
    from emiss.inputs.presets import available, load
    from emiss.report import commands

    emit(encode(commands.preset_list_document([load(n) for n in available()]), fmt))


@presets.command(name="show")
@click.argument("name", metavar="NAME|PATH")
@document_formats("view", "data")
def presets_show(name: str, fmt: str) -> None:
    """Print a preset with every resolved value, its source and its range.

    \b
    Examples:
      emiss presets show memphis
      emiss presets show ./my-site.toml --format json
    """
    from emiss.inputs.scenario import scenario_from
    from emiss.report import commands

    emit(encode(commands.preset_document(scenario_from(name)), fmt))


@presets.command(name="validate")
@click.argument("paths", nargs=-1, required=True, metavar="FILE...")
def presets_validate(paths: tuple[str, ...]) -> None:
    """Check preset files and report every problem at once (exit 1 if any).

    \b
    Examples:
      emiss presets validate my-site.toml
      emiss presets validate presets/*.toml
    """
    from emiss.analysis.sites import site_problems
    from emiss.inputs.scenario import validate_preset

    bad: list[str] = []
    files: set[str] = set()  # each file once: 'a.toml ./a.toml' is one file, not two with problems
    for p in paths:
        same = os.path.realpath(p) if os.path.exists(p) else p
        if same in files:
            continue
        files.add(same)
        problems = site_problems(p)  # a site preset (presets/sites/, kind compute-site) as 'cluster --versus' reads it
        if problems is None:
            problems = validate_preset(p)
        if problems:
            bad.append(printable(p))
            for msg in problems:
                _error(msg)
        else:
            emit(f"{printable(p)}: ok\n")
    if bad:  # named as given: a problem names the file alone ('site.toml: ...'), which two folders may both hold
        named = ", ".join(bad[:NAMED_FILES]) + (f" and {len(bad) - NAMED_FILES} more" if len(bad) > NAMED_FILES else "")
        raise CliError(f"{len(bad)} of {len(files)} preset file(s) have problems: {named}", 1)

