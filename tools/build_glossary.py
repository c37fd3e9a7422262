#!/usr/bin/env python3
"""Build glossary rows from annotated spun text (curation tool, not used at run time).

usage: build_glossary.py --profile NAME SOURCE... > rows.tsv

Each SOURCE is ``[LABEL=]SPUN:GOLD:EDITS`` – a spun text, its restoration, and the
edits TSV (columns line, spun, restored, sure, note) that lists every edit –
or ``SPUN:GOLD`` when the gold is the true original (synthetic data made by
spinning a clean text): the edits are then found by aligning the two.
Only edits marked sure=yes make a row (a guess is not a true pair); an unsure
edit of a pair that is attested as sure elsewhere adds half a count.  Edits with an empty spun
side (text a filter deleted) never become rows: deleted words cannot come back.

The weight of a row is its prior: how often an occurrence of the spun form,
in a text this spinner produced, is a spin of that canonical form::

    weight(s -> c) = (n(c -> s) + 2 p0) / (occ(s) + 2)

where n counts the occurrences of s aligned with c in the sources (or the
annotated edits, if more; an unsure edit counts one half), occ(s) the tokens
s in the spun sources, and p0 = 0.95, the prior mean.  A form that is
also a genuine word (进展) is told apart in use by the document model and
the context (scoring.py), not here: a prior mean of 0.5 for common words was
measured worse on every dev set.
"""
from __future__ import annotations

import argparse
import collections
import csv
import sys

import jieba

from textrepair import Repairer
from textrepair.align import align
from textrepair.learn import clean_pair, prior_weight

jieba.setLogLevel(60)


def read_edits(path):
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if rows and rows[0][:2] == ["line", "spun"]:
        rows = rows[1:]
    return [r + [""] * (5 - len(r)) for r in rows if len(r) >= 3]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="+", help="[LABEL=]SPUN:GOLD[:EDITS]")
    ap.add_argument("--profile", required=True)
    a = ap.parse_args(argv)
    # the tokenizer of the current glossary, so known spun forms align whole
    tokenizer = Repairer().tokenizer

    pair_n = collections.Counter()          # (spun, canonical) -> sure edits (defines the rows)
    pair_unsure = collections.Counter()
    aligned_n = collections.Counter()       # (spun token, original) -> aligned occurrences
    spun_tokens = collections.Counter()     # token -> occurrences in spun inputs
    by_label = collections.defaultdict(collections.Counter)
    spam_n = collections.Counter()
    spun_occ = collections.Counter()        # spun text -> occurrences in spun inputs
    spun_texts = []
    for i, src in enumerate(a.sources):
        label, _, src = src.rpartition("=")
        label = label or f"source {i + 1}"
        spun_path, gold_path, *edits_path = src.split(":")
        gold = open(gold_path, encoding="utf-8").read()
        spun = open(spun_path, encoding="utf-8").read()
        spun_texts.append(spun)
        aligned = list(align(spun, gold, tokenizer.tokenize_texts))
        # Counts come from the alignment, which sees every occurrence the
        # way the repairer tokenizes it (an annotator may have recorded
        # 较疾 as one edit where the repairer sees the token 疾).
        for e in aligned:
            aligned_n[(e.spun, e.original)] += 1
        if edits_path:
            edits = [r[:5] for r in read_edits(edits_path[0])]
        else:
            edits = [(e.line, e.spun, e.original, "yes", "") for e in aligned if clean_pair(e, tokenizer)]
        for _line, spun_s, restored, sure, _note in edits:
            if not spun_s:
                continue  # deleted by a filter: never invent it back
            if not restored:
                spam_n[spun_s] += 1
                continue
            if sure.strip().lower() in ("yes", "y", "true", "1"):
                pair_n[(spun_s, restored)] += 1
                by_label[(spun_s, restored)][label] += 1
            else:
                pair_unsure[(spun_s, restored)] += 1
    # A pair attested only as unsure is a guess, not a true pair: no row.
    # An unsure edit of a pair that is also attested as sure counts one half.
    spun_forms = {s for s, _ in pair_n}
    for text in spun_texts:
        for s in spam_n:
            spun_occ[s] += text.count(s)
        for s in spun_forms:
            spun_occ[s] += text.count(s)
        for tok in tokenizer.tokenize_texts(text):  # as the repairer will see them
            spun_tokens[tok] += 1

    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["spun", "canonical", "kind", "weight", "profile", "note"])
    rows = []
    for (spun, canon), n in pair_n.items():
        n_all = max(n + 0.5 * pair_unsure.get((spun, canon), 0), aligned_n[(spun, canon)])
        # occurrences of the form: as a token, or as a string for forms the
        # default dictionary splits (they will be tokens once added).
        occ = max(spun_tokens[spun] if tokenizer.freq(spun) else spun_occ[spun], n_all)
        # Smoothed towards 0.95 for every form.  (This script used to pass
        # jieba's frequency, meaning 0.5 for common words, but read it before
        # jieba had loaded, so every row was built with 0.95; passing the real
        # frequency was measured worse on every dev set, so 0.95 it is.)
        weight = prior_weight(n_all, occ, 0)
        # A canonical the tokenizer splits into several words is a multi-word
        # spin or a wrong-split artefact (和平安全 -> 和安全全): match it as a string.
        kind = "phrase" if len(jieba.lcut(canon, HMM=False)) > 1 and len(canon) >= 3 else "word"
        labels = ", ".join(f"{k} x{v}" for k, v in sorted(by_label[(spun, canon)].items()))
        labels += f"; spin in {n_all:g} of {occ:g} occurrences"
        rows.append((spun, canon, kind, f"{weight:.2f}", a.profile, labels))
    # Spam is not the spinner's: it is curated by hand in data/spam.tsv.
    for spun, n in sorted(spam_n.items()):
        print(f"spam seen (curate in data/spam.tsv): {spun} {n} of {max(n, spun_occ[spun])}", file=sys.stderr)
    rejected = set()
    try:
        with open("curation/rejected.tsv", encoding="utf-8") as fh:
            rejected = {tuple(r[:2]) for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")}
    except FileNotFoundError:
        pass
    rows = [r for r in rows if (r[0], r[1]) not in rejected]
    rows.sort(key=lambda r: (r[2] != "spam", r[1], r[0]))
    out.writerows(rows)


if __name__ == "__main__":
    main()
