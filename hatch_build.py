"""Build hook: compile the optional C modules: the tokenizer's route search
(src/textrepair/_route.c) and the scoring stage's context pass
(src/textrepair/_scoring.c).

The package is pure Python at heart; the extensions only make those loops
faster, with identical results (tokenizer.py, context.py, scoring.py).  So a
build without a working C compiler still succeeds: it warns and ships the
Python loops alone.  setuptools does the compiling because it knows each
platform's compiler and flags.
"""
import os
import shutil
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULES = ("_route", "_scoring")  # src/textrepair/NAME.c -> textrepair.NAME


class CExtensionsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or os.environ.get("TEXTREPAIR_PURE_PYTHON"):
            return
        try:
            built = self._compile()
        except Exception as exc:  # any compiler trouble: ship the pure-Python package
            print(f"textrepair: C modules not built ({exc.__class__.__name__}: {exc}); "
                  "using the pure-Python loops (same results, slower)", file=sys.stderr)
            return
        for path in built:
            name = os.path.basename(path)
            if version == "editable":
                # an editable install imports from src/: the modules go beside the sources
                shutil.copy2(path, os.path.join(self.root, "src", "textrepair", name))
            else:
                build_data["force_include"][path] = f"textrepair/{name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def _compile(self) -> list:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        out = tempfile.mkdtemp(prefix="textrepair-build-")
        dist = Distribution({"name": "textrepair", "ext_modules": [
            Extension(f"textrepair.{m}", [os.path.join(self.root, "src", "textrepair", f"{m}.c")]) for m in MODULES]})
        cmd = build_ext(dist)
        cmd.build_lib = os.path.join(out, "lib")
        cmd.build_temp = os.path.join(out, "temp")
        cmd.ensure_finalized()
        cmd.run()
        return cmd.get_outputs()
