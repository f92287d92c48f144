"""The command line: parse options, call the library, print what ``document`` builds through ``render``.

The only module that imports click. Option groups are declared once (from the field table) and shared
by every command; library errors become one line on stderr and an exit code in one place.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import sys
from typing import Any, Callable, Iterator

import click

from . import __version__
from .data import POLLUTANTS
from .errors import EmissError, printable
from .fields import FIELDS, check_text, factor_key

POLLUTANT_IDS = POLLUTANTS
FORMATS = ("table", "json", "csv", "tsv", "ndjson", "markdown", "value", "methods")


class CliError(click.ClickException):
    """A one-line error with its own exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# ---- parameter types: values are checked where they enter --------------------------------------------

class FieldValue(click.ParamType):
    """A value of one scenario field (quantity, fraction, count), checked with the field's validator; ranges allowed."""

    name = "value"

    def __init__(self, field: str) -> None:
        self.field = field

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        where = param.opts[0] if param is not None else FIELDS[self.field].option
        try:
            return check_text(self.field, str(value), where=where)
        except EmissError as exc:
            raise CliError(str(exc), exc.exit_code) from None


class PollutantValue(click.ParamType):
    """POLLUTANT=QTY: a pollutant id and a quantity (checked as a factor unless ``factor`` is False)."""

    name = "pollutant=qty"

    def __init__(self, *, factor: bool = True, example: str = "nox=\"2 ppmvd@15%O2\"") -> None:
        self.factor = factor
        self.example = example

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, tuple):
            return value
        opt = param.opts[0] if param is not None else "--factor"
        pol, sep, qty = str(value).partition("=")
        pol, qty = pol.strip().lower(), qty.strip()
        if not sep or not qty:
            raise CliError(f"{opt}: '{value}' must look like POLLUTANT=QTY, e.g. {self.example}", 2)
        if pol not in POLLUTANT_IDS:
            raise CliError(f"{opt}: unknown pollutant '{pol}'; known: {', '.join(POLLUTANT_IDS)}", 2)
        if self.factor:
            from .dist import split_range
            from .factors import parse_factor

            try:
                for part in split_range(qty) or [qty]:
                    parse_factor(pol, part, where=f"{opt} {pol}", source="", status="user", layer="cli")
            except EmissError as exc:
                raise CliError(str(exc) if exc.where else f"{opt} {pol}: {exc}", 2) from None
        return pol, qty


class PollutantList(click.ParamType):
    """A comma-separated list of pollutant ids."""

    name = "pollutants"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, list):
            return value
        ids = [v.strip().lower() for v in str(value).split(",") if v.strip()]
        for p in ids:
            if p not in POLLUTANT_IDS:
                raise CliError(f"--only: unknown pollutant '{p}'; known: {', '.join(POLLUTANT_IDS)}", 2)
        if not ids:
            raise CliError(f"--only: give one or more of {', '.join(POLLUTANT_IDS)}", 2)
        return ids


class EmissCommand(click.Command):
    """A command whose single-valued options may be given only once (a repeat is an error, not a silent overwrite)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        single = {o: p for p in self.params if isinstance(p, click.Option) and not p.multiple and not p.count
                  for o in p.opts if o.startswith("--")}
        seen: dict[str, str] = {}
        repeated = ""
        for a in args:
            if a == "--":
                break
            name = a.split("=", 1)[0]
            if name in single:
                key = single[name].name or name
                if key in seen and not repeated:
                    repeated = name
                seen[key] = name
        rest = super().parse_args(ctx, args)  # a bad value is reported first, as it would be alone
        if repeated:
            raise click.UsageError(f"{repeated} is given more than once; give it once (emiss never keeps one silently)")
        return rest


class EmissGroup(click.Group):
    """A group that prints every error as one line on stderr, turns library errors into exit codes, and ends quietly on a closed pipe."""

    command_class = EmissCommand
    group_class = type  # subgroups are EmissGroups too

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - click's signature
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            _flush_or_quiet()
            sys.exit(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message(), err=True)  # a command is missing: show the help, not an error line
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _error(exc.format_message())
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            _error("interrupted", prefix="Aborted: ")
            sys.exit(130)  # 128 + SIGINT, the shell convention for an interrupted command
        except BrokenPipeError:
            _quiet_pipe()
            sys.exit(0)
        except OSError as exc:  # writing the output failed (a full disk, /dev/full)
            _quiet_pipe()
            _error(f"cannot write the output: {exc.strerror or exc}")
            sys.exit(1)
        _flush_or_quiet()
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; the library's errors become one-line errors with their exit code."""
        try:
            return super().invoke(ctx)
        except EmissError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        except BrokenPipeError:
            _quiet_pipe()
            raise click.exceptions.Exit(0) from None


def _error(message: str, *, prefix: str = "Error: ") -> None:
    try:
        sys.stderr.write(prefix + printable(message).replace("\n", " ") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _flush_or_quiet() -> None:
    """Flush stdout now, so that a failure to write (a full disk) is reported, not lost at exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _quiet_pipe()
    except OSError as exc:
        _quiet_pipe()
        _error(f"cannot write the output: {exc.strerror or exc}")
        sys.exit(1)


def _quiet_pipe() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def emit(text: str) -> None:
    """Write finished output to stdout in one piece."""
    sys.stdout.write(text)
    sys.stdout.flush()


def terminal() -> Any:
    """Decide what stdout can show: colour on a real terminal (not with NO_COLOR), its width, ASCII if it must."""
    from .render import MIN_WIDTH, TABLE_WIDTH, Terminal

    tty = _isatty(sys.stdout)
    env = os.environ.get("COLUMNS", "")
    given = int(env) if env.strip().isdigit() and int(env) >= MIN_WIDTH else None
    width = shutil.get_terminal_size((given or TABLE_WIDTH, 24)).columns if tty else (given or TABLE_WIDTH)
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\u2500\u00e9".encode(encoding)
        ascii_only = False
    except (UnicodeEncodeError, LookupError):
        ascii_only = True
    return Terminal(color=tty and not os.environ.get("NO_COLOR"), bold=tty, width=max(width, MIN_WIDTH), ascii=ascii_only)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# ---- option groups, declared once ---------------------------------------------------------------------

def _field_option(name: str, *, multiple: bool = False, help_suffix: str = "", option: str | None = None) -> Callable[..., Any]:
    f = FIELDS[name]
    kwargs: dict[str, Any] = {"help": f.help + help_suffix, "multiple": multiple}
    if f.choices:
        kwargs["type"] = click.Choice(f.choices, case_sensitive=False)
    else:
        kwargs["type"] = FieldValue(name)
        kwargs["metavar"] = f.metavar
    return click.option(option or f.option, name, **kwargs)


SCENARIO_FIELDS = ("turbine_model", "turbines", "capacity", "heat_rate", "heat_rate_basis", "capacity_factor", "hours",
                   "ambient", "load", "control", "engine_type", "household_use", "household_demand", "households_method",
                   "hhv_lhv", "gwp", "methane_basis", "area")


def scenario_options(*, multiple: bool = False, fields: tuple[str, ...] = SCENARIO_FIELDS, preset: bool = True) -> Callable[..., Any]:
    """Return a decorator adding the options that describe a scenario (as variations, one column each, when ``multiple``)."""
    suffix = " A variation per value." if multiple else ""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        options = []
        if preset:
            options.append(click.option("--preset", metavar="NAME|PATH", help="A shipped preset (e.g. memphis) or a path to a .toml file."))
        options += [_field_option(name, multiple=multiple, help_suffix=suffix) for name in fields]
        options.append(click.option(
            "--factor", "factors", multiple=True, type=PollutantValue(), metavar="POLLUTANT=QTY",
            help="Emission factor, e.g. nox='2 ppmvd@15%O2', co2='53.06 kg/MMBtu', nox='0.3 lb/MWh'. Repeatable; applies to every "
                 "unit. Numbers may be ranges: LOW..HIGH or LOW..MODE..HIGH." + suffix))
        for opt in reversed(options):
            f = opt(f)
        return f

    return decorate


def format_option(*choices: str, default: str = "table") -> Callable[..., Any]:
    """Return the --format option with the encodings a command offers."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format.")


