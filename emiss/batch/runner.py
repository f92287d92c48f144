"""What the engine needs to estimate a record on its own: the base scenario, the presets records may name, and the
templates (one fully built scenario per record shape) whose values the engine sets as arrays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emiss.core.calc import estimate
from emiss.core.model import Result, Scenario, Spec
from emiss.errors import InputError, printable
from emiss.inputs import fields
from emiss.inputs.fields import FIELDS
from emiss.inputs.presets import available, load
from emiss.inputs.scenario import apply_overrides, build
from emiss.batch.records import Record


class Runner:
    """Estimate records on top of one base scenario; a record may name a shipped preset, or a preset file under
    ``preset_dir`` (a folder given on the command line), and nothing else."""

    TEMPLATES = 256  # record shapes kept

    def __init__(self, base: Spec, base_overrides: dict[str, Any], preset_dir: str | None = None) -> None:
        self.base_overrides = dict(base_overrides)
        self.base = apply_overrides(base, base_overrides)
        self.preset_dir = Path(preset_dir).resolve() if preset_dir else None
        self.presets: dict[str, Spec] = {}
        self.templates: dict[Any, Scenario] = {}

    def _preset(self, name: Any) -> Spec:
        text = str(name)
        if "/" not in text and "\\" not in text and not text.endswith(".toml"):
            return load(text)  # a shipped preset's name (an unknown one is refused with the names there are)
        if self.preset_dir is not None:
            path = Path(text) if Path(text).is_absolute() else self.preset_dir / text
            if path.resolve().is_relative_to(self.preset_dir):
                return load(str(path))
        shipped = ", ".join(available())
        if self.preset_dir is None:
            raise InputError(f"'{printable(text)[:80]}' is a file; a record may name a shipped preset ({shipped}), and files "
                             "only under a folder given with --preset-dir DIR", where="preset")
        raise InputError(f"'{printable(text)[:80]}' is not under --preset-dir {printable(str(self.preset_dir))}; a record "
                         f"may name a shipped preset ({shipped}) or a file under that folder", where="preset")

    def spec_for(self, record: Record) -> Spec:
        """Return the layered inputs of ``record`` on top of the base (or of the preset it names)."""
        settings = dict(record.settings)
        preset = settings.pop("preset", None)
        base = self.base
        if preset:
            if preset not in self.presets:
                self.presets[preset] = apply_overrides(self._preset(preset), self.base_overrides)
            base = self.presets[preset]
        for key in settings:
            if key == "upstream_leak":  # its methane is shown apart from the totals; a batch row has no place for it
                raise InputError("upstream_leak is for 'emiss estimate' (shown apart from the totals); a batch row has no "
                                 "column for it", where=key)
            if not key.startswith((fields.FACTOR_PREFIX, "fleet.", "group.")) and key not in FIELDS:
                raise InputError(f"unknown field '{key}'; fields: id, preset, {', '.join(FIELDS)}, factor.<pollutant>, "
                                 "fleet.N.<field>, group.<name>.<field>", where=key)
        return apply_overrides(base, settings, layer="record", where=lambda k: k)

    def run(self, record: Record) -> Result:
        """Estimate one record, built in full (raises EmissError with the field in ``where``)."""
        if record.error:
            raise InputError(record.error)
        return estimate(build(self.spec_for(record)))

    def build_template(self, record: Record, shape: Any) -> Scenario:
        """Build ``record`` in full and keep it as the template of its shape."""
        scenario = build(self.spec_for(record))
        if len(self.templates) < self.TEMPLATES:
            self.templates[shape] = scenario
        return scenario

