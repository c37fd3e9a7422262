#!/usr/bin/env python3
"""Accuracy of textrepair on the dev sets, as the README's table reports it.

usage: python tools/accuracy.py [--data DIR] [--show N] [--min-confidence C]

DIR holds sample/ (or the whitepaper-dev files directly), synthetic-dev/,
clean-dev/ and, when present, thesaurus-dev/ and thesaurus-check/ (text spun
by tools/make_thesaurus_set.py), spinner-b-dev/ and spinner-b-check/ (by
tools/make_profile_set.py) and clean-literary/; by default the copy in samples/.  Figures use textrepair.evaluate,
the same definitions as the reference metric.  "clean in spun page" appends each clean
paragraph of 40 characters or more, alone, to the spun sample page and counts the changes made
to that paragraph.
"""
import argparse
import glob
import json
import os
import sys
import time

from textrepair import Repairer
from textrepair.evaluate import evaluate, unsure_spans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(p):
    with open(p, encoding="utf-8") as fh:
        return fh.read()


def pooled(results):
    t = {k: sum(r[k] for r in results) for k in ("TP", "FP", "FN", "WRONG", "chars")}
    p = t["TP"] / max(1, t["TP"] + t["FP"] + t["WRONG"])
    r = t["TP"] / max(1, t["TP"] + t["FN"] + t["WRONG"])
    return {**t, "precision": round(p, 4), "recall": round(r, 4),
            "fp_per_1000_chars": round(1000 * (t["FP"] + t["WRONG"]) / max(1, t["chars"]), 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "samples"))
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--min-confidence", type=float, default=None)
    a = ap.parse_args()
    rep = Repairer()
    kw = {} if a.min_confidence is None else {"min_confidence": a.min_confidence}
    sample = os.path.join(a.data, "sample") if os.path.isdir(os.path.join(a.data, "sample")) else a.data
    rows = {}
    t0 = time.time()
    spun = read(os.path.join(sample, "whitepaper-dev.spun.txt"))
    gold = read(os.path.join(sample, "whitepaper-dev.gold.txt"))
    uns = unsure_spans([(os.path.join(sample, "whitepaper-dev.edits.tsv"), 0)], spun.split("\n"))
    fig, mistakes = evaluate(spun, gold, rep.repair(spun, **kw).text, uns)
    rows["sample dev half"] = fig
    for m in mistakes[: a.show]:
        print("dev", m.line, m.kind, m.context, m.gold, m.output, sep="\t", file=sys.stderr)
    # spun sets pair NAME.spun.txt with NAME.gold.txt; a clean text is its own gold
    sets = (("synthetic dev", "synthetic-dev", "*.spun.txt"), ("thesaurus dev", "thesaurus-dev", "*.spun.txt"),
            ("thesaurus check", "thesaurus-check", "*.spun.txt"), ("spinner-b dev", "spinner-b-dev", "*.spun.txt"),
            ("spinner-b check", "spinner-b-check", "*.spun.txt"), ("clean dev", "clean-dev", "*.txt"),
            ("clean literary", "clean-literary", "*.txt"))
    for name, folder, pattern in sets:
        res = []
        for f in sorted(glob.glob(os.path.join(a.data, folder, pattern))):
            s = read(f)
            g = read(f.replace(".spun.", ".gold.")) if ".spun." in f else s
            fig, mistakes = evaluate(s, g, rep.repair(s, **kw).text)
            res.append(fig)
            for m in mistakes[: a.show]:
                print(os.path.basename(f), m.line, m.kind, m.context, m.gold, m.output, sep="\t", file=sys.stderr)
        if res:
            rows[name] = pooled(res)
    # Mixed pages: each clean paragraph (40+ characters) of the clean sets,
    # appended alone to the spun sample page; only its own changes count.
    page = os.path.join(sample, "whitepaper.spun.txt")
    if os.path.exists(page):
        spun_page = read(page).rstrip()
        res = []
        for folder in ("clean-dev", "clean-literary"):
            for f in sorted(glob.glob(os.path.join(a.data, folder, "*.txt"))):
                for para in (p for p in read(f).split("\n") if len(p.strip()) >= 40):
                    out = rep.repair(spun_page + "\n" + para + "\n", **kw).text
                    tail = out[out.rfind("\n", 0, len(out) - 1) + 1:]  # the pasted paragraph, repaired
                    fig, mistakes = evaluate(para + "\n", para + "\n", tail)
                    res.append(fig)
                    for m in mistakes[: a.show]:
                        print("pasted " + os.path.basename(f), m.line, m.kind, m.context, m.gold, m.output,
                              sep="\t", file=sys.stderr)
        if res:
            rows["clean in spun page"] = pooled(res)
    for name, fig in rows.items():
        print(f"{name:16s} P={fig['precision']:.4f} R={fig['recall']:.4f} "
              f"TP={fig['TP']} FP={fig['FP']} FN={fig['FN']} WRONG={fig['WRONG']} "
              f"false/1000={fig['fp_per_1000_chars']}")
    print(f"({time.time() - t0:.1f}s)", file=sys.stderr)
    if os.environ.get("ACCURACY_JSON"):
        print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
