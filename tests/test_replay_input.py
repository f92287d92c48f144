"""emiss replay, reading a manifest: from standard input, with a byte-order mark, and a hand-edited or damaged manifest refused in one line."""

from __future__ import annotations

import json


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
