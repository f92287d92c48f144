"""Commands for measured data: `track` (12-month rolling compliance) and `measured` (CAMPD and eGRID data beside
the estimate)."""

from __future__ import annotations

from typing import Any

import click

from emiss.cli.app import CliError, PollutantValue, ReportFile, _reports, cli, document_formats, emit, encode
from emiss.errors import printable


def _caps(preset: str | None, limits: tuple[tuple[str, str], ...]) -> tuple[Any, list[Any], list[str]]:
    """Return the scenario (or None), the caps to track and notes on limits that are not caps."""
    from emiss.inputs.permit_limits import parse_limits
    from emiss.analysis.track import cap_from_limit
    from emiss.data import pollutant_name

    sc = None
    caps: dict[str, Any] = {}
    notes: list[str] = []
    if preset:
        from emiss.inputs.scenario import scenario_from

        sc = scenario_from(preset)
        for lim in sc.limits:
            if lim.kind == "annual" and lim.per != "unit":
                caps[lim.pollutant] = cap_from_limit(lim)
            elif lim.kind == "annual":
                notes.append(f"{pollutant_name(lim.pollutant)}: the preset's limit '{printable(lim.shown)}' is a cap per unit; track "
                             "sets the facility's 12-month sums against caps and does not check it")
            else:
                notes.append(f"{pollutant_name(lim.pollutant)}: the preset's limit '{printable(lim.text)}' is not a cap per year; "
                             "track does not check it")
    for lim in parse_limits(limits):  # one of a kind per pollutant, as every command with --limit reads them
        cap = cap_from_limit(lim)
        if lim.pollutant in caps:
            notes.append(f"{pollutant_name(lim.pollutant)}: --limit {printable(lim.text)} replaces the preset's cap of "
                         f"{caps[lim.pollutant].text}")
        caps[lim.pollutant] = cap
    return sc, list(caps.values()), notes


@cli.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("--preset", metavar="NAME|PATH", help="A preset describing the units (its [[fleet]] groups, by name, or "
              "NAME#k for unit k of a group) and its [[limits]] caps; needed only to estimate pollutants the log does not "
              "measure.")
@click.option("--limit", "limits", multiple=True, type=PollutantValue(factor=False, example="nox='87 tpy'"),
              metavar="POLLUTANT=QTY", help="A 12-month cap in tons per year, e.g. nox='87 tpy'. Repeatable, one per "
              "pollutant; replaces the preset's cap for that pollutant.")