def only_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --only POLLUTANT[,POLLUTANT...]."""
    return click.option("--only", type=PollutantList(), metavar="POLLUTANT[,POLLUTANT...]",
                        help=f"Show only these pollutants ({', '.join(POLLUTANT_IDS)}).")(f)


def mass_unit_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --mass-unit."""
    return click.option("--mass-unit", "mass_unit", metavar="UNIT", help=FIELDS["mass_unit"].help)(f)


def overrides_from(kw: dict[str, Any]) -> dict[str, Any]:
    """Collect the scenario options a command received into override keys (field name or factor.<pollutant>)."""
    out = {k: kw.get(k) for k in FIELDS if kw.get(k) not in (None, ())}
    for pol, qty in kw.get("factors") or ():
        if factor_key(pol) in out:
            raise CliError(f"--factor: {pol} is given more than once; give it once", 2)
        out[factor_key(pol)] = qty
    return out


def _scenario(kw: dict[str, Any]) -> Any:
    from dataclasses import replace

    from .permit import parse_limit
    from .scenario import scenario_from

    sc = scenario_from(kw.get("preset"), overrides_from(kw))
    extra = tuple(parse_limit(p, q, where="--limit") for p, q in kw.get("limits") or ())
    return replace(sc, limits=sc.limits + extra) if extra else sc


def limit_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --limit POLLUTANT=QTY (repeatable): a permit limit to compare with."""
    return click.option("--limit", "limits", multiple=True, type=PollutantValue(factor=False, example="nox=87tpy"),
                        metavar="POLLUTANT=QTY", help="A permit limit to compare with, in tpy, lb/h, lb/MMBtu or ppmvd@15%O2, "
                        "e.g. nox='87 tpy'. Repeatable; adds to a preset's [[limits]].")(f)


def report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --html FILE (a self-contained page), --chart FILE.svg|.png and --xlsx FILE."""
    for opt in reversed((
        click.option("--html", "html_path", metavar="FILE", help="Also write a self-contained HTML report (no network): the finding, charts, tables, sources."),
        click.option("--chart", "chart_path", metavar="FILE.svg|.png", help="Also draw the chart as SVG or PNG."),
        click.option("--xlsx", "xlsx_path", metavar="FILE", help="Also write a spreadsheet: one sheet per table, numbers as numbers."),
    )):
        f = opt(f)
    return f


def _reports(kw: dict[str, Any], *, title: str, view: Any, finding: str = "", figures: Any = (),
             charts: Callable[[], list[tuple[Any, str]]] = lambda: [], sheets: Callable[[], dict[str, Any]] | None = None) -> None:
    """Write the --html, --chart and --xlsx files a command was asked for (each a one-line error if it cannot)."""
    html_path, chart_path, xlsx_path = kw.pop("html_path", None), kw.pop("chart_path", None), kw.pop("xlsx_path", None)
    for path, opt in ((html_path, "--html"), (chart_path, "--chart"), (xlsx_path, "--xlsx")):
        if path == "-":
            raise CliError(f"{opt}: '-' would mix it into the results on stdout; give a file name", 2)
    if chart_path and not chart_path.lower().endswith((".svg", ".png")):
        raise CliError(f"--chart: '{printable(chart_path)}' must end in .svg or .png", 2)
    if xlsx_path and sheets is None:
        raise CliError("--xlsx: this command has no spreadsheet", 2)
    if not (html_path or chart_path or xlsx_path):
        return
    from . import __version__, render

    drawn = []
    if html_path or chart_path:
        try:
            drawn = charts()
        except ImportError:
            raise CliError("charts need matplotlib: pip install 'emiss[report]'", 1) from None
    try:
        if chart_path:
            if not drawn:
                raise CliError("--chart: this command has nothing to draw", 2)
            from .charts import save

            save(drawn[0][0], chart_path)
        if html_path:
            from .charts import svg_text

            page = render.view_html(view, title=title, finding=finding, figures=figures,
                                    charts=[(svg_text(fig), caption) for fig, caption in drawn],
                                    generator=f"Made with emiss {__version__}: every number beside its assumption and source.")
            with open(html_path, "w", encoding="utf-8") as fh:
                fh.write(page)
        if xlsx_path:
            try:
                render.write_xlsx(xlsx_path, sheets())
            except ImportError:
                raise CliError("--xlsx needs openpyxl: pip install 'emiss[report]'", 1) from None
    except OSError as exc:
        raise CliError(f"cannot write '{printable(str(exc.filename or ''))}': {exc.strerror or exc}", 1) from None


def _write_file(path: str, text: str, what: str) -> None:
    if path == "-":
        raise CliError(f"{what}: '-' would mix it into the results on stdout; give a file name", 2)
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CliError(f"{what}: cannot write '{printable(path)}': {exc.strerror or exc}", 1) from None


# ---- commands ------------------------------------------------------------------------------------------

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
@scenario_options()
@only_option
@mass_unit_option
@limit_option
@click.option("--fail-above", multiple=True, type=PollutantValue(factor=False, example="nox=100"), metavar="POLLUTANT=QTY",
              help="Exit 3 if a pollutant's annual emissions exceed QTY (default unit short tons/yr), e.g. nox=100.")
