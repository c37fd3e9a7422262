import json
import os
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
