"""Commands that show the shipped data: catalog, factors, presets."""

from __future__ import annotations

import io

import click

from emiss.errors import printable
from emiss.cli.app import CliError, EmissGroup, _error, cli, emit, format_option, terminal


@cli.command(name="catalog")
@format_option("table", "json")
def catalog_cmd(fmt: str) -> None:
    """List the generating units and GPUs that --turbine-model, presets and 'emiss cluster' know.

    \b
    Examples:
      emiss catalog
      emiss catalog --format json | jq '.units[] | {id, capacity, heat_rate}'
    """
    from emiss.inputs import catalog
    from emiss.report import document as doc
    from emiss.report import render

    if fmt == "json":
        emit(render.json_text(doc.catalog_doc(catalog.units(), catalog.gpus())))
    else:
        emit(render.view_text(doc.catalog_view(catalog.units(), catalog.gpus()), terminal()))


@cli.command()
@click.option("--measured", is_flag=True, help="List the measured classes of monitored gas turbines (EPA eGRID, Part 75 "
              "CEMS) instead: units, heat-input-weighted P10/P50/P90 per control class and size band.")
@format_option("table", "json", "csv")
def factors(fmt: str, measured: bool) -> None:
    """List the built-in emission-factor library and constants, each with unit, basis, source and status.

    \b
    Examples:
      emiss factors
      emiss factors --format json | jq '.factors[] | select(.pollutant == "nox")'
      emiss factors --measured
    """
    from emiss.report import document as doc
    from emiss.report import render

    if measured:
        from emiss.report import measured as mdoc

        if fmt == "table":
            emit(render.view_text(mdoc.measured_view(), terminal()))
        elif fmt == "json":
            emit(render.json_text(mdoc.measured_rows()))
        else:
            buf = io.StringIO()
            render.write_rows(mdoc.measured_rows(), buf, "csv", mdoc.MEASURED_FIELDS)
            emit(buf.getvalue())
        return
    if fmt == "json":
        emit(render.json_text(doc.factors_doc()))
    elif fmt == "csv":
        rows = doc.factor_rows()
        buf = io.StringIO()
        render.write_rows(rows, buf, "csv", list(rows[0]))
        emit(buf.getvalue())
    else:
        emit(render.view_text(doc.factors_view(), terminal()))


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
@format_option("table", "json")
def presets_list(fmt: str) -> None:
    """List the shipped presets.

    \b
    Examples:
      emiss presets list
      emiss presets list --format json
    """
    from emiss.report import render
    from emiss.inputs.presets import available, load

    rows = [{"name": s.name, "title": s.title, "path": s.path} for s in (load(n) for n in available())]
    emit(render.json_text(rows) if fmt == "json" else "".join(f"{r['name']}\t{r['title']}\n" for r in rows))


@presets.command(name="show")
@click.argument("name", metavar="NAME|PATH")
@format_option("table", "json")
def presets_show(name: str, fmt: str) -> None:
    """Print a preset with every resolved value, its source and its range.

    \b
    Examples:
      emiss presets show memphis
      emiss presets show ./my-site.toml --format json
    """
    from emiss.report import document as doc
    from emiss.report import render
    from emiss.inputs.scenario import scenario_from

    sc = scenario_from(name)
    emit(render.json_text(doc.preset_doc(sc)) if fmt == "json" else render.view_text(doc.preset_view(sc), terminal()))


@presets.command(name="validate")
@click.argument("paths", nargs=-1, required=True, metavar="FILE...")
def presets_validate(paths: tuple[str, ...]) -> None:
    """Check preset files and report every problem at once (exit 1 if any).

    \b
    Examples:
      emiss presets validate my-site.toml
      emiss presets validate presets/*.toml
    """
    from emiss.inputs.scenario import validate_preset

    bad = 0
    for p in paths:
        problems = validate_preset(p)
        if problems:
            bad += 1
            for msg in problems:
                _error(msg)
        else:
            emit(f"{printable(p)}: ok\n")
    if bad:
        raise CliError(f"{bad} of {len(paths)} preset file(s) have problems", 1)

