"""emiss presets (show, validate) and preset files: what a preset may hold, and errors that name the file and key."""

from __future__ import annotations


def test_presets_show_lists_the_permits_limits(run, run_json):
    # presets/memphis-2025-permit.toml has six [[limits]] (12-month caps, tpy): NOx 87, CO 94, VOC 85, PM 73, HAPs 14,
    # formaldehyde 9.8. They cap the PTE (pte, limit and estimate call the site a synthetic minor by them), yet
    # 'presets show', which says it prints every resolved value, showed none of them.
    doc = run_json("presets", "show", "memphis-2025-permit")
    assert [(x["pollutant"], x["limit"], x["per"]) for x in doc["limits"]] == [
        ("nox", "87 tpy", "facility"), ("co", "94 tpy", "facility"), ("voc", "85 tpy", "facility"),
        ("pm", "73 tpy", "facility"), ("hap", "14 tpy", "facility"), ("hcho", "9.8 tpy", "facility")]
    code, out, _ = run("presets", "show", "memphis-2025-permit")
    assert code == 0 and "Permit limits" in out and "9.8 tpy" in out
    # the table names the pollutants as every other table does (the JSON above keeps the ids)
    limits = [line.split()[:2] for line in out.split("Permit limits")[1].splitlines() if "tpy" in line]
    assert limits == [["NOx", "87"], ["CO", "94"], ["VOC", "85"], ["PM", "73"], ["HAPs", "combined"], ["Formaldehyde", "9.8"]]
    assert run_json("presets", "show", "memphis")["limits"] == []
