"""The command line: parse options, call the library, print what ``document`` builds through ``render``.

The only module that imports click. Option groups are declared once (from the field table) and shared
by every command; library errors become one line on stderr and an exit code in one place.
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
from typing import Any, Callable

import click

from emiss.version import __version__
from emiss.data import POLLUTANTS
from emiss.errors import EmissError, printable
from emiss.data import LEGACY_CONTROLS
from emiss.inputs.fields import FIELDS, Read, check_text, factor_key

POLLUTANT_IDS = POLLUTANTS
ARGV: list[str] = []  # the arguments of the running command (after 'emiss'), as given



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
        """Return the value stripped, read by the field's reader (each end of a range as a full value): a fields.Read
        carrying the readings, which the scenario builder takes without reading the text again."""
        where = param.opts[0] if param is not None else FIELDS[self.field].option
        try:
            return check_text(self.field, str(value), where=where)
        except EmissError as exc:
            raise CliError(str(exc), exc.exit_code) from None


# The largest whole number a float holds exactly (2**53): '1e5' is read as a float first, and one above this may not be
# the integer written. --turbines and a record's count stop at the same (fields.count).
FLOAT_EXACT_INTEGER = 2**53
# A decimal number in the ASCII digits that int() does not read but a count may be written as ('4.0', '1e1', README)
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


class WholeNumber(click.IntRange):
    """A whole number (a count, a seed) read by the rule the quantities follow: the digits 0-9 only, so '1_000' and
    another script's digits ('١٠٠') are refused as --turbines refuses them (Python's int() takes both), and a whole
    value written as a decimal ('4.0', '1e5') is read as --turbines reads it; bounds as click.IntRange's, none by
    default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = "integer range" if self.min is not None or self.max is not None else "integer"  # click's own words

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return the int, refusing a text written with other than the ASCII digits (and sign and spaces) first."""
        if isinstance(value, str) and (not value.isascii() or "_" in value):
            self.fail(f"'{value}' is not a whole number: numbers are written with the digits 0-9 (no '_'), e.g. 1000",
                      param, ctx)
        if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()) and not value.strip().lstrip("+-").isdigit():
            number = float(value)
            if math.isfinite(number) and number.is_integer() and abs(number) <= FLOAT_EXACT_INTEGER:
                value = int(number)  # anything else ('2.5', '1e400') is left to click, in its own words
        return super().convert(value, param, ctx)

    def _describe_range(self) -> str:
        """Describe the bounds for --help ('x>=2'); nothing when there are none."""
        return super()._describe_range() if self.min is not None or self.max is not None else ""


class PollutantValue(click.ParamType):
    """POLLUTANT=QTY: a pollutant id and a quantity (checked as a factor unless ``factor`` is False)."""

    name = "pollutant=qty"

    def __init__(self, *, factor: bool = True, example: str = "nox=\"2 ppmvd@15%O2\"") -> None:
        self.factor = factor
        self.example = example

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return (pollutant, quantity text); a factor is read here, once, and its text is a fields.Read carrying its
        readings (form and value of each end) for the scenario builder."""
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
            from emiss.core.dist import split_range
            from emiss.core.factors import parse_factor

            readings = {}
            try:
                for part in split_range(qty) or [qty]:
                    f = parse_factor(pol, part, where=f"{opt} {pol}", source="", status="user", layer="cli")
                    readings[part] = (f.form, f.value)
            except EmissError as exc:
                raise CliError(str(exc) if exc.where else f"{opt} {pol}: {exc}", 2) from None
            return pol, Read(qty, factor_key(pol), readings)  # the scenario builder takes these readings as they are
        return pol, qty