@click.option("--chart", "chart_path", type=ReportFile("a chart", ".svg", ".png", strict=True), metavar="FILE.svg|.png", help="Also draw the rolling sums against the caps.")
@document_formats("view", "data", "rows")
def track(logs: tuple[str, ...], preset: str | None, limits: tuple[tuple[str, str], ...], chart_path: str | None,
          fmt: str) -> None:
    """Track 12-month rolling sums against annual caps from operating logs (exit 3 when a cap is crossed).

    A log is a CAMPD hourly or daily export (CSV, gzip or Parquet, EPA's column names), or a plain CSV/Parquet with
    columns date (YYYY-MM-DD, or YYYY-MM), unit, optional hour (0-23), one of heat_input_mmbtu, hours, fuel_scf or
    mwh, and optional measured pounds as <pollutant>_lb (e.g. nox_lb). Measured pounds are summed as measured;
    other pollutants are estimated from the preset. Gaps and blanks are counted and named. A unit's hour (day,
    month) has one row: a repeat equal in every cell (a log given twice) is counted once and said; one with other
    values is refused, naming both rows.

    A window is crossed when its sum is above the cap, even if incomplete (a partial sum is a lower bound); an
    incomplete window under the cap is unknown (JSON null, 'unknown' elsewhere), never 'not crossed'. The months
    before a log are unknown, so its first 11 windows are incomplete. So are a unit's months with no row, before its
    first row or after its last: missing data, not zero (basis 'missing'); a row with 0 operating hours says a unit
    was idle or not yet in service. A month logged by day or hour is whole only when every day (every hour, for an
    hourly log) has a row, a 0 h row included; one with days or hours lacking a row is only partly logged, missing
    data (basis '..., 3 of 31 days logged'; the facility's '..., a lower bound'). With --preset, a unit of its fleet
    that no log names is missing in every month (a group named bare, 'NAME', is taken as logged whole). Unknown
    windows do not change the exit code.

    A value no unit can reach is refused, naming its row, with the bounds of `emiss measured`: heat input above
    30,000 MMBtu/h over the hours the row covers (an hour, a day, a month), or a mass above that heat input at 10
    lb/MMBtu of NOx or N2O, 20 of SO2, 255 of CO, 146 of CH4, 273 of formaldehyde, 15,425 of CO2e, or 400 (CO2's,
    the largest of any combustion product) of CO2 and of pollutants with no bound of their own (VOC, PM, HAP, NH3).

    \b
    Examples:
      emiss track examples/track-log.csv --limit nox='87 tpy'
      emiss track campd-hourly-2024.csv.gz --limit nox='40 tpy' --format json | jq .first_crossing
    """
    from emiss.analysis.track import Tracker
    from emiss.data import pollutant_name
    from emiss.report import measured as mdoc

    sc, caps, notes = _caps(preset, limits)
    if not caps and sc is None and fmt == "table":
        notes.append("no cap given (--limit or --preset): the sums are shown without a comparison")
    tracker = Tracker(caps, scenario=sc)
    tracker.notes += notes
    for path in logs:
        tracker.add(path)
    doc = tracker.result()
    document = mdoc.track_document(doc)
    emit(encode(document, fmt))
    if chart_path:
        _reports({"chart_path": chart_path}, title="emiss track", document=document,
                 charts=lambda: [(mdoc.track_chart(doc), "")])
    crossed = [f"{pollutant_name(p)} in {m}" for p, m in doc["first_crossing"].items() if m]  # JSON's first_crossing keeps 'nox'
    if crossed:
        raise CliError("a 12-month sum crosses its cap: " + "; ".join(crossed), 3)


@cli.command(name="measured")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--period", type=click.Choice(("year", "month")), default="year", show_default=True,
              help="Sum hourly and daily exports per calendar year or month (annual exports and eGRID rows stay as they are).")
@document_formats("view", "data", "rows")
def measured_cmd(files: tuple[str, ...], period: str, fmt: str) -> None:
    """Set measured emissions (CAMPD exports, eGRID unit-file rows) beside emiss's estimate for the same heat input.

    Reads CAMPD hourly, daily and annual exports with EPA's column names (CSV, gzip or Parquet) and rows of EPA's
    eGRID unit file. Per unit and period: operating hours, heat input, measured NOx, SO2 and CO2 mass and rate, the
    estimate on the AP-42 and the measured-class basis for the unit's NOx controls, and measured / estimated. Blank
    and substituted values are counted and said, never taken as zero. A period an hourly or daily export covers only
    in part (an hour or a day without a row; a 0 h row counts) is flagged, its sums a lower bound: period_complete
    false in JSON and CSV, '*' in the table. A value no unit can reach is refused, naming
    its row: an operating time beyond the hours the row covers (an hour, a day, a year), a heat input above 30,000
    MMBtu/h, or a mass above that heat input at 10 lb/MMBtu of NOx, 20 of SO2 or 400 of CO2 (more than any fuel's
    combustion gives). A row repeated equal in every cell (a file given twice) is counted once and said; one repeated
    with other values is refused, naming both rows.

    \b
    Examples:
      emiss measured examples/egrid-units-2021.csv
      emiss measured campd-annual-2023.csv --format json | jq '.rows[] | {unit, nox_ratio_ap42}'
    """
    from emiss.analysis.measured import compare, read
    from emiss.report import measured as mdoc

    accs, notes = read(list(files), period=period)
    if not accs:
        raise CliError(", ".join(printable(f) for f in files) + ": no rows to compare", 1)
    rows, more = compare(accs)
    emit(encode(mdoc.compare_document(rows, notes + more), fmt))
