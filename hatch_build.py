"""Build hook: compile the optional C route search (src/textrepair/_route.c).

The package is pure Python at heart; the extension only makes the tokenizer's
route search faster, with identical results (tokenizer.py).  So a build
without a working C compiler still succeeds: it warns and ships the Python
loops alone.  setuptools does the compiling because it knows each
platform's compiler and flags.
"""
import os
import shutil
import sys
import sysconfig
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = os.path.join("src", "textrepair", "_route.c")
MODULE = "textrepair._route"


class RouteExtensionHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or os.environ.get("TEXTREPAIR_PURE_PYTHON"):
            return
        try:
            built = self._compile()
        except Exception as exc:  # any compiler trouble: ship the pure-Python package
            print(f"textrepair: C route search not built ({exc.__class__.__name__}: {exc}); "
                  "using the pure-Python tokenizer loop (same results, slower)", file=sys.stderr)
            return
        name = "_route" + sysconfig.get_config_var("EXT_SUFFIX")
        if version == "editable":
            # an editable install imports from src/: the module goes beside the sources
            shutil.copy2(built, os.path.join(self.root, "src", "textrepair", name))
        else:
            build_data["force_include"][built] = f"textrepair/{name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def _compile(self) -> str:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        out = tempfile.mkdtemp(prefix="textrepair-build-")
        dist = Distribution({"name": "textrepair",
                             "ext_modules": [Extension(MODULE, [os.path.join(self.root, SOURCE)])]})
        cmd = build_ext(dist)
        cmd.build_lib = os.path.join(out, "lib")
        cmd.build_temp = os.path.join(out, "temp")
        cmd.ensure_finalized()
        cmd.run()
        (path,) = cmd.get_outputs()
        return path
