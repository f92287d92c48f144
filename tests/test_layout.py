"""The house rules: data flows one way, and each outside library has one door."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from types import MappingProxyType

PKG = Path(__file__).resolve().parent.parent / "emiss"


@functools.cache
def _tree(path: Path) -> ast.Module:
    """The parsed source of one module, parsed once for every rule here (the rules only read the trees)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _imports() -> MappingProxyType[str, frozenset[str]]:
    """Return, for each module of emiss (package __init__ files included, by the package's name), the modules inside
    and outside emiss it imports, at the top or inside a function. ``from package import name`` counts as importing
    package.name where that is a module, else as importing the package itself (its __init__)."""
    paths = list(PKG.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    out: dict[str, set[str]] = {}
    for path in paths:
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                for a in node.names:
                    found.add(f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod)
        out[name] = frozenset(found)
    return MappingProxyType(out)  # one reading for every rule, so no rule may change it


def _outside(lib: str) -> set[str]:
    return {m for m, deps in _imports().items() if any(d == lib or d.startswith(lib + ".") for d in deps)}


def test_no_import_circles():
    mods = _imports()
    graph = {m: {d for d in deps if d in mods and d != m} for m, deps in mods.items()}
    assert "emiss" in graph and "emiss.core" in graph  # the package __init__ files take part

    def reaches_itself(start: str) -> bool:
        # every module reachable from start, each visited once (following every path separately, as this did,
        # took ~1.7 s on 100 modules; the answer is the same)
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            m = todo.pop()
            if m == start:
                return True
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
        return False

    loops = [m for m in graph if reaches_itself(m)]
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
                "emiss.analysis.cluster", "emiss.batch.read", "emiss.batch.run"}
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
    # no module of emiss converts pounds to short tons, kW to MW or MMBtu to Btu by hand: only the units room, which
    # defines the constants, and the output catalogue (core/outputs.py: short_tons, pounds, megawatts, kilowatts, btu,
    # mmbtu) name them
    typed = sorted(str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
                   if any(c in p.read_text(encoding="utf-8") for c in ("LB_PER_SHORT_TON", "KW_PER_MW", "BTU_PER_MMBTU")))
    assert typed == ["core/outputs.py", "core/units.py"]
    defined = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
               if any(line.startswith(("LB_PER_SHORT_TON =", "KW_PER_MW =", "BTU_PER_MMBTU =")) for line in p.read_text(encoding="utf-8").splitlines())]
    assert defined == ["core/units.py"]
    # nor by a bare factor of a thousand (MWh to GWh, kWh to MWh, g to kg): units.multiplier says which units it joins
    bare = re.compile(r"[*/] ?1,?000(?:\.0)?\b(?! ?\*\*)")
    by_hand = sorted(f"{p.relative_to(PKG)}:{n}" for p in PKG.rglob("*.py") if p.name not in ("units.py", "outputs.py")
                     for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                     if bare.search(line.split("#")[0]) and not line.lstrip().startswith(('"', "'")))
    assert by_hand == []


# Each layer imports only from its own layer and those below: data, errors and version at the bottom; then the core
# (model, units, calc, the output catalogue); inputs; analysis and batch; report; cli; the package's public API on top.
LAYERS = {"emiss.errors": 0, "emiss.data": 0, "emiss.version": 0, "emiss.core": 1, "emiss.inputs": 2, "emiss.analysis": 3,
          "emiss.batch": 3, "emiss.report": 4, "emiss.cli": 5, "emiss.__main__": 6, "emiss": 6}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return next((LAYERS[".".join(parts[:i])] for i in range(len(parts), 0, -1) if ".".join(parts[:i]) in LAYERS), None)


def test_layers_import_only_downwards():
    upward = {(m, d) for m, deps in _imports().items() for d in deps
              if d.startswith("emiss") and _layer(d) is not None and _layer(d) > _layer(m)}
    assert upward == set()


@functools.cache
def _top_names(path: Path) -> frozenset[str]:
    """Return the names a module defines or imports at its top level (what ``from module import name`` can take)."""
    names: set[str] = set()
    for node in _tree(path).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.If, ast.Try)):
            names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            names |= {(a.asname or a.name).split(".")[0] for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))
                      for a in n.names}
    return frozenset(names)


def test_every_import_inside_emiss_names_a_module_and_a_name_that_exist():
    # an import inside a function runs only when that function does: a moved or deleted module or name would fail
    # there, late, so every `from emiss... import name` is checked here, without running it
    files = {_module_name(p): p for p in PKG.rglob("*.py")}
    broken = []
    for mod, path in files.items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "emiss":
                if node.module not in files:
                    broken.append(f"{mod}: {node.module}")
                    continue
                defined = _top_names(files[node.module])
                broken += [f"{mod}: {node.module}.{a.name}" for a in node.names
                           if a.name != "*" and a.name not in defined and f"{node.module}.{a.name}" not in files]
    assert broken == []