class PollutantList(click.ParamType):
    """A comma-separated list of pollutant ids."""

    name = "pollutants"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return the pollutant ids, each one known."""
        if isinstance(value, list):
            return value
        ids = [v.strip().lower() for v in str(value).split(",") if v.strip()]
        for p in ids:
            if p not in POLLUTANT_IDS:
                raise CliError(f"--only: unknown pollutant '{p}'; known: {', '.join(POLLUTANT_IDS)}", 2)
        if not ids:
            raise CliError(f"--only: give one or more of {', '.join(POLLUTANT_IDS)}", 2)
        return ids


# The endings of the files a user may mean to write (what emiss writes, and what a spreadsheet or a viewer opens): a
# report file named with another format's ending is refused, since the file would not be what its name says
# ('--xlsx out.csv' is a workbook a CSV reader cannot read). A name with no ending or another one (/dev/null, 'report')
# is written as asked.
FILE_ENDINGS = (".html", ".htm", ".xhtml", ".xlsx", ".xls", ".xlsm", ".ods", ".csv", ".tsv", ".txt", ".json", ".ndjson",
                ".jsonl", ".parquet", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".md", ".toml", ".xml", ".docx")


# Why a file an option writes cannot be '-' (stdout): the command's results go there.
TO_STDOUT = "'-' would mix it into the results on stdout; give a file name"


class ReportFile(click.ParamType):
    """The name of a file an option writes in one format (``what``, named with one of ``endings``): refused when it ends
    like another format's file; with ``strict`` (a chart, whose ending chooses SVG or PNG) any other ending is; '-'
    (stdout, where the results go) always is, before anything is written."""

    name = "file"

    def __init__(self, what: str, *endings: str, strict: bool = False) -> None:
        self.what = what
        self.endings = endings
        self.strict = strict

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return the file name, or refuse one whose ending says another format."""
        text = str(value)
        opt = param.opts[0] if param is not None else "--" + self.what
        ending = os.path.splitext(text)[1].lower()
        if text == "-":
            raise CliError(f"{opt}: {TO_STDOUT}", 2)
        if self.strict and ending not in self.endings:
            raise CliError(f"{opt}: '{printable(text)}' must end in {' or '.join(self.endings)}", 2)
        if ending in FILE_ENDINGS and ending not in self.endings:
            raise CliError(f"{opt}: '{printable(text)}' ends in {ending}, but {opt} writes {self.what}; give a name ending "
                           f"in {' or '.join(self.endings)}", 2)
        return text


class EmissCommand(click.Command):
    """A command whose single-valued options may be given only once (a repeat is an error, not a silent overwrite)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does, then refuse a single-valued option given twice (after any bad value, as it would be alone)."""
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


# The module (under emiss.cli) that registers each command on the group: running one command imports its own
# module alone ('emiss batch' does not build the analysis commands); help, and a name that is no command, import
# them all. tests/test_cli.py holds this to the commands the modules register.
COMMAND_MODULES = {
    "batch": "batch", "estimate": "estimate", "replay": "replay", "track": "measured", "measured": "measured",
    "catalog": "reference", "factors": "reference", "presets": "reference",
    **dict.fromkeys(("check", "cluster", "compare", "limit", "pte", "sensitivity", "solve"), "analysis"),
}


