"""JSON test cases in the style of ftfy's: in-the-wild (sentences of the
sample page), synthetic (sentences of the synthetic dev set), negative (must
stay unchanged) and known failures (tracked, expected to fail)."""
import json

import pytest

from conftest import ROOT, load_cases

WILD = load_cases("in-the-wild.json")
SYNTHETIC = load_cases("synthetic.json")
NEGATIVE = load_cases("negative.json")
KNOWN = load_cases("known-failures.json")
GARBAGE = load_cases("garbage.json")  # web garbage: spam, pinyin, emoji, mojibake, scripts


def _ids(cases):
    return [c["label"] for c in cases]


@pytest.mark.parametrize("case", WILD + SYNTHETIC, ids=_ids(WILD + SYNTHETIC))
def test_repairs(case, repairer):
    result = repairer.repair(case["original"])
    assert result.text == case["fixed"]
    assert result.repairs, "a spun case must be repaired"


@pytest.mark.parametrize("case", NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_unchanged(case, repairer):
    result = repairer.repair(case["original"])
    assert result.text == case["original"]
    assert result.repairs == []


@pytest.mark.parametrize("case", GARBAGE, ids=_ids(GARBAGE))
def test_web_garbage(case, repairer):
    result = repairer.repair(case["original"])
    assert result.text == case["fixed"]
    assert bool(result.repairs) == (case["fixed"] != case["original"])


@pytest.mark.parametrize("case", KNOWN, ids=_ids(KNOWN))
@pytest.mark.xfail(strict=True, raises=AssertionError, reason="known failure; move the case when it passes")
def test_known_failures(case, repairer):
    assert repairer.repair(case["original"]).text == case["fixed"]


def _ftfy(name):
    with open(ROOT / "tests" / "peers" / "ftfy" / name, encoding="utf-8") as fh:
        return json.load(fh)


FTFY_NEG = _ftfy("negative.json")
FTFY_OTHER = _ftfy("synthetic.json") + _ftfy("in-the-wild.json") + _ftfy("known-failures.json")


@pytest.mark.parametrize("case", FTFY_NEG, ids=_ids(FTFY_NEG))
def test_ftfy_negatives_unchanged(case, repairer):
    assert repairer.repair(case["original"]).text == case["original"]


@pytest.mark.parametrize("case", FTFY_OTHER, ids=_ids(FTFY_OTHER))
def test_ftfy_cases_never_a_third_text(case, repairer):
    out = repairer.repair(case["original"]).text
    assert out in (case["original"], case["fixed"])
