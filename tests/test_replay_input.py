"""emiss replay, reading a manifest: from standard input, with a byte-order mark, and a hand-edited or
damaged manifest refused in one line as bad data."""

from __future__ import annotations

import json

import pytest

from click.testing import CliRunner

from emiss.cli import cli


def test_a_hand_edited_manifest_is_one_line_not_a_traceback(run, tmp_path):
    # a preset named by a number (AttributeError in the preset resolver) and JSON nested deeper than Python's stack
    # (RecursionError in the decoder) ended in tracebacks
    path = tmp_path / "run.json"
    code, _, err = run("estimate", "--preset", "memphis", "--manifest", str(path), "--format", "value", "--only", "nox")
    assert code == 0, err
    m = json.loads(path.read_text())
    m["recipe"]["preset"] = 5
    path.write_text(json.dumps(m))
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == ["Error: replay: not a run manifest as emiss writes it: 'recipe' is not {preset, "
                                        "overrides: {...}, limits: [[pollutant, quantity], ...]} (write one with emiss "
                                        "estimate --manifest FILE)"]
    path.write_text("[" * 100_000)
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [f"Error: replay: '{path}' is not JSON: nested too deeply"]


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def manifest_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("replay") / "run.json"
    r = _run("estimate", "--preset", "memphis", "--samples", "10", "--seed", "1", "--manifest", str(path))
    assert r.exit_code == 0, r.stderr
    return json.loads(path.read_text())


@pytest.mark.parametrize("key, value", [("samples", "ten"), ("samples", 1.5), ("samples", True), ("samples", [10]),
                                        ("seed", "x"), ("seed", 1.5), ("seed", -1)])
def test_replay_of_a_run_whose_samples_or_seed_is_not_a_whole_number_is_one_line(manifest_doc, tmp_path, key, value):
    m = json.loads(json.dumps(manifest_doc))
    m["inputs"]["run"][key] = value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(m))
    r = _run("replay", str(path))
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr == (f"Error: replay: not a run manifest as emiss writes it: 'inputs.run.{key}' is not a whole number, 0 or "
                        "more (write one with emiss estimate --manifest FILE)\n")


def test_replay_of_a_run_that_is_not_an_object_is_one_line(manifest_doc, tmp_path):
    m = json.loads(json.dumps(manifest_doc))
    m["inputs"]["run"] = "x"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(m))
    r = _run("replay", str(path))
    assert r.exit_code == 1 and r.stderr.endswith("'inputs.run' is not an object (write one with emiss estimate --manifest FILE)\n")


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_manifest_number_written_as_nan_or_infinity_is_not_json(run, tmp_path, word, fmt):
    # Python's json reads them: the table compared 'nan then, 259640.3 now (+nan %)', --format json died (allow_nan)
    path = tmp_path / "run.json"
    assert run("estimate", "--preset", "memphis", "--manifest", str(path), "--format", "json")[0] == 0
    text = path.read_text()
    doc = json.loads(text)
    nox = repr(doc["results"]["emissions.nox"])
    assert nox in text
    path.write_text(text.replace(nox, word, 1))
    code, out, err = run("replay", str(path), "--format", fmt)
    assert (code, out) == (1, "")
    assert err == f"Error: replay: '{path}' is not JSON: '{word}' is not a JSON number\n"


def _manifest(run, tmp_path):
    path = tmp_path / "run.json"
    code, _, err = run("estimate", "--preset", "memphis", "--manifest", str(path))
    assert code == 0, err
    return path


def _replay_stdin(data: bytes):
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner().invoke(cli, ["replay", "-"], input=data, prog_name="emiss")
    return r.exit_code, r.stdout, r.stderr


def test_replay_reads_the_manifest_from_standard_input_for_a_dash(run, tmp_path):
    # before, 'emiss replay - < run.json' said "cannot read '-': No such file or directory"; batch --input reads '-'
    # as standard input, and so does replay now
    path = _manifest(run, tmp_path)
    code, out, err = _replay_stdin(path.read_bytes())
    assert (code, err) == (0, "")
    assert out.startswith("-: every number matches (")
    code, out, err = _replay_stdin(b"[1")
    assert (code, out) == (1, "")
    assert err == "Error: replay: '-' is not JSON: Expecting ',' delimiter: line 1 column 3 (char 2)\n"


def test_replay_reads_a_manifest_saved_with_a_byte_order_mark(run, tmp_path):
    # before: "replay: '...' is not JSON: Unexpected UTF-8 BOM (decode using utf-8-sig)"; presets and batch input
    # allow a BOM, and so does replay now, from a file and from standard input
    path = _manifest(run, tmp_path)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = run("replay", str(bom))
    assert (code, err) == (0, "")
    assert out.startswith(f"{bom}: every number matches (")
    code, out, err = _replay_stdin(bom.read_bytes())
    assert (code, err) == (0, "")


def _write(tmp_path, text: str):
    path = tmp_path / "records.ndjson"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_recipes_turbines_that_is_no_count_is_said_before_the_fleet_it_lacks(run, tmp_path):
    # before: "--turbines: there is no fleet yet; give --capacity too, ..." for turbines true (and for 'x'): the
    # value itself is wrong, as the command line's --turbines says first; a batch record is read the same way
    import json

    m = json.loads(_manifest(run, tmp_path).read_text(encoding="utf-8"))
    for value, said in ((True, "expected a whole number of units, got True"), ("x", "'x' is not a whole number of units")):
        for recipe in ({"overrides": {"turbines": value}}, {"preset": "memphis", "overrides": {"turbines": value}}):
            path = tmp_path / "bad.json"
            path.write_text(json.dumps({**m, "recipe": recipe}), encoding="utf-8")
            code, out, err = run("replay", str(path))
            assert (code, out) == (1, "")
            assert err == f"Error: replay: the manifest's recipe cannot be run again: --turbines: {said}\n"
    code, out, err = run("batch", "--input", str(_write(tmp_path, '{"turbines": true}\n')))
    assert err.startswith("Error: record 1: turbines: expected a whole number of units, got True\n")
    # a good count without a capacity still gets the fleet's message
    code, out, err = run("batch", "--input", str(_write(tmp_path, '{"turbines": 3}\n')))
    assert err.startswith("Error: record 1: turbines: there is no fleet yet; give capacity too, to describe the whole fleet\n")
