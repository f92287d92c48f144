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
