"""emiss: reproducible emissions estimates for on-site gas-turbine and engine power.

The Python API (the same numbers as the command line)::

    import emiss
    sc = emiss.build_scenario("memphis", capacity_factor="60%")   # a preset (or None) and overrides
    result = emiss.calculate(sc)                                   # a frozen Result
    doc = emiss.to_document(result)                                # the JSON document of 'emiss estimate'
    rows = emiss.to_rows(result)                                   # the rows of its csv/ndjson formats
    doc = emiss.estimate("memphis", only=["nox"])                  # all three steps at once
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from emiss.version import __version__

__all__ = ["__version__", "build_scenario", "calculate", "estimate", "estimate_frame", "load_preset", "to_document", "to_rows",
           "EmissError", "InputError", "PresetError"]

if TYPE_CHECKING:
    from emiss.core.model import Result, Scenario, Spec


def load_preset(name_or_path: str) -> Spec:
    """Return a shipped preset (by name) or a preset file (by path) as layered inputs, checked for structure."""
    from emiss.inputs.presets import load

    return load(name_or_path)


def build_scenario(preset: str | None = None, /, **overrides: Any) -> Scenario:
    """Return the validated Scenario of ``preset`` with ``overrides`` (names like the options: capacity_factor="60%",
    turbines=4, factor_nox="2 ppmvd@15%O2" or **{"factor.nox": ...})."""
    from emiss.inputs.scenario import scenario_from

    fixed = {("factor." + k[len("factor_"):] if k.startswith("factor_") else k): v for k, v in overrides.items()}
    return scenario_from(preset, fixed)


def calculate(scenario: Scenario) -> Result:
    """Return the Result of a validated Scenario (pure: no I/O)."""
    from emiss.core.calc import estimate as _estimate
    from emiss.core.model import Scenario

    _expect(scenario, Scenario, "calculate", "scenario", "a Scenario from emiss.build_scenario")
    return _estimate(scenario)


def _expect(value: Any, kind: type, function: str, argument: str, what: str) -> None:
    """Raise emiss's InputError naming ``function``'s ``argument`` when ``value`` is not a ``kind``: a wrong type given
    to the API is the caller's error, said in one line, not an AttributeError from deep inside."""
    if not isinstance(value, kind):
        from emiss.core.units import value_kind
        from emiss.errors import InputError

        raise InputError(f"{argument} must be {what}, not {value_kind(value)}", where=function, usage=True)


def to_document(result: Result, *, only: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the JSON document 'emiss estimate --format json' prints for ``result``."""
    from emiss.core.factors import check_only
    from emiss.core.model import Result
    from emiss.report.estimate import estimate_doc

    _expect(result, Result, "to_document", "result", "a Result from emiss.calculate")
    return estimate_doc(result, only=check_only(only))


def to_rows(result: Result, *, only: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Return the rows 'emiss estimate --format csv' prints for ``result`` (quantity, value, unit, note)."""
    from emiss.core.factors import check_only
    from emiss.core.model import Result
    from emiss.report.estimate import estimate_rows

    _expect(result, Result, "to_rows", "result", "a Result from emiss.calculate")
    return estimate_rows(result, only=check_only(only))


def estimate(preset: str | None = None, /, *, only: Iterable[str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Build, calculate and document one scenario: the JSON document of 'emiss estimate --format json'."""
    return to_document(calculate(build_scenario(preset, **overrides)), only=only)


def estimate_frame(frame: Any, preset: str | None = None, **kwargs: Any) -> Any:
    """Estimate one scenario per row of a pandas or polars DataFrame, a pyarrow Table (or a dict of columns); see
    emiss.batch.frames.estimate_frame."""
    from emiss.batch.frames import estimate_frame as _frame

    return _frame(frame, preset, **kwargs)


def __getattr__(name: str) -> Any:
    """Give the error types lazily, so that 'import emiss' stays cheap."""
    if name in ("EmissError", "InputError", "PresetError"):
        from emiss import errors

        return getattr(errors, name)
    raise AttributeError(name)