class EmissGroup(click.Group):
    """A group that prints every error as one line on stderr, turns library errors into exit codes, and ends quietly on a
    closed pipe; its commands' modules are imported when a command is first looked up (``lazy``: name -> module)."""

    command_class = EmissCommand
    group_class = type  # subgroups are EmissGroups too

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def load(self, name: str | None = None) -> None:
        """Import the module that registers command ``name`` (every command's module for None or a name no module
        registers, so that help lists them all and a mistyped name is answered with every command there is)."""
        for module in sorted({self.lazy[name]} if name in self.lazy else set(self.lazy.values())):
            __import__(f"emiss.cli.{module}")  # the import statement's way (importlib's is not seen by -X importtime)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the command ``cmd_name``, its module imported first if need be."""
        if cmd_name not in self.commands:
            self.load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every command's name (each module imported)."""
        self.load()
        return super().list_commands(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line and exit: each error one line on stderr with its exit code, a closed pipe quietly."""
        kwargs["standalone_mode"] = False
        given = kwargs.get("args", args[0] if args else None)
        ARGV[:] = [str(a) for a in (sys.argv[1:] if given is None else given)]  # the command line, for a page's footer
        try:
            rv = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            _flush_or_quiet()
            sys.exit(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message(), err=True)  # a command is missing: show the help, not an error line
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            hint = _newcomer_hint(exc.format_message())
            _error(exc.format_message().rstrip(".") + hint if hint else exc.format_message())
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


def _newcomer_hint(message: str) -> str:
    """Return a hint for the mistakes a newcomer makes first: 'emiss --preset X' and 'emiss estimate X'."""
    import shlex

    args = list(ARGV)
    if message.startswith("No such option") and args and args[0].startswith("--"):
        return f"; options follow a command: emiss estimate {shlex.join(args)}"
    if message.startswith("Got unexpected extra argument") and len(args) >= 2 and not args[1].startswith("-") \
            and _takes_preset(args[0]):  # 'presets show a b' was told 'emiss presets --preset show a b'
        rest = [a for a in args[1:] if a != args[1]]
        return f"; a preset is named with --preset: emiss {args[0]} --preset {shlex.join([args[1]] + rest)}"
    return ""


def _takes_preset(name: str) -> bool:
    """Return whether command ``name`` has a --preset option."""
    command = cli.commands.get(name)
    return command is not None and any("--preset" in getattr(p, "opts", ()) for p in command.params)


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
    import shutil  # only for a terminal's width: batch and the machine formats never ask

    from emiss.report.render import MIN_WIDTH, TABLE_WIDTH, Terminal

    tty = _isatty(sys.stdout)
    env = os.environ.get("COLUMNS", "")
    given = int(env) if env.isascii() and env.strip().isdigit() and int(env) >= MIN_WIDTH else None
    width = shutil.get_terminal_size((given or TABLE_WIDTH, 24)).columns if tty else (given or TABLE_WIDTH)
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\u2500\u00e9".encode(encoding)
        ascii_only = False
    except (UnicodeEncodeError, LookupError):
        ascii_only = True
    return Terminal(color=tty and not os.environ.get("NO_COLOR"), bold=tty, width=max(width, MIN_WIDTH), ascii=ascii_only,
                    fit=tty or given is not None)  # a pipe has no width: no column is left out unless COLUMNS says one


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
                   "ambient", "load", "combustor", "control", "engine_type", "household_use", "household_demand", "households_method",
                   "hhv_lhv", "gwp", "methane_basis", "area", "basis", "co2_basis")


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
    """Return the --format option offering ``choices``."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format.")


class FormatChoice(click.Choice):
    """The formats of a command whose document has ``forms`` (view, data, rows) and texts ``own`` of its own: every
    format whose encoder takes one of those forms (render.ENCODERS), then the command's own. The list is made when
    first needed, so that starting emiss (and 'emiss --help') does not import the renderer."""

    def __init__(self, forms: tuple[str, ...], own: tuple[str, ...]) -> None:
        self._spec = (forms, own)
        self._choices: tuple[str, ...] | None = None
        super().__init__((), case_sensitive=True)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        """The format names, in the order --help lists them."""
        if self._choices is None:
            from emiss.report.render import formats

            self._choices = formats(*self._spec[0], own=self._spec[1])
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        """Ignore what click.Choice sets in __init__: the list is render's."""


def document_formats(*forms: str, own: tuple[str, ...] = ()) -> Callable[..., Any]:
    """Return the --format option of a command whose document has ``forms`` and texts ``own`` of its own (FormatChoice)."""
    return click.option("--format", "fmt", type=FormatChoice(forms, own), default="table", show_default=True, help="Output format.")


def encode(document: Any, fmt: str) -> str:
    """Return ``document`` written in ``fmt``, ready for stdout; a note that goes with the format is said on stderr."""
    from emiss.report import render

    buf = io.StringIO()
    render.write(document, fmt, buf, terminal() if fmt == "table" else render.PLAIN)
    if fmt in document.notes:
        _error(document.notes[fmt], prefix="Note: ")
    return buf.getvalue()


def only_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --only POLLUTANT[,POLLUTANT...]."""
    return click.option("--only", type=PollutantList(), metavar="POLLUTANT[,POLLUTANT...]",
                        help=f"Show only these pollutants in the tables and machine formats ({', '.join(POLLUTANT_IDS)}); "
                             "the figures that are not a pollutant's (capacity, generation, heat input, households) are "
                             "still shown.")(f)


def mass_unit_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --mass-unit."""
    return click.option("--mass-unit", "mass_unit", metavar="UNIT", help=FIELDS["mass_unit"].help)(f)


