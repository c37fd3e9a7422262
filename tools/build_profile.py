#!/usr/bin/env python3
"""Build a spinner profile's glossary rows from a curated list of its pairs
(curation tool, not used at run time).

usage: build_profile.py PAIRS.tsv --profile NAME > data/NAME.tsv

PAIRS.tsv has the header ``spun, canonical, count, evidence``: one pair the
spinner was seen to make (in the wild, with the original text or a context
that leaves no doubt), how many times, and where.  ``build_glossary.py`` weighs rows
by counting them on annotated pages; a spinner met only in the wild has no
such pages, so each row's weight – the prior that an occurrence of the spun
form t in this spinner's text is a spin of c – is the document model's own
frequency estimate (docmodel.py), from jieba's dictionary frequencies f::

    weight(t -> c) = f(c)·R/fan(c) / (f(t)·keep(t) + Σ_c' f(c')·R/fan(c'))

where R = docmodel.REWRITE_RATE, fan(c) the number of spun forms of c,
keep(t) = 1 - R when t is itself a canonical of a row (the spinner rewrites
it too) and 1 otherwise, and the sum runs over every canonical of t.  A
non-word (平易近, 根蒂根基) comes out near 1, a common word that is also a
spin (主要 ← 重要) at what the frequencies say; the document and the
context decide each occurrence (scoring.py).  The count is not used: weighing
rows by it (n/(n+1), so a pair seen once counts half) was measured worse on
the one spun page we could align by hand (precision 0.80 → 0.75).  Weights are clipped to
[FLOOR, CAP]: no row is certain, and none is dropped for being rare.
"""
from __future__ import annotations

import argparse
import collections
import csv
import sys

import jieba

from textrepair.docmodel import REWRITE_RATE
from textrepair.glossary import GlossaryError, data_rows

jieba.setLogLevel(60)

FLOOR, CAP = 0.05, 0.97
HEADER = ("spun", "canonical", "count", "evidence")


def read_pairs(path):
    """The pairs of PAIRS.tsv, read like every data file of the project
    (glossary.data_rows: comments, header, field count); errors name path:line."""
    out, seen = [], set()
    try:
        for p, lineno, (spun, canonical, count, evidence) in data_rows(path, HEADER, optional_last=True):
            if not spun or not canonical or spun == canonical:
                raise GlossaryError(f"{p}:{lineno}: a pair needs two different words")
            if not count.isdigit() or int(count) < 1:
                raise GlossaryError(f"{p}:{lineno}: count {count!r} is not a positive whole number")
            if (spun, canonical) in seen:
                raise GlossaryError(f"{p}:{lineno}: duplicate pair {spun}→{canonical}")
            seen.add((spun, canonical))
            out.append((spun, canonical, int(count), evidence))
    except GlossaryError as exc:
        sys.exit(str(exc))
    return out


def weights(pairs, freq):
    """The frequency estimate of each pair's weight (see the module doc)."""
    f = lambda w: max(freq(w), 1)  # noqa: E731 – add-one smoothing, as the document model
    fan = collections.Counter(c for _s, c, _n, _e in pairs)
    canonicals = set(fan)
    incoming = collections.defaultdict(float)
    for s, c, _n, _e in pairs:
        incoming[s] += f(c) * REWRITE_RATE / fan[c]
    out = {}
    for s, c, _n, _e in pairs:
        keep = (1.0 - REWRITE_RATE) if s in canonicals else 1.0
        share = f(c) * REWRITE_RATE / fan[c] / (f(s) * keep + incoming[s])
        out[(s, c)] = min(CAP, max(FLOOR, share))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pairs")
    ap.add_argument("--profile", required=True)
    a = ap.parse_args(argv)
    pairs = read_pairs(a.pairs)
    jieba.initialize()
    freq = lambda w: jieba.dt.FREQ.get(w) or 0  # noqa: E731 – jieba's own dictionary, nothing added
    # A spun form jieba knows but cuts apart (是以 in 是以弱对强, 便是) would
    # have to be made a word to be proposed (tokenizer.py), and that re-cuts
    # clean text: such pairs are left out, and said so on stderr.
    kept = [p for p in pairs if not (freq(p[0]) and len(jieba.lcut(p[0], HMM=False)) > 1)]
    for s, c, _n, _e in sorted(set(pairs) - set(kept)):
        print(f"left out {s}→{c}: jieba cuts {s} apart", file=sys.stderr)
    pairs = kept
    w = weights(pairs, freq)
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["spun", "canonical", "kind", "weight", "profile", "note"])
    for s, c, _n, evidence in sorted(pairs, key=lambda p: (p[1], p[0])):
        out.writerow([s, c, "word", f"{w[(s, c)]:.2f}", a.profile, evidence])


if __name__ == "__main__":
    main()
