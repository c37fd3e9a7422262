"""The optional C modules, built at install time where a compiler is at hand.

``_route.c`` is the tokenizer's route search (tokenizer.py); ``_scoring.c`` is
the context pass of the scoring stage and the choice (context.py, scoring.py,
choose.py).  The Python loops are the reference and the fallback, with
identical results; ``TEXTREPAIR_PURE_PYTHON=1`` forces them.
"""
from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Optional


def load(name: str) -> Optional[ModuleType]:
    """``textrepair.NAME``, or None when it is not built or pure Python is asked for.
    (A module or None: a type checker has no type for "this module", so
    calls through it are unchecked; the stubs ``NAME.pyi`` type them for
    other users.)"""
    if os.environ.get("TEXTREPAIR_PURE_PYTHON"):
        return None
    try:
        return importlib.import_module(f"textrepair.{name}")
    except ImportError:
        return None