@click.option("--manifest", "manifest_path", metavar="FILE", help="Also write the run manifest (versions, inputs and their hash) as JSON to FILE.")
@click.option("--svg", "svg_path", metavar="FILE", help="Also save the tables as an SVG image of the terminal text.")
@report_options
@click.option("--health", is_flag=True, help="Add a national-average health-damage screening (EPA benefit-per-ton, a range).")
@click.option("--samples", type=click.IntRange(min=2), metavar="N", help="Monte Carlo: sample every uncertain input N times and report P5/P50/P95.")
@click.option("--seed", type=click.IntRange(min=0), metavar="S", help="Random seed for --samples (same seed, same percentiles).")
@format_option(*FORMATS, "cobra")
def estimate(fmt: str, only: list[str] | None, samples: int | None, seed: int | None, fail_above: tuple[Any, ...],
             manifest_path: str | None, svg_path: str | None, health: bool, **kw: Any) -> None:
    """Estimate annual emissions, energy, fuel and households for a fleet.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
      emiss estimate --turbines 15 --capacity "16.5 MW" --heat-rate "9695 Btu/kWh" --factor nox="2 ppmvd@15%O2"
      nox=$(emiss estimate --preset memphis --only nox --format value)
      emiss estimate --preset memphis --capacity-factor 60% --format csv
      emiss estimate --preset memphis --samples 100000 --seed 1     # P5/P50/P95 from the preset's ranges
      emiss estimate --preset memphis --capacity-factor 0.6..1.0 --samples 10000
      emiss estimate --preset memphis --format methods       # a paragraph to paste, and the NOx arithmetic
      emiss estimate --preset memphis --fail-above nox=100; echo $?   # 3 when crossed
      emiss estimate --preset memphis --html report.html --chart emissions.svg --xlsx memphis.xlsx --manifest run.json
      emiss estimate --preset memphis --health                # a national-average health-damage screening
      emiss estimate --preset memphis --format cobra > cobra.csv   # the county emissions change EPA's COBRA imports
    """
    from . import document as doc
    from . import render
    from .calc import estimate as compute

    if fmt == "value" and (not only or len(only) != 1):
        raise CliError("--format value needs exactly one pollutant in --only, e.g. --only nox", 2)
    paths = [os.path.abspath(p) for p in (svg_path, kw.get("html_path"), kw.get("chart_path"), kw.get("xlsx_path"), manifest_path) if p]
    if len(paths) != len(set(paths)):
        raise CliError("two of --svg, --html, --chart, --xlsx and --manifest name the same file; give each its own", 2)
    limits = _limits(fail_above)
    scenario = _scenario(kw)
    result = compute(scenario)
    spread = samples_drawn = None
    if samples is not None:
        from .uncertainty import sample_outputs, spreads

        samples_drawn = sample_outputs(scenario, samples, seed)
        spread = spreads(samples_drawn)
    run = {"samples": samples, "seed": seed, "only": only, "format": fmt}
    view = doc.estimate_view(result, only=only, spread=spread) + (doc.health_view(result) if health else [])
    if fmt == "json":
        d = doc.estimate_doc(result, only=only, spread=spread, run=run)
        if health:
            d["health"] = doc.health_doc(result)
        text = render.json_text(d)
    elif fmt == "cobra":
        site = dict(scenario.site)
        if "fips" not in site:
            raise CliError("--format cobra needs the county: a preset with [preset] fips, state and county", 2)
        buf = io.StringIO()
        render.write_rows(doc.cobra_rows(result, site["fips"], site.get("state", ""), site.get("county", "")), buf, "csv",
                          doc.COBRA_FIELDS)
        text = buf.getvalue()
        _error("NH3 is not estimated (0); a positive value is an increase, as COBRA reads it", prefix="Note: ")
    elif fmt in ("csv", "tsv", "ndjson"):
        rows = doc.estimate_rows(result, only=only, spread=spread)
        buf = io.StringIO()
        render.write_rows(rows, buf, fmt, doc.ROW_FIELDS + (doc.SPREAD_FIELDS if spread else ()))
        text = buf.getvalue()
    elif fmt == "value":
        text = repr(doc.value_of(result, only[0])) + "\n"
    elif fmt == "methods":
        text = doc.methods_text(result, only=only)
    elif fmt == "markdown":
        text = render.view_markdown(view)
    else:
        text = render.view_text(view, terminal())
    if manifest_path:
        _write_file(manifest_path, render.json_text(doc.manifest(result, run)), "--manifest")
    if svg_path:
        if svg_path == "-":
            raise CliError("--svg: '-' would mix it into the results on stdout; give a file name", 2)
        try:
            render.export(view, svg=svg_path, html=None, title=scenario.title or "emiss estimate")
        except OSError as exc:
            raise CliError(f"cannot write '{printable(str(exc.filename or svg_path))}': {exc.strerror or exc}", 1) from None

    def charts() -> list[tuple[Any, str]]:
        from . import charts as ch

        drawn = [(ch.emissions_chart(result), "Annual emissions per pollutant against the major-source thresholds that apply "
                                              "(log scale); hatched bars leave out units without a factor.")]
        if samples_drawn is not None:
            drawn.append((ch.distribution_chart(samples_drawn, [p for p in ("nox", "co", "voc", "hcho", "co2e") if p in (only or p)],
                                                f"Monte Carlo over {len(scenario.uncertain)} uncertain inputs, {samples:,} samples"),
                          "How wide the uncertainty is: each panel a pollutant, P5, P50 and P95 marked."))
        return drawn

    _reports(kw, title=scenario.title or "emiss estimate", view=view, finding=doc.finding(result),
             figures=doc.headline_figures(result), charts=charts, sheets=lambda: doc.estimate_sheets(result))
    emit(text)
    crossed = [f"{p} {result.emissions[p].lb_per_year / per:,.4g} {unit} is above {limit / per:,.4g}"
               for p, limit, per, unit in limits if result.emissions[p].lb_per_year > limit]
    if crossed:
        raise CliError("--fail-above: " + "; ".join(crossed), 3)


def _limits(items: tuple[tuple[str, str], ...]) -> list[tuple[str, float, float, str]]:
    """Read --fail-above items: (pollutant, limit in lb/yr, lb/yr per shown unit, shown unit)."""
    from .units import convert

    out = []
    seen = set()
    for pol, qty in items:
        if pol in seen:
            raise CliError(f"--fail-above: {pol} is given more than once; give it once", 2)
        seen.add(pol)
        try:
            number = float(qty)
            qty, unit = f"{number!r} short_ton/year", "short_ton/year"
        except ValueError:
            unit = qty.split(None, 1)[1] if " " in qty else "short_ton/year"
        expect = "a mass per year such as '100 short_ton/year' or a rate such as '30 lb/h'"
        lb = convert(qty, "lb/year", where="--fail-above", expect=expect)
        per = convert(f"1 {unit}", "lb/year", where="--fail-above", expect=expect)
        out.append((pol, lb, per, unit))
    return out


