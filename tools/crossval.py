#!/usr/bin/env python3
"""What to expect on text the glossary has never seen: two-fold cross-validation.

usage: python tools/crossval.py [--data DIR] [--keep DIR]

The shipped glossary is built from the dev half of the sample page, the
synthetic dev set and our reading of the test half (tools/build_glossary.sh),
so tools/accuracy.py scores the first two in-sample: every pair and every
prior was seen there.  This script holds out one half at a time (of the
sample dev lines, then of the synthetic passages), rebuilds the glossary
from everything else, as tools/build_glossary.sh does, and scores the
held-out half with it.  The pooled figures estimate precision and recall on
new text from the same spinner: a new page meets pairs and priors the
glossary has not seen.  Clean texts are scored with the page folds'
glossaries (each clean text twice).
"""
import argparse
import csv
import glob
import os
import subprocess
import sys
import tempfile

from textrepair import Repairer
from textrepair.evaluate import evaluate, unsure_spans
from textrepair.glossary import data_path

from accuracy import pooled, read  # tools/accuracy.py: the same pooling as the accuracy table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(p, text):
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(text)


def split_page(sample, tmp):
    """The dev half's lines cut in two (first half, second half), each with
    its own spun, gold and edits files (edit line numbers renumbered)."""
    spun = read(os.path.join(sample, "whitepaper-dev.spun.txt")).split("\n")
    gold = read(os.path.join(sample, "whitepaper-dev.gold.txt")).split("\n")
    with open(os.path.join(sample, "whitepaper-dev.edits.tsv"), encoding="utf-8") as fh:
        header, *edits = list(csv.reader(fh, delimiter="\t"))
    mid = len(spun) // 2
    parts = []
    for k, (lo, hi) in enumerate(((0, mid), (mid, len(spun)))):
        base = os.path.join(tmp, f"page{k + 1}")
        write(base + ".spun.txt", "\n".join(spun[lo:hi]))
        write(base + ".gold.txt", "\n".join(gold[lo:hi]))
        with open(base + ".edits.tsv", "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, delimiter="\t", lineterminator="\n")
            out.writerow(header)
            for row in edits:
                if lo < int(row[0]) <= hi:
                    out.writerow([int(row[0]) - lo] + row[1:])
        parts.append(base)
    return parts


def summary(results):
    """accuracy.py's pooled figures, as one line."""
    t = pooled(results)
    return (f"P={t['precision']:.4f} R={t['recall']:.4f} TP={t['TP']} FP={t['FP']} FN={t['FN']} "
            f"WRONG={t['WRONG']} false/1000={t['fp_per_1000_chars']:.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "samples"))
    ap.add_argument("--keep", help="write the fold glossaries and splits here (default: a temporary folder)")
    a = ap.parse_args()
    tmp = a.keep or tempfile.mkdtemp(prefix="textrepair-crossval-")
    os.makedirs(tmp, exist_ok=True)
    sample = os.path.join(a.data, "sample") if os.path.isdir(os.path.join(a.data, "sample")) else a.data
    pages = split_page(sample, tmp)
    synthetic = sorted(glob.glob(os.path.join(a.data, "synthetic-dev", "*.spun.txt")))
    synth_parts = [synthetic[0::2], synthetic[1::2]]  # alternate, so each half mixes both authors' styles
    reading = os.path.join(ROOT, "curation", "whitepaper-test")
    scores = {"sample page, held-out half": [], "synthetic, held-out half": [], "clean dev + literary": []}
    full_page = os.path.join(sample, "whitepaper-dev")
    # Each held-out part is scored with a glossary built from everything else,
    # as a new text meets the shipped glossary built from all our sources.
    for held_out in ("page1", "page2", "synthetic1", "synthetic2"):
        k = int(held_out[-1]) - 1
        page = pages[1 - k] if held_out.startswith("page") else full_page
        synth = synthetic if held_out.startswith("page") else synth_parts[1 - k]
        sources = [f"dev gold={page}.spun.txt:{page}.gold.txt:{page}.edits.tsv",
                   f"test-half reading={os.path.join(sample, 'whitepaper-test.spun.txt')}:"
                   f"{reading}.reading.txt:{reading}.reading.tsv"]
        sources += [f"synthetic dev={f}:{f.replace('.spun.', '.gold.')}" for f in synth]
        glossary = os.path.join(tmp, f"glossary-without-{held_out}.tsv")
        with open(glossary, "w", encoding="utf-8") as out:
            subprocess.run([sys.executable, os.path.join(ROOT, "tools", "build_glossary.py"),
                            "--profile", "spinner-a", *sources], stdout=out, stderr=subprocess.DEVNULL,
                           check=True, cwd=ROOT)
        # the fold's glossary in place of the shipped one; spam is curated apart (data/spam.tsv)
        rep = Repairer([glossary, data_path("spam.tsv")], builtin=False)
        if held_out.startswith("page"):
            s, g = read(pages[k] + ".spun.txt"), read(pages[k] + ".gold.txt")
            uns = unsure_spans([(pages[k] + ".edits.tsv", 0)], s.split("\n"))
            scores["sample page, held-out half"].append(evaluate(s, g, rep.repair(s).text, uns)[0])
            for f in sorted(glob.glob(os.path.join(a.data, "clean-dev", "*.txt"))) + \
                    sorted(glob.glob(os.path.join(a.data, "clean-literary", "*.txt"))):
                s = read(f)
                scores["clean dev + literary"].append(evaluate(s, s, rep.repair(s).text)[0])
        else:
            for f in synth_parts[k]:
                s = read(f)
                scores["synthetic, held-out half"].append(evaluate(s, read(f.replace(".spun.", ".gold.")),
                                                                  rep.repair(s).text)[0])
    for name, results in scores.items():
        print(f"{name:28s} {summary(results)}")


if __name__ == "__main__":
    main()
