import contextlib
import json
import os
import sys
from pathlib import Path

import pytest

import textrepair

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"
SHARED = Path(os.environ.get("TEXTREPAIR_SHARED", ROOT.parent / "shared"))


def read(path) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def load_cases(name):
    with open(CASES / name, encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="session")
def repairer():
    return textrepair.Repairer()


@contextlib.contextmanager
def without_c_scoring():
    """The Python loops of scoring and choosing, in place of textrepair._scoring:
    every module of the package that holds the C module lets it go for the
    duration (bound contexts made meanwhile have no C twin)."""
    holders = [m for name, m in list(sys.modules.items())
               if name.startswith("textrepair.") and getattr(m, "_c_scoring", None) is not None]
    saved = [m._c_scoring for m in holders]
    for m in holders:
        m._c_scoring = None
    try:
        yield
    finally:
        for m, c in zip(holders, saved):
            m._c_scoring = c
