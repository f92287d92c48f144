"""Every command the README shows runs as written (from a folder holding only the shipped examples).

A command that is emiss and its arguments alone runs in-process through the CLI (the same arguments, parsed by the
shell's rules; the same exit code): a process each cost the suite ~10 s. So do emiss commands one after another
(`;`) and one with a comment after it, as bash splits them. A command with a pipe, a redirection, a variable, `&&` or
`||` runs in bash as written. The README's Python blocks run in-process too, in a namespace of their own. The
installed entry point, pipes and signals are tested in real processes elsewhere (test_cli, test_batch,
test_batch_io, and the before-stop hook's fresh install)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from emiss.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    out = []
    seen: set[tuple[str, bool]] = set()
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            line, _, comment = line.removeprefix("$ ").partition("  #")
            line = line.strip()
            if line.startswith(("emiss ", "nox=$(emiss", "python examples/")) and (line, "exit 1" in comment) not in seen:
                seen.add((line, "exit 1" in comment))  # a command shown twice is run once: it proves the same both times
                out.append(pytest.param(line, marks=pytest.mark.exit_1) if "exit 1" in comment else line)
    return out


_SHELL = re.compile(r"[|<>$;&`#\\]")  # what only a shell can run: pipes, redirections, variables, a second command
_BASH_OWN = re.compile(r"[$`\\]|\S#")  # expansions, escapes, and a '#' inside a word (shlex would start a comment there)


def _emiss_runs(command: str) -> list[list[str]] | None:
    """The argument lists of the emiss commands a line runs one after another, as bash splits it (words, quotes,
    `;`, a comment after `#`); None where only bash can run it (a pipe, a redirection, `&&`, `||`, an expansion)."""
    if _BASH_OWN.search(command):
        return None
    lex = shlex.shlex(command, posix=True, punctuation_chars=True)
    lex.whitespace_split, lex.commenters = True, "#"
    runs: list[list[str]] = [[]]
    for word in lex:
        if word == ";":
            runs.append([])
        elif set(word) <= set("();<>|&"):
            return None  # a pipe, a redirection, a second command joined by && or ||, a subshell
        else:
            runs[-1].append(word)
    if runs[-1] == [] and len(runs) > 1:
        runs.pop()  # a line may end in ';'
    if not all(run and run[0] == "emiss" and not any(_SHELL.search(w) for w in run) for run in runs):
        return None
    return [run[1:] for run in runs]


@pytest.mark.parametrize("command", _commands())
def test_readme_command_runs(command, tmp_path, request, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    # 3: a --fail-above example crossing its limit, as it should; 1: an example whose comment says a row fails
    allowed = (0, 1) if request.node.get_closest_marker("exit_1") else (0, 3)
    runs = _emiss_runs(command)
    if runs is not None:
        monkeypatch.chdir(tmp_path)
        for args in runs:  # bash gives the last one's exit code; each must end as the README says
            r = CliRunner().invoke(cli, args, prog_name="emiss")
            assert r.exit_code in allowed, (command, args, r.stderr)
            assert r.exception is None or isinstance(r.exception, SystemExit), (command, args, repr(r.exception))
        return
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    if shutil.which("jq", path=env["PATH"]) is None:
        command = command.split(" | jq")[0]
    r = subprocess.run(["bash", "-o", "pipefail", "-c", command.replace("python ", f"{sys.executable} ", 1)
                        if command.startswith("python ") else command], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode in allowed, (command, r.stderr)
    assert "Traceback" not in r.stderr


def test_readme_python_blocks_run_in_order(tmp_path, monkeypatch):
    # The README's Python examples (the API, DataFrames, Dask) run as written, one after another in one namespace,
    # from a folder that holds only the shipped examples; their asserts check the numbers worked out beside them.
    # In-process, in a fresh namespace (a process cost ~2 s, most of it importing pandas and Dask again): what is
    # checked is the API's answers, not the interpreter around them (a fresh interpreter importing emiss is what
    # every `python -m emiss` process of the suite starts with: test_cli, test_layout, test_reliability).
    pytest.importorskip("pandas")
    pytest.importorskip("dask.dataframe")
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile("\n".join(blocks), str(ROOT / "README.md"), "exec"), {"__name__": "__main__"})


def test_the_readme_says_what_presets_sites_holds():
    from pathlib import Path

    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8")
    presets = re.sub(r"\s+", " ", readme.split("\n## Presets", 1)[1].split("\n## ", 1)[0])
    assert "The files in `presets/sites/` are compute sites" in presets and "`emiss cluster --versus NAME` reads them" in presets