@cli.command()
@scenario_options()
@click.option("--input", "input_path", default="-", metavar="FILE", help="Records to read (default: standard input); NDJSON, a JSON array, CSV or TSV, plain, UTF-16 or gzip.")
@click.option("--input-format", type=click.Choice(["auto", "ndjson", "jsonl", "csv", "tsv"]), default="auto", show_default=True,
              help="Format of the records; auto looks at the first line.")
@format_option("ndjson", "jsonl", "csv", "tsv", "parquet", default="ndjson")
@click.option("--output-format", "output_format", type=click.Choice(["ndjson", "jsonl", "csv", "tsv", "parquet"]),
              help="The same as --format (the name data tools expect).")
@click.option("--output", "output_path", default="-", metavar="FILE", help="Where to write the results (default: standard output; Parquet needs a file).")
@only_option
@mass_unit_option
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of reporting it and going on.")
@click.option("--echo", is_flag=True, help="Add each record's inputs to its result (NDJSON 'input'; CSV column 'input').")
@click.option("--flags", is_flag=True, help="Add whether each result crosses a threshold set (above.title_v, above.psd, above.hap).")
def batch(input_path: str, input_format: str, fmt: str, output_format: str | None, output_path: str, only: list[str] | None,
          strict: bool, echo: bool, flags: bool, **kw: Any) -> None:
    """Estimate many scenarios, one per input record (NDJSON or CSV), streaming one result per record.

    Each record overrides the base scenario (the options here, e.g. --preset) with fields named like the
    estimate options: turbines, capacity, heat_rate, capacity_factor, hours, control, factor.nox (or
    {"factor": {"nox": ...}}), household_use, ... and preset. An id field passes through. A bad record
    is reported on stderr with its number (and, in NDJSON output, as an "error" object); the others are
    still written, and the exit code is 1 at the end. SIGTERM, SIGHUP or Ctrl-C end the run after the
    line being written, with everything before it flushed.

    \b
    Examples:
      emiss batch --preset memphis < examples/scenarios.ndjson > results.ndjson
      emiss batch --input units.csv --format csv
      python examples/make_scenarios.py | emiss batch --format ndjson | jq -c 'select(.emissions.nox.value > 100)'
      printf '{"id":"a","turbines":4,"capacity":"16 MW"}\\n' | emiss batch --heat-rate "9695 Btu/kWh"
    """
    if output_format is not None:
        if fmt != "ndjson" and fmt != output_format:
            raise CliError("give --format or --output-format, not both", 2)
        fmt = output_format
    fmt = "ndjson" if fmt == "jsonl" else fmt
    if fmt == "parquet" and output_path == "-":
        raise CliError("--output-format parquet needs --output FILE (Parquet is not a stream)", 2)
    with _few_collections():
        _batch(input_path, input_format, fmt, output_path, only, strict, echo, flags, kw)


