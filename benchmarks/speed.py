#!/usr/bin/env python3
"""Throughput of textrepair.repair against jieba.lcut on the same text, same process.

usage: python benchmarks/speed.py [FILE ...] [--clean] [--repeat N]
The text is the FILEs concatenated (default: the spun sample page); --clean
takes the clean texts shipped in samples/ instead (clean-dev/*.txt and the
white paper's dev-half original).  Prints start-up time, characters per
second of both, and their ratio, each the best of N runs.
"""
import argparse
import glob
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", metavar="FILE")
    ap.add_argument("--clean", action="store_true", help="the clean sample texts (samples/clean-dev, dev gold)")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    if a.clean:
        a.files += sorted(glob.glob(os.path.join(ROOT, "samples", "clean-dev", "*.txt"))) + \
            [os.path.join(ROOT, "samples", "whitepaper-dev.gold.txt")]
    if not a.files:
        a.files = [os.path.join(ROOT, "samples", "whitepaper.spun.txt")]
    t0 = time.perf_counter()
    import textrepair
    rep = textrepair.Repairer()
    startup = time.perf_counter() - t0
    import jieba
    jieba.initialize()
    texts = []
    for path in a.files:
        with open(path, encoding="utf-8") as fh:
            texts.append(fh.read())
    text = "".join(texts)
    rep.repair(text)
    jieba.lcut(text)

    def best(fn):
        times = []
        for _ in range(a.repeat):
            t = time.perf_counter()
            fn(text)
            times.append(time.perf_counter() - t)
        return min(times)

    t_rep, t_jieba = best(rep.repair), best(jieba.lcut)
    n = len(text)
    print(f"text: {len(a.files)} file(s), {n:,} chars, {len(text.encode()) / 1e3:.0f} KB; best of {a.repeat}")
    print(f"start-up (import + load): {startup:.2f} s")
    print(f"textrepair.repair: {n / t_rep:,.0f} chars/s ({len(text.encode()) / t_rep / 1e6:.2f} MB/s)")
    print(f"jieba.lcut:        {n / t_jieba:,.0f} chars/s")
    print(f"ratio to jieba:    {t_jieba / t_rep:.2f}")


if __name__ == "__main__":
    main()
