"""Fifth review: edges a reliability sweep left (integer options, report file names, undecodable bytes, the upstream
leak's range, the Python API's argument types, reversed ranges)."""

from __future__ import annotations

import pytest

from emiss.errors import printable

DIGITS_ONLY = "is not a whole number: numbers are written with the digits 0-9 (no '_'), e.g. 1000"


# ---- integer options read by the quantities' rule ---------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("estimate", "--preset", "memphis", "--samples", "1_000"),
    ("estimate", "--preset", "memphis", "--samples", "\u0661\u0660\u0660"),  # Arabic-Indic 100
    ("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1_0"),
    ("estimate", "--preset", "memphis", "--samples", "200", "--seed", "\uff11"),  # fullwidth 1
    ("cluster", "--gpus", "1_000"),
])
def test_integer_options_take_the_digits_0_9_only(run, args):
    # click's int() read '1_000' as 1000 and '١٠٠' as 100 while --turbines (and every quantity) refuses both: one rule
    code, out, err = run(*args)
    option, value = args[-2], args[-1]
    assert (code, out) == (2, "")
    assert err.strip() == f"Error: Invalid value for '{option}': '{value}' {DIGITS_ONLY}"


def test_integer_options_keep_their_own_messages_and_plain_numbers(run):
    # the bounds and click's wording stay; a sign and spaces are still a number, as int() and the quantities take them
    assert run("estimate", "--samples", "1e3")[2].strip() == "Error: Invalid value for '--samples': '1e3' is not a valid integer range."
    assert run("estimate", "--samples", "1")[2].strip() == "Error: Invalid value for '--samples': 1 is not in the range x>=2."
    assert run("cluster", "--gpus", "x")[2].strip() == "Error: Invalid value for '--gpus': 'x' is not a valid integer."
    code, out, err = run("estimate", "--preset", "memphis", "--samples", " +20 ", "--seed", "3", "--only", "nox", "--format", "json")
    assert code == 0, err
    assert '"samples": 20,' in out and '"seed": 3,' in out


# ---- bytes that are not UTF-8 are shown as bytes ------------------------------------------------------------------

def test_printable_shows_an_undecoded_byte_as_the_byte():
    # surrogateescape reads byte 0xff as U+DCFF: shown '\udcff', a character no one typed; the byte is '\xff'
    assert printable("a\udcffb\udc80") == "a\\xffb\\x80"
    assert printable("\ud800 \udfff \x1b \x85") == "\\ud800 \\udfff \\x1b \\x85"  # other surrogates and controls as before


def test_a_non_utf8_argument_is_quoted_as_its_bytes(run):
    # a shell's $'\xff' arrives as '\udcff'
    code, out, err = run("estimate", "--preset", "a\udcff.toml")
    assert (code, out) == (2, "")
    assert err.strip() == "Error: --preset: no such preset file 'a\\xff.toml'"
    code, out, err = run("estimate", "--samples", "\udcfe")
    assert (code, out) == (2, "")
    assert err.strip() == f"Error: Invalid value for '--samples': '\\xfe' {DIGITS_ONLY}"