def _batch(input_path: str, input_format: str, fmt: str, output_path: str, only: list[str] | None, strict: bool,
           echo: bool, flags: bool, kw: dict[str, Any]) -> None:
    from . import batch as b
    from . import document as doc
    from . import render
    from .model import Spec
    from .presets import load
    from .scenario import mass_unit_name

    from .columnar import Engine

    preset = kw.get("preset")
    runner = b.Runner(load(preset) if preset is not None else Spec(), overrides_from(kw))
    stream = _input_stream(input_path)
    mass = mass_unit_name(kw.get("mass_unit"))
    if fmt == "parquet":
        if echo or flags:
            raise CliError("--echo and --flags go with ndjson, csv or tsv output", 2)
        _batch_parquet(runner, stream, input_format, output_path, only, mass, strict)
        return
    out = _buffered_stdout() if output_path == "-" else _output_file(output_path)
    lines = render.BatchLines(fmt, only, mass, echo=echo, flags=flags)
    columns = lines.fields
    if fmt != "ndjson":
        out.write(render.BatchLines.header(columns, fmt))

    def on_error(record: Any, exc: EmissError) -> str:
        _error(doc.error_text(record, exc))
        if fmt == "ndjson":
            return render.json_line(doc.error_doc(record, exc))
        buf = io.StringIO()
        render.write_rows([{"id": record.id, "record": record.number, "error": doc.error_text(record, exc)}], buf, fmt,
                          columns, header=False)
        return buf.getvalue()

    progress = _progress(input_path, stream)
    engine = Engine(runner)
    try:
        threaded = not _regular_file(stream)  # a pipe is read by a thread, so records are estimated as they come
        outcome = b.process(engine.chunks(b.read_records(stream, input_format, lazy=True), threaded=threaded),
                            texts=lines.texts, on_error=on_error,
                            write=out.writelines, flush=out.flush, strict=strict, on_progress=progress.tick if progress else None)
    except BrokenPipeError:  # a reader such as head closed the pipe: end quietly, without waiting on the input
        _quiet_pipe()
        os._exit(0)
    finally:
        if progress:
            progress.close()
    if engine.reading():  # stopped before the input ended: the reader thread still waits on it, so leave at once
        code, message = _batch_end(outcome, strict)
        if message:
            _error(message, prefix="" if outcome.stopped else "Error: ")
        for stream_ in (out, sys.stdout, sys.stderr):
            try:
                stream_.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    code, message = _batch_end(outcome, strict)
    if outcome.stopped:
        _error(message, prefix="")
        sys.exit(code)
    if code:
        raise CliError(message, code)


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Tune Python's cycle collector for a batch run. A block of 8,192 records makes some 100,000 short-lived
    objects with no cycles, and at the default threshold (700 allocations) the collector ran about 290 times per
    100,000 records, taking ~0.15 s of a ~1.9 s run on the development machine (measured with gc.callbacks).
    Modules already imported are frozen out of its scans; it runs every 20,000 allocations: ~60 runs, ~0.02 s.
    Cycles are still collected, so memory stays flat."""
    import gc

    before = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0  # a program that froze objects itself keeps them frozen as it chose
    if freeze:
        gc.freeze()
    gc.set_threshold(20_000, 10, 10)
    try:
        yield
    finally:  # as it was (the CLI may be called in-process, e.g. by tests)
        gc.set_threshold(*before)
        if freeze:
            gc.unfreeze()


def _batch_end(outcome: Any, strict: bool) -> tuple[int, str]:
    """Return the exit code and closing message of a batch run."""
    if outcome.stopped:
        return 128 + outcome.stopped, f"stopped by signal {outcome.stopped} after {outcome.written} record(s); everything before was written"
    if strict and outcome.failed:
        return 1, f"stopped at the first bad record (--strict), after {outcome.written} record(s)"
    if outcome.written == 0:
        return 1, "batch: the input has no records"
    if outcome.failed:
        return 1, f"batch: {outcome.failed} of {outcome.written} record(s) failed (see the messages above)"
    return 0, ""


def _output_file(path: str) -> Any:
    try:
        return open(path, "w", buffering=1 << 16, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise CliError(f"--output: cannot write '{printable(path)}' ({exc.strerror or exc})", 1) from None


def _batch_parquet(runner: Any, stream: Any, input_format: str, path: str, only: Any, mass: str, strict: bool) -> None:
    """Write batch results to a Parquet file, chunk by chunk (pyarrow, the 'parquet' extra)."""
    from . import batch as b
    from . import render
    from .behind import Behind
    from .columnar import Engine

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CliError("--output-format parquet needs pyarrow: pip install 'emiss[parquet]'", 1) from None
    encoder = render.BatchLines("values", only, mass)
    names = encoder.fields
    types = [pa.string(), pa.int64()] + [pa.float64()] * 5 + [pa.string()] + [pa.float64()] * (len(names) - 9) + [pa.string()]
    schema = pa.schema(list(zip(names, types)))
    failed = written = 0
    try:
        # ids are mostly distinct (no dictionary); the numbers are full-precision doubles that snappy does not
        # shrink, so they are stored plain, which halves the writing time for the same file size
        writer = pq.ParquetWriter(path, schema, use_dictionary=["households_method", "error"],
                                  compression={n: "NONE" if t == pa.float64() else "SNAPPY" for n, t in zip(names, types)})
    except OSError as exc:
        raise CliError(f"--output: cannot write '{printable(path)}' ({exc.strerror or exc})", 1) from None
    behind = Behind(writer.write_table)
    pending: list[Any] = []  # blocks of NDJSON or CSV rows (8,192) gathered into row groups of b.TABLE_ROWS
    with writer:
        try:
            for block, outcomes in Engine(runner).tables(b.read_records(stream, input_format, lazy=True, tables=True)):
                behind.check()  # a write that failed ends the run here, not a row group later
                table, errors = _parquet_table(encoder, schema, block, outcomes, strict)
                pending.append(table)
                if sum(map(len, pending)) >= b.TABLE_ROWS:
                    behind.put(pa.concat_tables(pending))
                    pending = []
                written += len(table)
                failed += len(errors)
                if strict and failed:
                    break
            if pending:
                behind.put(pa.concat_tables(pending))
        except BaseException:
            behind.close(raise_errors=False)  # the writes handed over end before the file closes; this error is the one to say
            raise
        behind.close()
    if written == 0:
        raise CliError("batch: the input has no records", 1)
    if strict and failed:
        raise CliError(f"stopped at the first bad record (--strict), after {written} record(s)", 1)
    if failed:
        raise CliError(f"batch: {failed} of {written} record(s) failed (see the messages above)", 1)


def _parquet_table(encoder: Any, schema: Any, block: Any, outcomes: Any, strict: bool = False) -> tuple[Any, dict[int, Any]]:
    """Return a block's results as one Arrow table of ``schema`` and the failed rows' errors (each said on
    stderr; a failed row keeps its id and record number, its numbers are null and 'error' says why). With
    ``strict``, the table ends at the first failed row, as the NDJSON and CSV output do."""
    from . import arrowcols
    from . import document as doc

    import numpy as np
    import pyarrow as pa

    values, method, errors = encoder.block(block.n, outcomes)
    if strict and errors:
        first = min(errors)
        errors = {first: errors[first]}
    texts: list[Any] = [None] * block.n
    for i, exc in errors.items():
        texts[i] = doc.error_text(block.record(i), exc)
        _error(texts[i])
    failed_rows = np.isnan(values[0]) if errors else None
    numbers = [arrowcols.floats(pa, v, failed_rows) for v in values]
    if block.n and not errors and method.count(method[0]) == block.n:  # one households method for the block
        how = arrowcols.same_text(pa, method[0], block.n)
    else:
        how = arrowcols.texts(pa, method)
    counted = block.numbers  # a range for a Table (the usual case): the record numbers without a Python loop
    record = np.arange(counted.start, counted.stop) if isinstance(counted, range) else np.fromiter(counted, np.int64, block.n)
    columns = [arrowcols.ids(pa, block), arrowcols.integers(pa, record), *numbers[:5],
               how, *numbers[5:], arrowcols.texts(pa, texts) if errors else pa.nulls(block.n, pa.string())]
    table = pa.Table.from_arrays(columns, schema=schema)
    return (table.slice(0, min(errors) + 1) if strict and errors else table), errors


def _regular_file(stream: Any) -> bool:
    """Return whether ``stream`` is a regular file (reading it never waits on a producer)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _input_stream(path: str) -> Any:
    if path == "-":
        if sys.stdin is None:
            raise CliError("--input: standard input is closed; give --input FILE", 1)
        try:
            sys.stdin.fileno()
            return sys.stdin.buffer
        except (OSError, ValueError, AttributeError):
            return getattr(sys.stdin, "buffer", sys.stdin)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CliError(f"--input: cannot read '{printable(path)}' ({exc.strerror or exc})", 1) from None


def _buffered_stdout() -> Any:
    """Return a block-buffered writer on stdout (even under PYTHONUNBUFFERED); sys.stdout where there is no fd."""
    if sys.stdout is None:
        raise CliError("standard output is closed; nothing could be written", 1)
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return sys.stdout
    if os.isatty(fd):
        return sys.stdout
    sys.stdout.flush()
    return open(fd, "w", buffering=1 << 16, encoding="utf-8", errors="replace", newline="\n", closefd=False)


def _progress(path: str, stream: Any) -> Any:
    """Return a progress bar on stderr when stderr is a terminal, else None."""
    if not _isatty(sys.stderr):
        return None
    from .render import Progress

    size = os.path.getsize(path) if path != "-" and os.path.isfile(path) else 0
    return Progress(size, stream.tell)


@cli.command()
@click.option("--gpus", "gpu_counts", multiple=True, required=True, type=int, metavar="N",
              help="Number of GPUs; repeat to compare sizes side by side (e.g. --gpus 100000 --gpus 200000).")
