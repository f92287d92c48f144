"""emiss replay (issue 25, item 6): a --manifest run again; exit 0 when every number matches, 1 with what changed."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def manifest_text(tmp_path_factory):
    """The manifest emiss writes for one run (written once: ten tests edit their own copy of it)."""
    from click.testing import CliRunner

    from emiss.cli import cli

    path = tmp_path_factory.mktemp("replay") / "run.json"
    r = CliRunner().invoke(cli, ["estimate", "--preset", "memphis", "--capacity-factor", "0.8", "--samples", "200",
                                 "--seed", "4", "--manifest", str(path)], prog_name="emiss")
    assert r.exit_code == 0, r.stderr
    return path.read_text()


@pytest.fixture
def manifest(manifest_text, tmp_path):
    """A copy of that manifest, this test's own to edit."""
    path = tmp_path / "run.json"
    path.write_text(manifest_text)
    return path


def test_a_fresh_manifest_replays_exactly(manifest, run):
    code, out, err = run("replay", str(manifest))
    assert code == 0, err
    m = json.loads(manifest.read_text())
    from emiss.core.outputs import TARGETS
    from emiss.data import POLLUTANTS

    # 7 quantities + each pollutant + (4 annual quantities + each pollutant) x P5/P50/P95 under --samples
    # (12 pollutants today: 7 + 12 + 16 x 3 = 67)
    n = 7 + len(POLLUTANTS) + 3 * len(TARGETS)
    assert out.startswith(f"{manifest}: every number matches ({n} numbers)") and len(m["results"]) == n
    assert m["recipe"] == {"preset": "memphis", "overrides": {"capacity_factor": "0.8"}, "limits": []}


def test_an_edited_manifest_a_changed_data_file_and_a_changed_number_are_named(manifest, run, run_json, tmp_path):
    m = json.loads(manifest.read_text())
    m["inputs"]["hours"] = 1.0  # edited by hand: no longer its own inputs_sha256
    m["data_files_sha256"]["factors.toml"] = "0" * 64
    m["results"]["emissions.nox"] *= 1.5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(m))
    code, out, _ = run("replay", str(bad))
    assert code == 1
    assert "does NOT match" in out.splitlines()[0]
    assert "no longer match its own inputs_sha256" in out and "data file factors.toml" in out and "emissions.nox" in out
    doc = json.loads(run("replay", str(bad), "--format", "json")[1])
    assert doc["matches"] is False and [c["output"] for c in doc["changed"]] == ["emissions.nox"]
    assert doc["changed"][0]["relative_change"] == pytest.approx(1 / 1.5 - 1)  # now / then - 1 = 1/1.5 - 1


def test_a_changed_preset_is_an_input_that_changed(tmp_path, run):
    preset = tmp_path / "site.toml"
    preset.write_text('[preset]\ntitle = "t"\n[[fleet]]\nname = "a"\ncount = 2\ncapacity = "5 MW"\n')
    code, _, err = run("estimate", "--preset", str(preset), "--manifest", str(tmp_path / "r.json"))
    assert code == 0, err
    preset.write_text('[preset]\ntitle = "t"\n[[fleet]]\nname = "a"\ncount = 3\ncapacity = "5 MW"\n')
    code, out, _ = run("replay", str(tmp_path / "r.json"))
    assert code == 1 and "input 'fleet'" in out and "numbers differ" in out


def test_not_a_manifest(tmp_path, run):
    (tmp_path / "x.json").write_text("[1, 2]")
    code, out, err = run("replay", str(tmp_path / "x.json"))
    assert code == 1 and out == "" and "not a run manifest" in err and "Traceback" not in err
    (tmp_path / "y.json").write_text('{"a": 1}')
    code, out, err = run("replay", str(tmp_path / "y.json"))
    assert code == 1 and out == "" and "not a run manifest" in err


def test_a_number_left_out_of_the_manifest_is_a_change(manifest, run):
    m = json.loads(manifest.read_text())
    del m["results"]["emissions.nox"]
    manifest.write_text(json.dumps(m))
    code, out, _ = run("replay", str(manifest))
    assert code == 1 and "emissions.nox None then" in out


@pytest.mark.parametrize("edit", [
    lambda m: m.update(recipe="x"),
    lambda m: m["recipe"].update(limits=["nox=abc"]),
    lambda m: m.update(results=[1]),
    lambda m: m.update(inputs_sha256=None),
    lambda m: m["results"].update({"emissions.nox": "1"}),
])
def test_a_hand_edited_manifest_is_one_line_exit_1(manifest, run, edit):
    m = json.loads(manifest.read_text())
    edit(m)
    manifest.write_text(json.dumps(m))
    code, out, err = run("replay", str(manifest))
    assert code == 1 and out == "" and "not a run manifest as emiss writes it" in err and "Traceback" not in err


