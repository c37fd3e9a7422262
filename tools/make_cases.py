#!/usr/bin/env python3
"""Regenerate tests/cases/{in-the-wild,synthetic,known-failures}.json.

Cases are sentences of the sample's dev half and of the synthetic dev set
(every 2nd and every 3rd spun sentence of at least 15 characters), with the
gold restoration as the expected text, repaired alone.  Sentences the
current build repairs exactly go to in-the-wild.json / synthetic.json; the
others go to known-failures.json, which the tests expect to fail (strictly:
a known failure that starts passing must be moved).  The expected text is
always the gold, never textrepair's own output.

usage: python tools/make_cases.py
"""
import glob
import json
import os

from textrepair import Repairer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
CASES = os.path.join(ROOT, "tests", "cases")


def read(p):
    with open(p, encoding="utf-8") as fh:
        return fh.read()


def sentence_pairs(spun, gold):
    a, b = spun.split("。"), gold.split("。")
    if len(a) != len(b):
        return []
    return [(x.strip() + "。", y.strip() + "。") for x, y in zip(a, b) if len(x.strip()) >= 15]


def cases(pairs_by_label, every):
    out = []
    for label, pairs in pairs_by_label:
        for k, (x, y) in enumerate(pairs, start=1):
            if x != y:
                out.append({"label": f"{label} sentence {k}", "original": x, "fixed": y})
    return out[::every]


def main():
    rep = Repairer()
    dev = []
    spun = read(os.path.join(SAMPLES, "whitepaper-dev.spun.txt")).split("\n")
    gold = read(os.path.join(SAMPLES, "whitepaper-dev.gold.txt")).split("\n")
    for i, (s, g) in enumerate(zip(spun, gold), start=1):
        dev.append((f"whitepaper-dev line {i}", sentence_pairs(s, g)))
    syn = []
    for f in sorted(glob.glob(os.path.join(SAMPLES, "synthetic-dev", "*.spun.txt"))):
        lines = zip(read(f).split("\n"), read(f.replace(".spun.", ".gold.")).split("\n"))
        for i, (s, g) in enumerate(lines, start=1):
            syn.append((f"synthetic-dev {os.path.basename(f)} line {i}", sentence_pairs(s, g)))
    wild, synthetic, known = [], [], []
    for case in cases(dev, 2):
        case["comment"] = "a sentence of the sample page, repaired alone; fixed = the gold restoration"
        (wild if rep.repair(case["original"]).text == case["fixed"] else known).append(case)
    for case in cases(syn, 3):
        case["comment"] = "a clean sentence spun with the sample's word map plus spam; fixed = the original"
        (synthetic if rep.repair(case["original"]).text == case["fixed"] else known).append(case)
    for name, data in (("in-the-wild.json", wild), ("synthetic.json", synthetic), ("known-failures.json", known)):
        with open(os.path.join(CASES, name), "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print(name, len(data))


if __name__ == "__main__":
    main()