@click.option("--gpu", "gpu_id", default="h100", show_default=True, metavar="ID", help="GPU from 'emiss catalog' (a100, h100, h200, b200, gb200).")
@click.option("--turbine-model", metavar="ID", help="Generating unit from 'emiss catalog' (default smt-130).")
@click.option("--turbine-capacity", metavar="QTY", help="Or a unit capacity, e.g. '34 MW' (heat rate from --heat-rate).")
@click.option("--redundancy", metavar="N+K", help="Spare units on top of those needed, e.g. N+1 (default N).")
@click.option("--derate", metavar="X", help="Site output as a fraction of rated, e.g. 0.9 for hot weather (default 1).")
@click.option("--pue", metavar="X", help="Power usage effectiveness: facility / IT load, a number or new-build (default, 1.3), air-cooled, liquid-cooled (1.1), industry-average (1.56).")
@click.option("--network-storage", metavar="X", help="Allowance for networking and storage over server power (default 10%).")
@click.option("--run-hours", metavar="QTY", help="Length of one run, e.g. '2000 h' (default: a full year).")
@click.option("--hours", "old_hours", metavar="QTY", hidden=True, help="Deprecated: use --run-hours.")
@click.option("--gpu-hours", metavar="QTY", help="Total GPU-hours of one training run, e.g. '5e7 h'.")
@scenario_options(fields=("heat_rate", "heat_rate_basis", "control", "household_use", "gwp"), preset=False)
@report_options
@format_option("table", "json", "csv", "tsv", "ndjson", "markdown")
def cluster(gpu_counts: tuple[int, ...], gpu_id: str, fmt: str, run_hours: str | None, old_hours: str | None, **kw: Any) -> None:
    """From GPUs to turbines: IT load, facility load, units needed, emissions and per-GPU intensity.

    IT load = servers x server power x (1 + network/storage allowance); facility load = IT load x PUE;
    units = ceil(facility load / (unit capacity x derate)) + spares. The running units follow the load at
    their full-load heat rate; spares stay idle.

    \b
    Examples:
      emiss cluster --gpus 100000 --gpu h100
      emiss cluster --gpus 100000 --gpus 200000 --gpu h100 --turbine-model smt-130
      emiss cluster --gpus 100000 --gpu h100 --format json | jq .power.facility
      emiss cluster --gpus 100000 --gpu h100 --redundancy N+1 --derate 0.9 --factor nox="2 ppmvd@15%O2"
      emiss cluster --gpus 20000 --gpu b200 --gpu-hours "2e7 h"
    """
    from . import cluster as cl
    from . import document as doc
    from . import render

    if old_hours is not None:
        if run_hours is not None:
            raise CliError("give --run-hours only (--hours is its old name)", 2)
        run_hours = old_hours
    if kw.get("turbine_model") and kw.get("turbine_capacity"):
        raise CliError("give --turbine-model or --turbine-capacity, not both", 2)
    overrides = overrides_from(kw)
    results = []
    for n in gpu_counts:
        p = cl.plan(gpus=n, gpu_id=gpu_id, unit_id=kw.get("turbine_model"), unit_capacity=kw.get("turbine_capacity"),
                    pue=kw.get("pue"), network_storage=kw.get("network_storage"), derate=kw.get("derate"),
                    redundancy=kw.get("redundancy"), hours=run_hours, gpu_hours=kw.get("gpu_hours"))
        results.append(cl.run(p, overrides=overrides))
    if old_hours is not None:
        _error("--hours in 'emiss cluster' is deprecated: it is the length of one run, now --run-hours", prefix="Note: ")
    view = doc.cluster_view(results)

    def charts() -> list[tuple[Any, str]]:
        from .charts import grouped_chart

        labels = [f"{cr.plan.gpus:,} GPUs" for cr in results]
        from .calc import KW_PER_MW, LB_PER_SHORT_TON
        from .units import multiplier

        kt = multiplier("lb", "metric_ton") / 1e3  # lb -> thousand metric tonnes (pint: 1 lb = 0.45359237 kg exactly)
        series = {"facility load (MW)": [cr.plan.facility_kw / KW_PER_MW for cr in results],
                  "NOx (short tons/yr)": [cr.result.emissions["nox"].lb_per_year / LB_PER_SHORT_TON for cr in results],
                  "CO2e (thousand tonnes/yr)": [cr.result.emissions["co2e"].lb_per_year * kt for cr in results]}
        return [(grouped_chart(labels, series, "value (unit in the legend, log scale)", "From GPUs to turbines: power and emissions",
                               "emiss cluster; GPU and server power from the catalog"), "Facility load and emissions by GPU count.")]

    _reports(kw, title="From GPUs to turbines", view=view, charts=charts, sheets=lambda: {"Cluster": doc.cluster_rows(results)})
    if fmt == "json":
        docs = [doc.cluster_doc(cr) for cr in results]
        emit(render.json_text(docs[0] if len(docs) == 1 else docs))
    elif fmt in ("csv", "tsv", "ndjson"):
        buf = io.StringIO()
        render.write_rows(doc.cluster_rows(results), buf, fmt, ("gpus", "quantity", "label", "value", "unit"))
        emit(buf.getvalue())
    else:
        emit(render.view_markdown(view) if fmt == "markdown" else render.view_text(view, terminal()))


@cli.command(name="catalog")
@format_option("table", "json")
def catalog_cmd(fmt: str) -> None:
    """List the generating units and GPUs that --turbine-model, presets and 'emiss cluster' know.

    \b
    Examples:
      emiss catalog
      emiss catalog --format json | jq '.units[] | {id, capacity, heat_rate}'
    """
    from . import catalog
    from . import document as doc
    from . import render

    if fmt == "json":
        emit(render.json_text(doc.catalog_doc(catalog.units(), catalog.gpus())))
    else:
        emit(render.view_text(doc.catalog_view(catalog.units(), catalog.gpus()), terminal()))


@cli.command()
@scenario_options()
@click.option("--target", required=True, metavar="OUTPUT=VALUE", help="The figure to reach, e.g. nox='130 short_ton/year' or households=50000.")
@click.option("--vary", required=True, metavar="INPUT",
              help="The input to solve for: capacity-factor, hours, turbines, capacity, heat-rate, household-use, household-demand or factor:<pollutant>.")
@format_option("table", "json")
def solve(target: str, vary: str, fmt: str, **kw: Any) -> None:
    """Work backwards: find the value of one input that makes an output hit a target.

    A solved emission factor is shown as lb/MMBtu (HHV), ppmvd@15%O2 and lb/MWh, and placed among the
    built-in control levels. An infeasible answer (a capacity factor above 1, a fractional number of units,
    a negative value) is said plainly with the value it would need, and the exit code is 1.

    \b
    Examples:
      emiss solve --preset memphis --target "nox=130 short_ton/year" --vary factor:nox
      emiss solve --preset memphis --target "nox=1000 short_ton/year" --vary capacity-factor
      emiss solve --turbines 15 --capacity "16.5 MW" --target "households=50000" --vary household-use
    """
    from . import document as doc
    from . import render
    from .solve import factor_views, parse_target
    from .solve import solve as do_solve

    parse_target(target)  # a bad target is a usage error before any work
    sc = _scenario(kw)
    sol = do_solve(sc, target=target, vary=vary.strip().lower())
    views = factor_views(sol.scenario, sol.vary.split(":", 1)[1], sol.value, sol.result) if sol.vary.startswith("factor:") else None
    d = doc.solution_doc(sol, views)
    emit(render.json_text(d) if fmt == "json" else render.view_text(doc.solution_view(sol, d), terminal()))
    if not sol.feasible:
        raise CliError(f"infeasible: {sol.problem}", 1)


