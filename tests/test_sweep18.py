"""Small defects found by the reliability sweep after s17, each with the behaviour it had."""

from __future__ import annotations


def test_compare_subregion_without_grid_is_refused(run):
    # before, '--subregion SRTV' without --grid was dropped without a word and the table printed (exit 0)
    code, out, err = run("compare", "--preset", "memphis", "--subregion", "SRTV", "--capacity-factor", "0.5")
    assert (code, out) == (2, "")
    assert err == "Error: compare: --subregion needs --grid (it is the eGRID subregion of the grid column)\n"


def test_compare_subregion_with_grid_still_runs(run):
    code, out, err = run("compare", "--preset", "memphis", "--grid", "--subregion", "SRTV", "--format", "json")
    assert code == 0, err
    assert "SRTV" in out


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


def _write(tmp_path, text: str):
    path = tmp_path / "records.ndjson"
    path.write_text(text, encoding="utf-8")
    return path


def test_gpus_samples_and_seed_read_a_whole_number_as_turbines_does(run):
    # before, '--gpus 1e5' was "not a valid integer" while '--turbines 1e1' is 10 (README: a count is '4', '4.0', '1e1')
    def doc(*args):
        code, out, err = run(*args, "--format", "json")
        assert code == 0, err
        return out

    assert doc("cluster", "--gpus", "1e5", "--gpu", "h100") == doc("cluster", "--gpus", "100000", "--gpu", "h100")
    assert doc("cluster", "--gpus", "2.0E4", "--gpu", "h100") == doc("cluster", "--gpus", "20000", "--gpu", "h100")
    base = ("estimate", "--preset", "memphis", "--only", "nox")
    assert doc(*base, "--samples", "2e1", "--seed", "3.0") == doc(*base, "--samples", "20", "--seed", "3")
    # not whole, not finite, or beyond what a float holds exactly (2**53 = 9.007e15): refused in click's words
    for value in ("2.5", "1e400", "1e16", "nan"):
        assert run("cluster", "--gpus", value)[:2] == (2, ""), value
        assert run("cluster", "--gpus", value)[2].strip() == f"Error: Invalid value for '--gpus': '{value}' is not a valid integer."
    assert run("estimate", "--samples", "1e0")[2].strip() == "Error: Invalid value for '--samples': 1 is not in the range x>=2."
