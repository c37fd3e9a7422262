#!/usr/bin/env python3
"""Spin clean text with a curated spinner's word map (a synthetic set for a
profile built by tools/build_profile.py).

usage: python tools/make_profile_set.py OUTDIR FILE... --pairs PAIRS.tsv [--rate 0.9]

Writes OUTDIR/NAME.spun.txt and OUTDIR/NAME.gold.txt (the input) per FILE.
The text is segmented by jieba (the map's canonical words added to its
dictionary) and each token that is a canonical word of the map becomes its
spun form, as a fixed-map spinner does; a share 1 - RATE of the words in the
map (chosen by a hash of the word) is left out of it, as no spinner's map
holds every word.  A canonical word with several spun forms always takes the
same one (by the hash).  Like samples/synthetic-dev, such a set measures the
decoding – which occurrences of ambiguous forms are spins, and what the clean
text around them keeps – not the map, which the rows hold by construction.
"""
import argparse
import hashlib
import os
import sys

import jieba

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_profile import read_pairs  # noqa: E402
from make_thesaurus_set import write_spun_pair  # noqa: E402

jieba.setLogLevel(60)


def word_map(pairs, rate: float):
    forms = {}
    for spun, canonical, _n, _e in pairs:
        forms.setdefault(canonical, []).append(spun)
    out = {}
    for canonical, spuns in forms.items():
        h = int(hashlib.md5(canonical.encode()).hexdigest(), 16)
        if (h % 1000) / 1000 < rate:
            out[canonical] = sorted(spuns)[h % len(spuns)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--rate", type=float, default=0.9)
    a = ap.parse_args()
    mapping = word_map(read_pairs(a.pairs), a.rate)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in mapping:
        tok.add_word(w)
    os.makedirs(a.outdir, exist_ok=True)
    for path in a.files:
        write_spun_pair(a.outdir, path, lambda line: "".join(mapping.get(w, w) for w in tok.cut(line, HMM=False)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