@cli.command()
@scenario_options()
@click.option("--output", "output", default="nox", show_default=True, metavar="OUTPUT", help="Output to swing: a pollutant id, households, generation, heat_input or fuel.")
@report_options
@format_option("table", "json", "csv", "tsv", "ndjson")
def sensitivity(output: str, fmt: str, **kw: Any) -> None:
    """Swing each uncertain input from its low to its high end, one at a time, and rank them (a tornado).

    Uncertain inputs are the ranges and distributions of the preset or of the options
    (e.g. --capacity-factor 0.6..1.0); normal and lognormal inputs swing from P5 to P95.

    \b
    Examples:
      emiss sensitivity --preset memphis
      emiss sensitivity --preset memphis --output co2e --format json
      emiss sensitivity --turbines 4 --capacity "16 MW" --capacity-factor 0.5..1 --factor nox="2..25 ppmvd@15%O2"
    """
    from . import document as doc
    from . import render
    from .outputs import output as check_output
    from .uncertainty import sensitivity as swing

    name = output.strip().lower()
    check_output(name)
    sc = _scenario(kw)
    central, swings = swing(sc, name)
    if not swings:
        raise CliError("no input is uncertain: give ranges (e.g. --capacity-factor 0.6..1.0) or a preset with ranges", 1)
    view = doc.sensitivity_view(name, central, swings)

    def charts() -> list[tuple[Any, str]]:
        from .charts import tornado_chart

        scale, _, unit = doc.output_scale(name)
        return [(tornado_chart(name, central, swings, scale, unit), f"What moves {name}: the preset's ranges, one input at a time.")]

    _reports(kw, title=f"Sensitivity of {name}: {sc.title or sc.name}", view=view, charts=charts,
             sheets=lambda: {"Sensitivity": doc.sensitivity_rows(name, swings)})
    if fmt == "json":
        emit(render.json_text(doc.sensitivity_doc(name, central, swings)))
    elif fmt in ("csv", "tsv", "ndjson"):
        rows = doc.sensitivity_rows(name, swings)
        buf = io.StringIO()
        render.write_rows(rows, buf, fmt, list(rows[0]))
        emit(buf.getvalue())
    else:
        emit(render.view_text(view, terminal()))