def test_a_recipe_that_cannot_run_is_bad_data_not_a_usage_error(manifest, run):
    m = json.loads(manifest.read_text())
    m["recipe"]["preset"] = "nonexistent"
    manifest.write_text(json.dumps(m))
    code, out, err = run("replay", str(manifest))
    assert code == 1 and "the manifest's recipe cannot be run again" in err


def test_a_changed_preset_names_the_value_that_changed(tmp_path, run):
    # the fleet is a list of objects: cut to 60 characters it read '[{"basis": "lhv", "capacity_kw": 5000.0, ...' both
    # then and now, so the line named no difference; it names the unit count of the first group, 2 then and 3 now
    preset = tmp_path / "site.toml"
    preset.write_text('[preset]\ntitle = "t"\n[[fleet]]\nname = "a"\ncount = 2\ncapacity = "5 MW"\n')
    assert run("estimate", "--preset", str(preset), "--manifest", str(tmp_path / "r.json"))[0] == 0
    preset.write_text('[preset]\ntitle = "t"\n[[fleet]]\nname = "a"\ncount = 3\ncapacity = "5 MW"\n')
    code, out, _ = run("replay", str(tmp_path / "r.json"))
    assert code == 1 and "DIFF input 'fleet': [0].count 2 then, 3 now" in out


def test_a_monte_carlo_run_without_a_seed_can_be_replayed(run, tmp_path):
    # --samples without --seed drew from a fresh generator and kept seed null, so 'emiss replay' drew other samples
    # and reported 45-odd percentiles as changed (exit 1): a false alarm over a manifest nobody edited
    path = tmp_path / "run.json"
    code, _, _ = run("estimate", "--preset", "memphis", "--samples", "200", "--manifest", str(path))
    assert code == 0
    import json

    seed = json.loads(path.read_text())["inputs"]["run"]["seed"]
    assert isinstance(seed, int) and 0 <= seed < 2**32
    code, out, _ = run("replay", str(path))
    assert code == 0 and "every number matches" in out


def test_replay_of_an_old_manifest_without_a_seed_says_why_the_percentiles_cannot_match(run, tmp_path):
    import json

    path = tmp_path / "run.json"
    assert run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1", "--manifest", str(path))[0] == 0
    m = json.loads(path.read_text())
    m["inputs"]["run"]["seed"] = None  # as written before: no seed kept
    from emiss.report.methods import inputs_sha256

    m["inputs_sha256"] = inputs_sha256(m["inputs"])
    path.write_text(json.dumps(m))
    code, out, _ = run("replay", str(path))
    # 19 numbers (7 results + 12 pollutants) are compared; P5/P50/P95 of 12 pollutants and 4 quantities (48) are not
    assert code == 1 and "does NOT match: seed" in out
    assert "its 48 Monte Carlo percentiles were drawn without a seed" in out and "ok   all 19 numbers match" in out


def _manifest(run, path, *args):
    code, _, err = run("estimate", *args, "--manifest", str(path))
    assert code == 0, err
    import json

    return json.loads(path.read_text())


@pytest.mark.parametrize("samples", [1, 5_000_001])
def test_a_manifest_samples_count_emiss_cannot_draw_is_bad_data(run, tmp_path, samples):
    # replay exited 2 with '--samples: 1 samples: give from 2 to 5,000,000', as if the command line were wrong
    import json

    path = tmp_path / "run.json"
    m = _manifest(run, path, "--preset", "memphis", "--samples", "100", "--seed", "1")
    m["inputs"]["run"]["samples"] = samples
    path.write_text(json.dumps(m))
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err == (f"Error: replay: not a run manifest as emiss writes it: 'inputs.run.samples' is {samples}: a run draws "
                   "from 2 to 5,000,000 samples (0 or null: none) (write one with emiss estimate --manifest FILE)\n")


def test_a_manifest_run_that_cannot_be_drawn_again_is_bad_data(run, tmp_path):
    # samples added to a run with no uncertain input: exit 2 with '--samples: no input is uncertain'
    import json

    path = tmp_path / "run.json"
    m = _manifest(run, path, "--turbines", "2", "--capacity", "16 MW")
    m["inputs"]["run"]["samples"] = 100
    path.write_text(json.dumps(m))
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err.startswith("Error: replay: the manifest's run cannot be drawn again: --samples: no input is uncertain")
