"""Which combustor and add-on control each group of a fleet has: two layers of choice, checked against the unit.

A turbine has a combustor (diffusion, water-steam, dry-low-NOx ...) that sets its NOx and CO before any add-on
control; every unit may have an add-on control (SCR, an oxidation catalyst ...) that fits some kinds of unit only.
A fleet-wide choice applies where it fits and is refused where it fits nothing. The scenario builder (scenario.py)
mixes these in; they record problems and warnings on it as the rest of its checks do.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from emiss import data
from emiss.core.factors import library_to_factor, parse_factor
from emiss.core.model import Factor, Given, Spec
from emiss.errors import InputError
from emiss.inputs import fields
from emiss.inputs.fields import builtin

CONTROL_BOUND = ("nox", "co")  # the pollutants whose factor a turbine's combustor sets (AP-42 Table 3.1-1)


class Controls:
    """The scenario builder's reading of combustors and add-on controls (a mixin of scenario._Builder)."""

    spec: Spec
    problems: list[InputError]
    warnings: list[str]
    fleet_comb: Given | None
    attempt: Callable[..., Any]

    def _legacy(self, label: str, kind: str, ctrl: Given | None, comb: Given | None) -> tuple[Given | None, Given | None]:
        """Read a group's control given in the old spelling (a combustor: uncontrolled, water-steam, lean-premix)."""
        if ctrl is None or _norm(ctrl.value) not in data.LEGACY_CONTROLS:
            return ctrl, comb
        v = _norm(ctrl.value)
        self._legacy_note(ctrl)
        if kind == "turbine":
            return None, _higher(comb, replace(ctrl, value=data.LEGACY_CONTROLS[v]))
        if v == "uncontrolled":
            return replace(ctrl, value="none"), comb
        self.problems.append(InputError(f"'{ctrl.value}' is a turbine combustor; '{label}' is an engine: give its engine type "
                                        f"({', '.join(data.ENGINE_TYPES)}) and an add-on control ({', '.join(fields.ADDONS)})",
                                        where=ctrl.where, usage=ctrl.usage))
        return None, comb

    def _legacy_note(self, g: Given) -> None:
        v = _norm(g.value)
        note = (f"{g.where or 'control'}: '{g.value}' is a combustor, not an add-on control: read as combustor "
                f"'{data.LEGACY_CONTROLS[v]}' for turbines" + (" and no add-on control for engines" if v == "uncontrolled" else "")
                + f" (add-on controls: {', '.join(fields.ADDONS)})")
        if note not in self.warnings:
            self.warnings.append(note)

    def fleet_choices(self) -> None:
        """Read the fleet-wide --combustor, --control and --engine-type once; refuse one that fits no group."""
        s = self.spec.settings
        kinds = {str(g.fields["kind"].value).strip().lower() if "kind" in g.fields else "turbine" for g in self.spec.fleet}
        ctrl, comb = s.get("control"), s.get("combustor")
        self.fleet_ctrl: Given | None = None
        self.fleet_ctrl_fits: list[str] = []
        self.fleet_ctrl_skips: list[str] = []
        if ctrl is not None and _norm(ctrl.value) in data.LEGACY_CONTROLS:
            v = _norm(ctrl.value)
            self._legacy_note(ctrl)
            comb = comb if comb is not None and comb.rank >= ctrl.rank else replace(ctrl, value=data.LEGACY_CONTROLS[v])
            self.fleet_ctrl = replace(ctrl, value="none") if v == "uncontrolled" and "engine" in kinds else None
            ctrl = None
            if "turbine" not in kinds and v != "uncontrolled":
                self.problems.append(InputError(f"'{s['control'].value}' is a turbine combustor and this fleet has no turbine; "
                                                f"engines take --engine-type ({', '.join(data.ENGINE_TYPES)}) and --control "
                                                f"({', '.join(fields.ADDONS)})", where=s["control"].where, usage=s["control"].usage))
        elif ctrl is not None:
            c = data.engine_control(str(ctrl.value))
            if c is None:
                self.problems.append(InputError(f"'{ctrl.value}' is not an add-on control; known: {', '.join(fields.ADDONS)} "
                                                f"(combustors of turbines: --combustor {'|'.join(data.COMBUSTORS)})",
                                                where=ctrl.where, usage=ctrl.usage))
            else:
                self.fleet_ctrl = replace(ctrl, value=c.id)
        self.fleet_comb = comb
        if comb is not None and kinds == {"turbine", "engine"}:
            self.warnings.append(f"{comb.where or 'combustor'}: '{comb.value}' applies to the turbines; not to the engines, "
                                 "which keep their engine type")
        et = s.get("engine_type")
        if et is not None and kinds == {"turbine", "engine"}:
            self.warnings.append(f"{et.where or 'engine type'}: '{et.value}' applies to the engines; not to the turbines, "
                                 "which keep their combustor")
        if comb is not None and "turbine" not in kinds:
            self.problems.append(InputError(f"a combustor is for turbines and this fleet has none; engines take --engine-type "
                                            f"({', '.join(data.ENGINE_TYPES)})", where=comb.where, usage=comb.usage))
        if et is not None and "engine" not in kinds:
            self.problems.append(InputError(f"an engine type is for engines and this fleet has none; turbines take --combustor "
                                            f"({', '.join(data.COMBUSTORS)})", where=et.where, usage=et.usage))

    def fleet_control_report(self) -> None:
        """Say where a fleet-wide add-on control did not fit; refuse it when it fits no group."""
        ctrl = self.fleet_ctrl
        if ctrl is None or not self.fleet_ctrl_skips:
            return
        c = data.engine_controls()[str(ctrl.value)]
        fits = ", ".join(t if t == "turbine" else f"{t} engine" for t in c.applies_to)
        if not self.fleet_ctrl_fits:
            self.problems.append(InputError(f"'{ctrl.value}' fits no unit here ({'; '.join(self.fleet_ctrl_skips)}): "
                                            f"{c.name} fits {fits}s", where=ctrl.where, usage=ctrl.usage))
        else:
            self.warnings.append(f"{ctrl.where or 'control'}: '{ctrl.value}' applies to {', '.join(self.fleet_ctrl_fits)}; "
                                 f"not to {'; '.join(self.fleet_ctrl_skips)} ({c.name} fits {fits}s), which keep their own")

    def combustor(self, label: str, kind: str, own: Given | None, catalog: Given | None) -> tuple[str, Given]:
        """Return a turbine's combustor: the highest layer's (a fleet-wide one included), else the catalog's, else the default."""
        if kind != "turbine":
            if own is not None:
                self.problems.append(InputError(f"a combustor is for turbines; '{label}' is an engine (give engine_type: "
                                                f"{', '.join(data.ENGINE_TYPES)})", where=own.where, usage=own.usage))
            return "", Given("", "", "built-in")
        given = _higher(own, self.fleet_comb) or catalog or builtin("default_combustor")
        value = _norm(given.value)
        if value not in data.COMBUSTORS:
            self.problems.append(InputError(f"'{given.value}' is not a combustor; known: {', '.join(data.COMBUSTORS)}",
                                            where=given.where, usage=given.usage))
            return "diffusion", given
        return value, given

    def control(self, label: str, kind: str, engine_type: str, own: Given | None) -> tuple[str, Given]:
        """Return a group's add-on control: the highest layer's that fits the unit (a fleet-wide one only where it fits)."""
        fleet = self.fleet_ctrl
        unit_type = engine_type if kind == "engine" else "turbine"
        if fleet is not None and (own is None or fleet.rank > own.rank):
            c = data.engine_controls()[str(fleet.value)]
            if unit_type in c.applies_to:
                self.fleet_ctrl_fits.append(f"'{label}'")
                own = fleet
            else:
                self.fleet_ctrl_skips.append(f"'{label}' ({unit_type if kind == 'engine' else 'a turbine'})")
        given = own or builtin("default_control")
        c = data.engine_control(str(given.value))
        if c is None:
            self.problems.append(InputError(f"'{given.value}' is not an add-on control ('{label}'); known: {', '.join(fields.ADDONS)}"
                                            + (f"; a turbine's combustor is set with --combustor ({', '.join(data.COMBUSTORS)})"
                                               if kind == "turbine" else ""), where=given.where, usage=given.usage))
            return "none", given
        if unit_type not in c.applies_to:
            fit = ", ".join(x.id for x in data.engine_controls().values() if unit_type in x.applies_to)
            self.problems.append(InputError(
                f"{c.name} does not apply to {'a turbine' if kind == 'turbine' else engine_type + ' engines'} ('{label}'): it fits "
                f"{', '.join(c.applies_to)}; controls for {unit_type}: {fit}", where=given.where, usage=given.usage))
            return "none", given
        return c.id, given

    def _control_levels(self, label: str, f: dict[str, Given], control: str) -> dict[str, Factor]:
        """Return the unit's own levels after its add-on control, where the catalog gives them (NOx after SCR)."""
        g = f.get("controlled_nox")
        if g is None or control not in ("scr", "scr+oxcat"):
            return {}
        fac = self.attempt(lambda: parse_factor("nox", g.value, where=g.where, source=g.source, status=g.status, layer=g.layer,
                                                note="the unit's level after SCR (catalog)"), None)
        return {"nox": fac} if fac is not None else {}

    def _control_needs(self, label: str, kind: str, engine_type: str, control: str, factors: dict[str, Factor],
                       fleet: dict[str, Factor], given: Given, levels: dict[str, Factor]) -> None:
        """A control whose effect emiss cannot cite (SCR on engines) needs the level after it, given at its layer or above."""
        if control == "none":
            return
        c = data.engine_controls()[control]
        unit_type = engine_type if kind == "engine" else "turbine"
        for pol in c.needs:
            if c.effect(unit_type, pol) is not None or pol in levels:
                continue
            if any(x is not None and x.rank >= given.rank for x in (factors.get(pol), fleet.get(pol))):
                continue
            self.problems.append(InputError(
                f"'{label}' has {c.name}, but emiss ships no cited {pol.upper()} level after it for {unit_type} units (a level "
                f"from the catalog or a lower layer is the level before it): give the {pol.upper()} level after the control, "
                f"e.g. --factor {pol}='5 ppmvd@15%O2' or a factor in the preset", where=given.where, usage=given.usage))

    @staticmethod
    def _combustor_sets_factors(factors: dict[str, Factor], fleet: dict[str, Factor], combustor: str, given: Given,
                                catalog: Given | None) -> tuple[str, ...]:
        """A combustor given at a higher layer than a NOx/CO factor replaces that factor with the combustor's AP-42 level,
        unless it is the unit's own combustor in the catalog (whose levels are that combustor's, for this model).
        Return the pollutants it set: levels before add-on controls, whatever the combustor's layer."""
        if catalog is not None and _norm(catalog.value) == combustor:
            return ()
        done = []
        for pol in CONTROL_BOUND:
            below = [x for x in (factors.get(pol), fleet.get(pol)) if x is not None]
            if not below or max(x.rank for x in below) >= given.rank:
                continue
            lib = data.library_factor(pol, "turbine", data.COMBUSTOR_ROWS[combustor])
            if lib is not None:
                f = library_to_factor(lib)
                factors[pol] = replace(f, layer=given.layer, note=f"set by the combustor '{combustor}' ({given.where or given.layer})")
                done.append(pol)
        return tuple(done)


def _norm(value: Any) -> str:
    return str(value).strip().lower()


def _higher(group: Given | None, fleet: Given | None) -> Given | None:
    """Return whichever of two values comes from the higher layer (the group's on a tie)."""
    if group is None or fleet is None:
        return group or fleet
    return group if group.rank >= fleet.rank else fleet
