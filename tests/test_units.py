"""Unit conversions worked out by hand, independent of the code's own constants."""

from __future__ import annotations

import pytest

from emiss.core import units
from emiss.errors import InputError
from emiss.core.factors import parse_factor


def method19(pollutant: str, text: str) -> float:
    return parse_factor(pollutant, text, where="t", source="t", status="user", layer="cli").value


def test_method19_nox_one_ppm_at_15_percent_o2():
    # K = 46.01 / 385.3e6 = 1.19413e-7 lb/scf/ppm; x Fd 8,710 = 1.040087e-3; x 20.9/(20.9-15) = 3.542373
    # -> 3.6844e-3 lb/MMBtu (REFERENCE: 0.003684)
    assert method19("nox", "1 ppmvd@15%O2") == pytest.approx(3.6844e-3, rel=2e-4)


def test_method19_co_and_voc():
    # CO: 28.01/385.3e6 x 8710 x 3.542373 = 2.2430e-3; VOC as CH4: 16.04/385.3e6 x 8710 x 3.542373 = 1.2844e-3
    assert method19("co", "1 ppmvd@15%O2") == pytest.approx(2.2430e-3, rel=2e-4)
    assert method19("voc", "1 ppmvd@15%O2") == pytest.approx(1.2844e-3, rel=2e-4)


def test_method19_oxygen_correction_scales_as_expected():
    # At 3 % O2 the correction is 20.9/17.9 instead of 20.9/5.9: ratio 5.9/17.9 = 0.32961
    assert method19("nox", "9 ppmvd@3%O2") / method19("nox", "9 ppmvd@15%O2") == pytest.approx(5.9 / 17.9)


@pytest.mark.parametrize("text", ["2 ppmvd@15%O2", "2 ppmvd @ 15 % O2", "2 ppmdv@15%o2", "2 ppmvd at 15% O2", "2ppm@15%O2"])
def test_concentration_spellings(text):
    assert units.parse_concentration(text) == units.Concentration(2.0, 15.0)


def test_molar_volume_matches_the_gas_constant():
    # R T / P at 68 degF (527.67 degR) and 1 atm, in ft3 per lb-mol: the 385.3 Method 19 uses
    q = units.ureg().Quantity("molar_gas_constant * 527.67 degR / atm").to("ft**3/lbmol")
    assert q.magnitude == pytest.approx(385.3, rel=1e-3)


@pytest.mark.parametrize(
    ("text", "form", "value"),
    [
        ("0.099 lb/MMBtu", "input", 0.099),
        ("42 g/GJ", "input", 42 / 453.59237 * 1.05505585),  # g -> lb, per GJ -> per MMBtu (1 MMBtu = 1.05506 GJ)
        ("0.3 lb/MWh", "output", 0.3),
        ("1 g/kWh", "output", 1000 / 453.59237),  # 1 g/kWh = 1 kg/MWh = 2.20462 lb/MWh
        ("2.1 lb/h", "time", 2.1),
        ("1 kg/h", "time", 1 / 0.45359237),
        ("100 lb/MMscf", "fuel", 100 / 1e6),
    ],
)
def test_factor_forms(text, form, value):
    f = parse_factor("nox", text, where="t", source="t", status="user", layer="cli")
    assert f.form == form
    assert f.value == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize("text", ["0.1 lb/MBtu", "3 ppm", "nan lb/MMBtu", "inf lb/h", "1e400 lb/h", "-1 lb/MMBtu", "5 MW", "", "1 furlong/MMBtu"])
def test_bad_factors_are_input_errors(text):
    with pytest.raises(InputError):
        parse_factor("nox", text, where="t", source="t", status="user", layer="cli")


def test_concentration_only_for_gases_with_a_molecular_weight():
    with pytest.raises(InputError, match="only for nox, co, voc"):
        parse_factor("pm", "2 ppmvd@15%O2", where="t", source="t", status="user", layer="cli")


def test_tons_are_short_tons_and_tonnes_are_metric():
    assert units.multiplier("short_ton", "lb") == pytest.approx(2000)
    assert units.multiplier("metric_ton", "kg") == pytest.approx(1000)
