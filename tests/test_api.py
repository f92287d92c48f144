"""The Python API (emiss.estimate, emiss.build_scenario, ...): a wrong argument named in words; numpy
scalars, paths, bools and enums taken for what they are."""

from __future__ import annotations

import enum

import pytest

import emiss
from emiss.core.units import value_kind
from emiss.errors import EmissError


# ---- the Python API: a wrong type is emiss's own one-line error, naming the argument --------------------------------

PRESETS_HINT = "give a preset name (memphis, "


@pytest.mark.parametrize("call, where, start", [
    (lambda e: e.build_scenario({"name": "memphis"}), "--preset", "is an object ({'name': 'memphis'}), not a preset; "),
    (lambda e: e.build_scenario(5), "--preset", "is an int (5), not a preset; "),
    (lambda e: e.build_scenario(b"memphis"), "--preset", "is binary data (b'memphis'), not a preset; "),
    (lambda e: e.load_preset(None), "--preset", "is empty, not a preset; "),
    (lambda e: e.estimate_frame({"capacity_factor": [0.5]}, 5), "--preset", "is an int (5), not a preset; "),
    (lambda e: e.calculate("memphis"), "calculate", "scenario must be a Scenario from emiss.build_scenario, not a str (memphis)"),
    (lambda e: e.calculate(None), "calculate", "scenario must be a Scenario from emiss.build_scenario, not empty"),
    (lambda e: e.to_document({}), "to_document", "result must be a Result from emiss.calculate, not an object ({})"),
    (lambda e: e.to_rows("x"), "to_rows", "result must be a Result from emiss.calculate, not a str (x)"),
])
def test_the_api_names_a_wrong_argument(call, where, start):
    # these raised AttributeError ('int' object has no attribute 'strip', 'str' object has no attribute 'hours')
    import emiss
    from emiss.errors import EmissError

    with pytest.raises(EmissError) as info:
        call(emiss)
    assert info.value.where == where
    assert info.value.message.startswith(start)
    assert where != "--preset" or PRESETS_HINT in info.value.message


def test_numpy_scalars_are_the_numbers_they_hold():
    # a value taken from a DataFrame is a numpy scalar: np.float64(0.5) raised TypeError ("has no len()"), np.int64(3)
    # was refused as "a int64, not a whole number of units"; each now gives the plain number's result
    import numpy as np

    import emiss

    def nox(**kw):
        return emiss.calculate(emiss.build_scenario("memphis", **kw)).emissions["nox"].lb_per_year

    assert nox(turbines=np.int64(3), capacity="16 MW", capacity_factor=np.float64(0.5)) == \
        nox(turbines=3, capacity="16 MW", capacity_factor=0.5)
    # 3 x 16 MW x 0.5 x 8,760 h x 9,695 Btu/kWh x 1.108 (memphis: LHV heat rate) = 2,258,440.8 MMBtu/yr of heat input
    assert emiss.calculate(emiss.build_scenario("memphis", turbines=np.int64(3), capacity="16 MW",
                                                heat_rate="9695 Btu/kWh", capacity_factor=np.float64(0.5))
                           ).heat_input_mmbtu == pytest.approx(3 * 16_000 * 0.5 * 8_760 * 9_695 * 1.108 / 1e6, rel=1e-12)


@pytest.mark.parametrize("value", [True, __import__("numpy").bool_(True)])
def test_a_bool_is_no_count(value):
    # True would be 1 unit: a flag given where a count belongs is a mistake, refused as a record's True is
    import emiss

    with pytest.raises(emiss.InputError) as info:
        emiss.build_scenario(None, turbines=value, capacity="16 MW")
    assert str(info.value) == "--turbines: expected a whole number of units, got True"


def test_a_pathlib_path_is_a_preset_path():
    # Path('presets/memphis.toml') raised AttributeError ('PosixPath' object has no attribute 'strip')
    from pathlib import Path

    import emiss

    shipped = Path(__file__).resolve().parent.parent / "presets" / "memphis.toml"
    assert emiss.calculate(emiss.build_scenario(shipped)).emissions["nox"].lb_per_year == \
        emiss.calculate(emiss.build_scenario("memphis")).emissions["nox"].lb_per_year


class _Fuel(enum.Enum):
    GAS = 1


@pytest.mark.parametrize("value, said", [
    (_Fuel.GAS, "an Enum member (_Fuel.GAS)"),  # was 'a _Fuel (_Fuel.GAS)'
    (_Fuel, "a class (_Fuel)"),  # was "a EnumType (<enum '_Fuel'>)"
    (ValueError("x"), "a value of type ValueError (x)"),  # was 'a ValueError (x)'
    (len, "a function (<built-in function len>)"),  # was 'a builtin_function_or_method (...)'
    (3j, "a complex number (3j)"),
    ({1}, "a set ({1})"),
    (5, "an int (5)"),  # Python's own lower-case names stay as they were
    ({}, "an object ({})"),
])
def test_value_kind_names_what_was_given_in_plain_words(value, said):
    assert value_kind(value) == said


def test_an_enum_given_as_a_preset_is_named_as_one():
    with pytest.raises(EmissError) as info:
        emiss.build_scenario(_Fuel.GAS)
    assert info.value.message.startswith("is an Enum member (_Fuel.GAS), not a preset; ")
    with pytest.raises(EmissError) as info:
        emiss.calculate(_Fuel)
    assert info.value.message == "scenario must be a Scenario from emiss.build_scenario, not a class (_Fuel)"
