"""The package type-checks: it ships py.typed, so its annotations are part of
its interface.  mypy runs with the project's configuration (pyproject.toml's
[tool.mypy]) on src/textrepair, and stubtest holds the C modules' stubs
(_route.pyi, _scoring.pyi) to the built modules."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api

import textrepair
from textrepair import compiled

from conftest import ROOT


def test_package_type_checks(tmp_path):
    # a fresh cache: an incremental run can miss a stub added since the last one
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(tmp_path / "mypy-cache"),
                                      str(ROOT / "src" / "textrepair")])
    assert status == 0, stdout + stderr


@pytest.mark.parametrize("module", ["_route", "_scoring"])
def test_c_module_stub_matches_the_built_module(tmp_path, module):
    if compiled.load(module) is None:
        pytest.skip(f"textrepair.{module} is not built (or TEXTREPAIR_PURE_PYTHON is set)")
    # the package reads the C modules as plain modules (compiled.load), so
    # mypy above never compares their stubs with them: stubtest does.  It
    # passes a private module whose stub it cannot find, so the installed
    # stub is copied alone into a package of stubs put first on its search
    # path (the installed package's own folder cannot be: mypy refuses
    # site-packages there, and the sources would be checked again).  The
    # stubs' own imports (candidates.py) are found in the installed package.
    package = Path(textrepair.__file__).parent
    stubs = tmp_path / "stubs" / "textrepair"
    stubs.mkdir(parents=True)
    (stubs / "__init__.pyi").write_text("", encoding="utf-8")
    shutil.copy(package / f"{module}.pyi", stubs / f"{module}.pyi")  # fails if the package does not ship it
    env = dict(os.environ, MYPYPATH=str(stubs.parent))
    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "--mypy-config-file", str(ROOT / "pyproject.toml"),
                          f"textrepair.{module}"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
