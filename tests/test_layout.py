"""The house rules: data flows one way, and each outside library has one door."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "emiss"


def _imports() -> dict[str, set[str]]:
    """Return, for each module of emiss, the modules (inside and outside emiss) it imports."""
    out: dict[str, set[str]] = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                    found.add(mod)
                    found |= {f"{mod}.{a.name}" for a in node.names}
                elif node.module:
                    found.add(node.module)
        out[name] = found
    return out


def _outside(lib: str) -> set[str]:
    return {m for m, deps in _imports().items() if any(d == lib or d.startswith(lib + ".") for d in deps)}


def test_no_import_circles():
    mods = _imports()
    graph = {m: {d for d in deps if d in mods and d != m and d != "emiss"} for m, deps in mods.items()}

    def reach(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reach(nxt, goal, seen | {nxt})):
                return True
        return False

    loops = [m for m in graph if reach(m, m, {m})]
    assert loops == []


def test_click_only_in_the_cli():
    assert {m for m in _outside("click") if not (m == "emiss.cli" or m.startswith("emiss.cli."))} == set()


def test_rich_only_in_the_renderer():
    assert _outside("rich") == {"emiss.report.render"}


def test_pint_only_in_the_units_module():
    assert _outside("pint") == {"emiss.core.units"}


def test_nothing_imports_the_cli():
    mods = _imports()
    assert [m for m, deps in mods.items() if any(d == "emiss.cli" or d.startswith("emiss.cli.") for d in deps)
             and m != "emiss.__main__" and not m.startswith("emiss.cli")] == []


def test_the_renderer_does_not_import_the_analysis():
    deps = _imports()["emiss.report.render"]
    analysis = {"emiss.core.calc", "emiss.inputs.scenario", "emiss.analysis.solve", "emiss.analysis.uncertainty", "emiss.analysis.compare",
                "emiss.analysis.cluster", "emiss.batch.stream"}
    assert deps & analysis == set()


def test_estimate_imports_no_array_or_table_library(tmp_path):
    # Cold start (issue 14): numpy, orjson, pyarrow and the frame libraries are imported only by the commands that
    # use them. -X importtime lists every module the run imports, on stderr.
    import subprocess
    import sys

    heavy = {"numpy", "orjson", "pyarrow", "pandas", "polars", "matplotlib"}
    # the first run builds the unit cache (pint, which may import numpy, is loaded in full only then)
    subprocess.run([sys.executable, "-m", "emiss", "estimate", "--preset", "memphis"], capture_output=True, cwd=tmp_path, timeout=120)
    for args, allowed in [(["estimate", "--preset", "memphis", "--format", "json"], set()),
                          (["batch"], {"numpy", "orjson"})]:
        r = subprocess.run([sys.executable, "-X", "importtime", "-m", "emiss", *args], input=b'{"turbines": 1, "capacity": "5 MW"}\n',
                           capture_output=True, cwd=tmp_path, timeout=120)
        assert r.returncode == 0, r.stderr[-500:]
        loaded = {line.rsplit("|", 1)[1].strip() for line in r.stderr.decode().splitlines() if line.startswith("import time:")}
        assert loaded & heavy == allowed, args


def test_display_conversions_live_in_the_output_catalogue():
    # report and cli convert pounds to short tons, kW to MW and MMBtu to Btu only through report/outputs.py,
    # whose constants come from the units room
    typed = [str(p.relative_to(PKG)) for sub in ("report", "cli") for p in (PKG / sub).glob("*.py")
             if p.name != "outputs.py" and any(c in p.read_text(encoding="utf-8") for c in ("LB_PER_SHORT_TON", "KW_PER_MW", "BTU_PER_MMBTU"))]
    assert typed == []
    defined = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
               if any(line.startswith(("LB_PER_SHORT_TON =", "KW_PER_MW =", "BTU_PER_MMBTU =")) for line in p.read_text(encoding="utf-8").splitlines())]
    assert defined == ["core/units.py"]
