#!/usr/bin/env python3
"""How well does `textrepair detect` separate spun from clean text?

usage: python tools/detect_roc.py [--data DIR]

Scores every dev document (clean-dev: clean; synthetic-dev and the sample
page: spun) and, harder, every paragraph of them scored on its own; prints
the ROC AUC, the decision threshold the CLI uses and the errors at it.
"""
import argparse
import glob
import os

from textrepair import SPUN_THRESHOLD, Repairer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(p):
    with open(p, encoding="utf-8") as fh:
        return fh.read()


def auc(pos, neg):
    """Probability that a random spun text scores above a random clean one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / max(1, len(pos) * len(neg))


def report(name, pos, neg):
    fn = sum(s < SPUN_THRESHOLD for s in pos)
    fp = sum(s >= SPUN_THRESHOLD for s in neg)
    print(f"{name}: {len(pos)} spun, {len(neg)} clean; ROC AUC {auc(pos, neg):.4f}; "
          f"at threshold {SPUN_THRESHOLD}: {fn} spun missed, {fp} clean flagged; "
          f"lowest spun score {min(pos):.4f}, highest clean score {max(neg):.4f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "samples"))
    a = ap.parse_args()
    rep = Repairer()
    spun_docs = sorted(glob.glob(os.path.join(a.data, "synthetic-dev", "*.spun.txt")))
    spun_docs += [os.path.join(a.data, "whitepaper-dev.spun.txt")]
    clean_docs = sorted(glob.glob(os.path.join(a.data, "clean-dev", "*.txt")))
    pos = [rep.repair(read(p)).spin_score for p in spun_docs]
    neg = [rep.repair(read(p)).spin_score for p in clean_docs]
    report("documents", pos, neg)
    ppos = [rep.repair(ln).spin_score for p in spun_docs for ln in read(p).split("\n") if len(ln.strip()) >= 20]
    pneg = [rep.repair(ln).spin_score for p in clean_docs for ln in read(p).split("\n") if len(ln.strip()) >= 20]
    report("paragraphs alone (>= 20 chars)", ppos, pneg)


if __name__ == "__main__":
    main()