COMPARE_VARIATIONS = ("turbines", "capacity", "heat_rate", "heat_rate_basis", "capacity_factor", "hours", "control", "factor",
                      "household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "turbine_model")


@cli.command()
@click.argument("presets", nargs=-1, metavar="[PRESET...]")
@scenario_options(multiple=True, preset=False)
@click.option("--preset", "base_preset", metavar="NAME|PATH", help="Base scenario when no PRESET argument is given.")
@click.option("--grid", is_flag=True, help="Add the same electricity drawn from the grid (eGRID subregion rates).")
@click.option("--subregion", metavar="ID", help="eGRID subregion for --grid (default: the preset's, else US).")
@click.option("--permit-view", is_flag=True, help="Potential to emit (8,760 h, uncontrolled) | controlled PTE | expected actual.")
@only_option
@report_options
@format_option("table", "json", "csv", "tsv", "ndjson", "markdown")
def compare(presets: tuple[str, ...], base_preset: str | None, grid: bool, subregion: str | None, permit_view: bool,
            only: list[str] | None, fmt: str, **variations: Any) -> None:
    """Compare scenarios side by side, with differences (absolute and %) against the first column.

    Scenarios are PRESET arguments (names or .toml files), and one variation of the first scenario for
    every value of a variation option.

    \b
    Examples:
      emiss compare --preset memphis --control uncontrolled --control lean-premix --factor nox="2 ppmvd@15%O2"
      emiss compare memphis my-site.toml
      emiss compare --preset memphis --grid
      emiss compare --preset memphis --permit-view --capacity-factor 0.6
    """
    from . import compare as cmp
    from . import document as doc
    from . import render

    if presets and base_preset is not None:
        raise CliError("compare: give PRESET arguments or --preset, not both", 2)
    sources = list(presets) or ([base_preset] if base_preset is not None else [])
    if not sources:
        raise CliError("compare: give at least one PRESET (or --preset)", 2)
    variations["factor"] = tuple(f"{p}={q}" for p, q in variations.pop("factors", ()) or ())
    items = [(opt, v) for opt in COMPARE_VARIATIONS for v in (variations.get(opt) or ())]
    if permit_view:
        items = [i for i in items if i[0] not in ("capacity_factor", "hours")]
    table = cmp.build_table(sources, items, grid=grid, subregion=subregion, permit_view=permit_view,
                            operation={k: variations.get(k) for k in ("capacity_factor", "hours")} if permit_view else None)
    if len(table.columns) < 2:
        raise CliError("compare: nothing to compare; give two presets, a variation option, --grid or --permit-view", 2)
    view = doc.compare_view(table, only)

    def charts() -> list[tuple[Any, str]]:
        from .charts import grouped_chart

        pols = [p for p in ("nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2e") if only is None or p in only]
        from .calc import LB_PER_SHORT_TON

        series = {c.label: [(c.value(p) or 0) / LB_PER_SHORT_TON for p in pols] for c in table.columns}
        return [(grouped_chart([p.upper() for p in pols], series, "US short tons per year (log scale)",
                               "Scenarios side by side: annual emissions per pollutant", "emiss compare"), "Each bar a scenario.")]

    _reports(variations, title="Scenarios compared", view=view, charts=charts, sheets=lambda: {"Compare": doc.compare_rows(table, only)})
    if fmt == "json":
        emit(render.json_text(doc.compare_doc(table, only)))
    elif fmt in ("csv", "tsv", "ndjson"):
        buf = io.StringIO()
        render.write_rows(doc.compare_rows(table, only), buf, fmt, ("output", "unit", "scenario", "value", "diff", "pct"))
        emit(buf.getvalue())
    else:
        emit(render.view_markdown(view) if fmt == "markdown" else render.view_text(view, terminal()))


@cli.command()
@click.option("--preset", "preset_names", multiple=True, metavar="NAME|PATH", help="A preset with [[claims]]; repeat for several.")
@click.option("--all", "all_presets", is_flag=True, help="Every shipped preset that carries claims, in date order, with a timeline.")
@click.option("--fail-inconsistent", is_flag=True, help="Exit 3 if any claim is not consistent (after printing).")
@report_options
@format_option("table", "json", "csv", "tsv", "ndjson", "markdown")
def check(preset_names: tuple[str, ...], all_presets: bool, fail_inconsistent: bool, fmt: str, **kw: Any) -> None:
    """Check published figures: each claim of a preset beside what emiss computes, and what it would take to be true.

    A claim is 'consistent' when emiss's figure from the preset's inputs lies within the claim's tolerance
    (10 % unless the claim says otherwise); else 'higher' or 'lower'. For a claim that is not consistent,
    the input that moves the figure most (of the preset's ranges) is solved for, and its value is said to be
    inside or outside the preset's range. The exit code is 0 whatever the verdicts, unless --fail-inconsistent.

    \b
    Examples:
      emiss check --preset memphis
      emiss check --all                       # the Colossus record, 2024 to today, with a timeline
      emiss check --all --format json | jq '.presets[].claims[] | {output, verdict}'
      emiss check --preset memphis-2025-permit --fail-inconsistent || echo "a cap is exceeded"
    """
    from . import check as chk
    from . import document as doc
    from . import render

    if all_presets and preset_names:
        raise CliError("give --preset NAME (repeatable) or --all, not both", 2)
    if all_presets:
        results = chk.check_all()
    elif preset_names:
        results = [chk.check_preset(n) for n in preset_names]
    else:
        raise CliError("check: give --preset NAME or --all", 2)
    empty = [r.name for r in results if not r.claims]
    if empty:
        raise CliError(f"{', '.join(empty)}: no [[claims]] to check; see 'emiss check --all' for the presets that have some", 1)
    view = doc.check_view(results, timeline=all_presets or len(results) > 1)

    def charts() -> list[tuple[Any, str]]:
        from .charts import claims_chart

        return [(claims_chart(pc, chk.claim_ranges(pc)), f"{pc.name}: each published figure, emiss's estimate, and the "
                 "range the preset's inputs allow") for pc in results]

    _reports(kw, title="Published figures, checked", view=view, charts=charts, sheets=lambda: {"Claims": doc.check_rows(results)})
    if fmt == "json":
        emit(render.json_text(doc.check_doc(results)))
    elif fmt in ("csv", "tsv", "ndjson"):
        buf = io.StringIO()
        render.write_rows(doc.check_rows(results), buf, fmt, doc.CHECK_FIELDS)
        emit(buf.getvalue())
    else:
        emit(render.view_markdown(view) if fmt == "markdown" else render.view_text(view, terminal()))
    bad = [f"{r.name}: {c.claim.output} {c.verdict}" for r in results for c in r.claims if c.verdict != "consistent"]
    if fail_inconsistent and bad:
        raise CliError("--fail-inconsistent: " + "; ".join(bad), 3)


@cli.command()
@scenario_options()
@limit_option
@report_options
@format_option("table", "json", "markdown")
def pte(fmt: str, **kw: Any) -> None:
    """Potential to emit per emission unit: factor and source, lb/h each, lb/h all units, tons/yr, then the facility.

    The shape permit applications use. With a control level set (--control, or in the preset), an
    uncontrolled column stands beside the controlled one. PM is shown as filterable PM, PM10 and PM2.5
    where the factor's source splits it.

    \b
    Examples:
      emiss pte --preset memphis-2025-permit
      emiss pte --preset memphis --control oxidation-catalyst --format markdown
      emiss pte --turbine-model smt-130 --turbines 4 --limit nox="25 tpy" --format json
    """
    from dataclasses import replace

    from . import document as doc
    from . import render
    from .calc import estimate as compute
    from .scenario import scenario_from

    sc = _scenario(kw)
    result = compute(sc)
    controlled = any(g.control != "uncontrolled" for g in sc.groups)
    uncontrolled = None
    if controlled:
        base = scenario_from(kw.get("preset"), {**overrides_from(kw), "control": "uncontrolled"})
        uncontrolled = compute(replace(base, limits=sc.limits))
    view = doc.pte_view(result, uncontrolled)

    def charts() -> list[tuple[Any, str]]:
        from .charts import emissions_chart

        return [(emissions_chart(result), "Potential to emit per pollutant against the thresholds that apply.")]

    _reports(kw, title=f"Potential to emit: {sc.title or sc.name}", view=view, figures=doc.headline_figures(result), charts=charts,
             sheets=lambda: doc.estimate_sheets(result))
    if fmt == "json":
        emit(render.json_text(doc.pte_doc(result, uncontrolled)))
    else:
        emit(render.view_markdown(view) if fmt == "markdown" else render.view_text(view, terminal()))


@cli.command(name="limit")
@scenario_options()
@limit_option
@click.option("--under", default="title-v", show_default=True, metavar="SET[,SET...]",
              help="Thresholds to stay under: title-v, psd, hap, psd-ser, limits (the permit limits), or several, comma-separated.")
@click.option("--vary", "vary_what", type=click.Choice(["hours", "capacity-factor", "fuel"]), default="hours", show_default=True,
              help="What the operating limit limits.")
@format_option("table", "json")
def limit_cmd(under: str, vary_what: str, fmt: str, **kw: Any) -> None:
    """Find the operating limit that keeps every pollutant under a set of thresholds (a synthetic-minor limit).

    Emissions grow with operation, so each pollutant allows so many hours a year; the smallest binds.
    Exit 0 with the limit, or with 'no limit needed' when every pollutant stays under all year; exit 1
    when even zero hours would not do (startups and shutdowns alone cross a threshold).

    \b
    Examples:
      emiss limit --preset memphis --under title-v
      emiss limit --preset memphis-2025-permit --under limits --vary fuel
      emiss limit --turbine-model smt-130 --turbines 4 --under title-v,hap --area ozone-serious --format json
    """
    from . import document as doc
    from . import render
    from .permit import operating_limit

    sets = tuple(x.strip().lower() for x in under.split(",") if x.strip())
    sc = _scenario(kw)
    ol = operating_limit(sc, under=sets, vary=vary_what, limits=sc.limits)
    emit(render.json_text(doc.limit_doc(ol)) if fmt == "json" else render.view_text(doc.limit_view(ol), terminal()))
    if ol.status == "infeasible":
        raise CliError(f"infeasible: {ol.message}", 1)


@cli.command()
@format_option("table", "json", "csv")
def factors(fmt: str) -> None:
    """List the built-in emission-factor library and constants, each with unit, basis, source and status.

    \b
    Examples:
      emiss factors
      emiss factors --format json | jq '.factors[] | select(.pollutant == "nox")'
    """
    from . import document as doc
    from . import render

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
    from . import render
    from .presets import available, load

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
    from . import document as doc
    from . import render
    from .scenario import scenario_from

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
    from .scenario import validate_preset

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


def main() -> None:
    """Run the command line (the 'emiss' console script)."""
    if sys.stdout is None:
        _error("standard output is closed; nothing could be written")
        sys.exit(1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # an ASCII-only locale gets '?' rather than a traceback
        except (AttributeError, ValueError):
            pass
    cli(prog_name="emiss")