def overrides_from(kw: dict[str, Any]) -> dict[str, Any]:
    """Collect the scenario options a command received into override keys (field name or factor.<pollutant>)."""
    out = {k: kw.get(k) for k in FIELDS if kw.get(k) not in (None, ())}
    for v in ((out.get("control"),) if isinstance(out.get("control"), str) else out.get("control") or ()):
        if str(v).lower() in LEGACY_CONTROLS:  # the old spelling of a combustor: one note on stderr, then read as --combustor
            _error(f"--control {v} is a combustor: read as --combustor {LEGACY_CONTROLS[str(v).lower()]} for "
                   "turbines (add-on controls: none, scr, oxidation-catalyst, scr+oxcat, nscr)", prefix="Note: ")
    for pol, qty in kw.get("factors") or ():
        if factor_key(pol) in out:
            raise CliError(f"--factor: {pol} is given more than once; give it once", 2)
        out[factor_key(pol)] = qty
    return out


def _scenario(kw: dict[str, Any]) -> Any:
    from dataclasses import replace

    from emiss.inputs.permit_limits import on_top, parse_limits
    from emiss.inputs.scenario import scenario_from

    sc = scenario_from(kw.get("preset"), overrides_from(kw))
    extra = parse_limits(kw.get("limits") or ())
    return replace(sc, limits=on_top(sc.limits, extra)) if extra else sc


def limit_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --limit POLLUTANT=QTY (repeatable): a permit limit to compare with."""
    return click.option("--limit", "limits", multiple=True, type=PollutantValue(factor=False, example="nox=87tpy"),
                        metavar="POLLUTANT=QTY", help="A permit limit to compare with, in tpy, lb/h, lb/MMBtu or ppmvd@15%O2, "
                        "e.g. nox='87 tpy'. For the whole facility, unless 'per unit' follows (each unit, as permits "
                        "usually state hourly limits: nox='10 lb/h per unit'). Repeatable, one of each kind per "
                        "pollutant (a cap per year, an hourly limit, a limit per heat input; of each unit or the "
                        "facility); replaces a preset's [[limits]] entry of its kind for that pollutant and adds to the others.")(f)


def report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --html FILE (a self-contained page), --chart FILE.svg|.png and --xlsx FILE."""
    for opt in reversed((
        click.option("--html", "html_path", type=ReportFile("an HTML page", ".html", ".htm"), metavar="FILE", help="Also write a self-contained HTML report (no network): the finding, charts, tables, sources."),
        click.option("--chart", "chart_path", multiple=True, type=ReportFile("a chart", ".svg", ".png", strict=True),
                     metavar="FILE.svg|.png",
                     help="Also draw the chart as SVG or PNG. Repeatable (e.g. once .svg, once .png); a command that draws "
                          "several charts writes the others beside it as FILE-<name>.svg|.png."),
        click.option("--xlsx", "xlsx_path", type=ReportFile("an Excel workbook", ".xlsx"), metavar="FILE", help="Also write a spreadsheet: one sheet per table, numbers as numbers."),
    )):
        f = opt(f)
    return f


