"""The command line: parse options, call the library, print through the renderers. The only click user."""

from __future__ import annotations

import io
import os
import sys
from typing import Any, Callable

import click

from . import __version__
from .errors import EmissError

FORMATS = ("table", "json", "csv", "tsv", "ndjson", "markdown", "value")
POLLUTANT_IDS = ("nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2", "ch4", "n2o", "co2e")


class CliError(click.ClickException):
    """A one-line error with the exit code of the library error behind it."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class EmissGroup(click.Group):
    """A group that prints every error as one line on stderr and ends quietly on a closed pipe."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - click's signature
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _quiet_pipe()
            sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)


def _quiet_pipe() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run(fn: Callable[[], Any]) -> Any:
    """Call ``fn``, turning the library's errors into one-line CLI errors."""
    try:
        return fn()
    except EmissError as exc:
        raise CliError(str(exc), exc.exit_code) from None


def emit(text: str) -> None:
    """Write finished output to stdout in one piece."""
    sys.stdout.write(text)
    sys.stdout.flush()


def parse_factor_options(values: tuple[str, ...]) -> dict[str, str]:
    """Turn repeated POLLUTANT=QTY options into override keys."""
    out: dict[str, str] = {}
    for item in values:
        pol, sep, qty = item.partition("=")
        pol = pol.strip().lower()
        if not sep or not qty.strip():
            raise CliError(f"--factor: '{item}' must look like POLLUTANT=QTY, e.g. nox=\"2 ppmvd@15%O2\"", 2)
        if pol not in POLLUTANT_IDS:
            raise CliError(f"--factor: unknown pollutant '{pol}'; known: {', '.join(POLLUTANT_IDS)}", 2)
        out[f"factor.{pol}"] = qty.strip()
    return out


def parse_only(value: str | None) -> list[str] | None:
    """Turn --only nox,co into a list of pollutant ids."""
    if not value:
        return None
    ids = [v.strip().lower() for v in value.split(",") if v.strip()]
    for p in ids:
        if p not in POLLUTANT_IDS:
            raise CliError(f"--only: unknown pollutant '{p}'; known: {', '.join(POLLUTANT_IDS)}", 2)
    return ids


def scenario_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that describe a scenario (shared by every command that estimates)."""
    options = [
        click.option("--preset", metavar="NAME|PATH", help="A shipped preset (e.g. memphis) or a path to a .toml file."),
        click.option("--turbines", metavar="N", help="Number of identical units; with --capacity replaces the preset's fleet."),
        click.option("--capacity", metavar="QTY", help="Rated capacity per unit, e.g. '16.5 MW' or '2500 kW'."),
        click.option("--heat-rate", metavar="QTY", help="Heat rate, e.g. '9695 Btu/kWh', or an efficiency such as '35%'."),
        click.option("--heat-rate-basis", type=click.Choice(["lhv", "hhv"]), help="Basis of the heat rate (default lhv, as makers quote it)."),
        click.option("--capacity-factor", metavar="X", help="Fraction of the year at full load: 0.85 or '85%'."),
        click.option("--hours", metavar="QTY", help="Full-load operating hours per year, at most 8760 (e.g. 5000 or '5000 h')."),
        click.option("--control", type=click.Choice(["uncontrolled", "water-steam", "lean-premix"]), help="AP-42 Table 3.1-1 control level for turbines."),
        click.option("--factor", "factors", multiple=True, metavar="POLLUTANT=QTY", help="Emission factor, e.g. nox='2 ppmvd@15%O2', co2='53.06 kg/MMBtu', nox='0.3 lb/MWh'. Repeatable; applies to every unit."),
        click.option("--household-use", metavar="QTY", help="Electricity use per home per year (energy view), e.g. '10791 kWh/yr'."),
        click.option("--household-demand", metavar="QTY", help="Capacity per home (capacity view), e.g. '2 kW'."),
        click.option("--households-method", type=click.Choice(["energy", "capacity"]), help="Which household figure is the headline."),
        click.option("--hhv-lhv", metavar="X", help="HHV/LHV ratio of the fuel (default 1.108)."),
        click.option("--gwp", type=click.Choice(["AR4", "AR5", "AR6"], case_sensitive=False), help="GWP-100 set for co2e (default AR5)."),
    ]
    for opt in reversed(options):
        f = opt(f)
    return f


def overrides_from(kw: dict[str, Any]) -> dict[str, Any]:
    """Collect the scenario options a command received into override keys."""
    keys = ("turbines", "capacity", "heat_rate", "heat_rate_basis", "capacity_factor", "hours", "control",
            "household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "mass_unit")
    out = {k: kw.get(k) for k in keys if kw.get(k) is not None}
    out.update(parse_factor_options(kw.get("factors") or ()))
    return out


@click.group(cls=EmissGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="emiss", message="%(prog)s %(version)s")
def cli() -> None:
    """Estimate the emissions of on-site gas turbines and engines, with every assumption and source shown.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
    """


@cli.command()
@scenario_options
@click.option("--only", metavar="POLLUTANT[,POLLUTANT...]", help=f"Show only these pollutants ({', '.join(POLLUTANT_IDS)}).")
@click.option("--mass-unit", metavar="UNIT", help="Mass unit for emissions in machine formats (default short_ton; e.g. metric_ton, lb, kg).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
def estimate(fmt: str, only: str | None, **kw: Any) -> None:
    """Estimate annual emissions, energy, fuel and households for a fleet.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
      emiss estimate --turbines 15 --capacity "16.5 MW" --heat-rate "9695 Btu/kWh" --factor nox="2 ppmvd@15%O2"
      nox=$(emiss estimate --preset memphis --only nox --format value)
      emiss estimate --preset memphis --capacity-factor 60% --format csv
    """
    ids = parse_only(only)
    if fmt == "value" and (not ids or len(ids) != 1):
        raise CliError("--format value needs exactly one pollutant in --only, e.g. --only nox", 2)
    overrides = overrides_from({**kw, "mass_unit": kw.get("mass_unit")})
    from .calc import estimate as compute
    from .render import write
    from .scenario import scenario_from

    result = run(lambda: compute(scenario_from(kw.get("preset"), overrides)))
    buf = io.StringIO()
    run(lambda: write(result, fmt, buf, only=ids, color=None if sys.stdout.isatty() else False))
    emit(buf.getvalue())


def main() -> None:
    """Run the command line (the 'emiss' console script)."""
    cli(prog_name="emiss")
