#!/usr/bin/env python3
"""Corpus-mode throughput, --jobs scaling and memory, on JSON Lines built
from the shipped samples.

usage: python benchmarks/corpus.py [--mb N] [--jobs 1 2 ...]

Builds a JSON Lines file of about N MB (the spun and clean dev passages,
repeated; half spun, half clean, as a crawl might be), runs
`textrepair fix --jsonl` on it with each --jobs value, checks that every run
gives byte-identical output, and prints wall time, MB/s, speed-up and the
peak memory of the textrepair processes.
"""
import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(path, mb):
    texts = [open(p, encoding="utf-8").read() for p in
             sorted(glob.glob(os.path.join(ROOT, "samples", "synthetic-dev", "*.spun.txt")))
             + sorted(glob.glob(os.path.join(ROOT, "samples", "clean-dev", "*.txt")))]
    size, i = 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            line = json.dumps({"id": i, "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode())
            i += 1
    return i, size


def run(src, out, jobs):
    cmd = [os.path.join(os.path.dirname(sys.executable), "textrepair"), "fix", "--jsonl", src, "-o", out,
           "--jobs", str(jobs), "--quiet", "--progress", "never"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.jsonl")
        n, size = build(src, a.mb)
        print(f"{n:,} documents, {size / 1e6:.1f} MB of JSON Lines")
        outputs, base = [], None
        for jobs in a.jobs:
            out = os.path.join(d, f"out{jobs}.jsonl")
            wall, peak = run(src, out, jobs)
            base = base or wall
            outputs.append(open(out, "rb").read())
            print(f"--jobs {jobs}: {wall:.1f} s, {size / 1e6 / wall:.2f} MB/s, speed-up {base / wall:.2f}x, "
                  f"peak memory of one process {peak:.0f} MB")
        print("identical output in every run:", all(o == outputs[0] for o in outputs))


if __name__ == "__main__":
    main()
