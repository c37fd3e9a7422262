#!/usr/bin/env python3
"""Is confidence calibrated?  Per-repair correctness on dev data, by confidence.

usage: python tools/calibration.py [--data DIR] [--png PATH]

Every repair textrepair makes on the sample dev half, the synthetic dev set
and the random-synonym dev set (at min_confidence 0) is judged right when, applied alone, it moves its
line toward the gold by its whole edit cost.  Prints, for thresholds c, the
share of right repairs among those with confidence >= c (calibrated means
that share is at least c) and, with --png, draws a reliability diagram.
"""
import argparse
import glob
import os

from textrepair import Repairer
from textrepair.evaluate import repair_is_right

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(p):
    with open(p, encoding="utf-8") as fh:
        return fh.read()


def judged(rep, spun, gold):
    lines, golds = spun.split("\n"), gold.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    out = []
    for r in rep.repair(spun, min_confidence=0.0).repairs:
        i = spun.count("\n", 0, r.start)
        s = r.start - starts[i]
        out.append((r.confidence, repair_is_right(lines[i], golds[i], s, s + len(r.original), r.replacement)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "samples"))
    ap.add_argument("--png")
    a = ap.parse_args()
    rep = Repairer()
    pairs = [(os.path.join(a.data, "whitepaper-dev.spun.txt"), os.path.join(a.data, "whitepaper-dev.gold.txt"))]
    for folder in ("synthetic-dev", "thesaurus-dev"):
        pairs += [(f, f.replace(".spun.", ".gold.")) for f in sorted(glob.glob(os.path.join(a.data, folder, "*.spun.txt")))]
    points = []
    for s, g in pairs:
        points += judged(rep, read(s), read(g))
    print("threshold c | repairs with confidence >= c | share right | calibrated (share >= c)")
    print("---|---|---|---")
    for c in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        sel = [ok for conf, ok in points if conf >= c]
        share = sum(sel) / len(sel) if sel else float("nan")
        print(f"{c:.2f} | {len(sel)} | {share:.3f} | {'yes' if sel and share >= c else 'no'}")
    bins = [(lo / 10, (lo + 1) / 10) for lo in range(10)]
    rows = []
    for lo, hi in bins:
        sel = [ok for conf, ok in points if lo <= conf < hi or (hi == 1.0 and conf == 1.0)]
        rows.append((lo, hi, len(sel), sum(sel) / len(sel) if sel else None))
    print("\nbin | repairs | share right")
    for lo, hi, n, share in rows:
        print(f"[{lo:.1f}, {hi:.1f}) | {n} | {'-' if share is None else f'{share:.3f}'}")
    if a.png:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        xs = [(lo + hi) / 2 for lo, hi, n, s in rows if s is not None]
        ys = [s for lo, hi, n, s in rows if s is not None]
        ns = [n for lo, hi, n, s in rows if s is not None]
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
        ax.plot(xs, ys, "o-", label="textrepair (dev data)")
        for x, y, n in zip(xs, ys, ns):
            ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -12), fontsize=8)
        ax.set_xlabel("confidence (bin centre)")
        ax.set_ylabel("share of repairs that are right")
        ax.set_title("Reliability of repair confidence")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(a.png, dpi=110)


if __name__ == "__main__":
    main()
