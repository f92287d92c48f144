"""Every command the README shows runs as written (from a folder holding only the shipped examples)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    out = []
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            line = line.removeprefix("$ ").split("  #")[0].strip()
            if line.startswith(("emiss ", "nox=$(emiss", "python examples/")):
                out.append(line)
    return out


@pytest.mark.parametrize("command", _commands())
def test_readme_command_runs(command, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    if shutil.which("jq", path=env["PATH"]) is None:
        command = command.split(" | jq")[0]
    r = subprocess.run(["bash", "-o", "pipefail", "-c", command.replace("python ", f"{sys.executable} ", 1)
                        if command.startswith("python ") else command], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode in (0, 3), (command, r.stderr)  # 3: a --fail-above example crossing its limit, as it should
    assert "Traceback" not in r.stderr