def _reports(kw: dict[str, Any], *, title: str, document: Any, finding: str = "", figures: Any = (),
             charts: Callable[[], list[tuple[Any, ...]]] = lambda: [], sheets: Callable[[], Any] | None = None,
             result: Any = None, run: dict[str, Any] | None = None, detail: str = "") -> None:
    """Write the --html, --chart and --xlsx files a command was asked for (each a one-line error if it cannot)."""
    html_path, chart_paths, xlsx_path = kw.pop("html_path", None), kw.pop("chart_path", None) or (), kw.pop("xlsx_path", None)
    if isinstance(chart_paths, str):
        chart_paths = (chart_paths,)
    chart_path = bool(chart_paths)
    if xlsx_path and sheets is None:
        raise CliError("--xlsx: this command has no spreadsheet", 2)
    paths = [os.path.abspath(p) for p in (html_path, *chart_paths, xlsx_path) if p]
    if len(paths) != len(set(paths)):  # as estimate refuses: '--html out --xlsx out' left the workbook, the page lost
        raise CliError("two of --html, --chart and --xlsx name the same file; give each its own", 2)
    if not (html_path or chart_path or xlsx_path):
        return
    from emiss.report import render

    drawn = []
    writing = ""  # the --html or --xlsx file being written, for an error that does not name it
    if html_path or chart_path:
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:  # only a missing matplotlib is the user's to fix
            raise CliError("charts need matplotlib: pip install 'emiss[report]'", 1)
        drawn = charts()
    svgs: dict[int, str] = {}

    def svg(i: int) -> str:  # each figure drawn as SVG once: --chart FILE.svg and the page take the same text
        if i not in svgs:
            from emiss.report.charts import render_svg

            svgs[i] = render_svg(drawn[i][0])
        return svgs[i]

    try:
        if chart_path:
            if not drawn:
                raise CliError("--chart: this command has nothing to draw", 2)
            from emiss.report.charts import chart_paths as named, save

            written = [path for i, path in named(chart_paths, [d[2] if len(d) > 2 else str(k + 1) for k, d in enumerate(drawn)])
                       if save(drawn[i][0], path, close=False, svg=svg(i) if path.lower().endswith(".svg") else None) is None]
            if len(written) > len(chart_paths):
                _error("charts written: " + ", ".join(printable(w) for w in written), prefix="Note: ")
        if html_path:
            from emiss.report.charts import inline_svg
            from emiss.report.page import provenance

            page = render.view_html(document.view, title=title, finding=finding, figures=figures,
                                    charts=[(inline_svg(svg(i)), d[1]) for i, d in enumerate(drawn)],
                                    generator=f"Made with emiss {__version__}: every number beside its assumption and source.",
                                    provenance=provenance(result, run, ARGV), detail=detail)
            writing = html_path
            with open(html_path, "w", encoding="utf-8") as fh:
                fh.write(page)
        if xlsx_path:
            writing = xlsx_path
            try:
                render.write_xlsx(xlsx_path, sheets())
            except ImportError:
                raise CliError("--xlsx needs openpyxl: pip install 'emiss[report]'", 1) from None
    except OSError as exc:  # a failed flush at close (/dev/full) has no filename: the file being written is the one
        raise CliError(f"cannot write '{printable(str(exc.filename or writing))}': {exc.strerror or exc}", 1) from None
    finally:  # each figure once written (the file and the page's SVG both drawn from it), or on an error: pyplot keeps
        if drawn:  # every figure open until closed, and in-process use (the API, tests) would pile them up
            import matplotlib.pyplot as plt

            for d in drawn:
                plt.close(d[0])


def _write_file(path: str, text: str, what: str) -> None:
    """Write ``text`` to the file an option names (its ReportFile type has refused '-' already)."""
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CliError(f"{what}: cannot write '{printable(path)}': {exc.strerror or exc}", 1) from None


# ---- commands ------------------------------------------------------------------------------------------

@click.group(cls=EmissGroup, lazy=COMMAND_MODULES, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="emiss", message="%(prog)s %(version)s")
def cli() -> None:
    """Estimate the emissions of on-site gas turbines and engines, with every assumption and source shown.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
    """



# numpy's OpenBLAS starts a thread per core when numpy is imported (Monte Carlo, batch), and they spin a while waiting
# for work: emiss does no linear algebra, so they only take CPU from the run (~60 ms of CPU at each import here, and as
# much wall time when the cores are busy). A user's own setting stands.
BLAS_THREADS = "1"


def main() -> None:
    """Run the command line (the 'emiss' console script)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)  # read once, when numpy loads OpenBLAS
    if sys.stdout is None:
        _error("standard output is closed; nothing could be written")
        sys.exit(1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # an ASCII-only locale gets '?' rather than a traceback
        except (AttributeError, ValueError):
            pass
    cli(prog_name="emiss")
