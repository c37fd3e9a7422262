#!/usr/bin/env python3
"""Throughput of textrepair.repair against jieba.lcut on the same text, same process.

usage: python benchmarks/speed.py [FILE] [--repeat N]
Prints start-up time, characters per second of both, and their ratio.
"""
import argparse
import os
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=os.path.join(ROOT, "samples", "whitepaper.spun.txt"))
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    t0 = time.perf_counter()
    import textrepair
    rep = textrepair.Repairer()
    startup = time.perf_counter() - t0
    import jieba
    jieba.initialize()
    with open(a.file, encoding="utf-8") as fh:
        text = fh.read()
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
    print(f"start-up (import + load): {startup:.2f} s")
    print(f"textrepair.repair: {n / t_rep:,.0f} chars/s ({len(text.encode()) / t_rep / 1e6:.2f} MB/s)")
    print(f"jieba.lcut:        {n / t_jieba:,.0f} chars/s")
    print(f"ratio to jieba:    {t_jieba / t_rep:.2f}")


if __name__ == "__main__":
    main()
