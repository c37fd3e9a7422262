#!/usr/bin/env python3
"""Build glossary rows from annotated spun text (curation tool, not used at run time).

usage: build_glossary.py --profile NAME SOURCE... > rows.tsv

Each SOURCE is ``SPUN:GOLD:EDITS`` – a spun text, its restoration, and the
edits TSV (columns line, spun, restored, sure, note) that lists every edit.
Only edits marked sure=yes become rows (a guess is not a true pair), unless
the same pair is also attested as sure elsewhere.  Edits with an empty spun
side (text a filter deleted) never become rows: deleted words cannot come back.

The weight of a row is its prior: how often an occurrence of the spun form,
in a text this spinner produced, is a spin of that canonical form::

    weight(s -> c) = (n(c -> s) + 2 p0) / (occ(s) + 2)

where n counts the sure edits c -> s (an unsure edit counts one half), occ(s)
the tokens s in the spun sources, and p0 the prior mean: 0.95 for a form that
is not a common word (f < 100 in jieba's dictionary: 厉重), 0.5 otherwise
(进展, which is also a genuine word).  It is what lets the scorer repair a
spun 进展 in a spun page yet leave 取得积极进展 alone.
"""
from __future__ import annotations

import argparse
import collections
import csv
import sys

import jieba

jieba.setLogLevel(60)


def read_edits(path):
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if rows and rows[0][:2] == ["line", "spun"]:
        rows = rows[1:]
    return [r + [""] * (5 - len(r)) for r in rows if len(r) >= 3]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="+", help="SPUN:GOLD:EDITS triples")
    ap.add_argument("--profile", required=True)
    ap.add_argument("--label", action="append", default=[], help="a name per source for the note column")
    a = ap.parse_args(argv)

    pair_n = collections.Counter()          # (spun, canonical) -> sure edits
    pair_unsure = collections.Counter()
    spun_tokens = collections.Counter()     # token -> occurrences in spun inputs
    by_label = collections.defaultdict(collections.Counter)
    canon_edits = collections.Counter()     # canonical -> all its edits
    canon_tokens = collections.Counter()    # canonical -> tokens in gold
    spam_n = collections.Counter()
    spun_occ = collections.Counter()        # spun text -> occurrences in spun inputs
    spun_texts = []
    for i, src in enumerate(a.sources):
        spun_path, gold_path, edits_path = src.split(":")
        label = a.label[i] if i < len(a.label) else f"source{i + 1}"
        gold = open(gold_path, encoding="utf-8").read()
        spun_texts.append(open(spun_path, encoding="utf-8").read())
        for tok in jieba.lcut(gold, HMM=False):
            canon_tokens[tok] += 1
        for _line, spun, restored, sure, _note in (r[:5] for r in read_edits(edits_path)):
            if not spun:
                continue  # deleted by a filter: never invent it back
            if not restored:
                spam_n[spun] += 1
                continue
            canon_edits[restored] += 1
            if sure.strip().lower() in ("yes", "y", "true", "1"):
                pair_n[(spun, restored)] += 1
                by_label[(spun, restored)][label] += 1
            else:
                pair_unsure[(spun, restored)] += 1
    # an unsure pair attested nowhere as sure is still the spinner's pair when
    # the annotator only hesitated between canonicals; keep it, at half count
    for key in list(pair_unsure):
        pair_n.setdefault(key, 0)
    spun_forms = {s for s, _ in pair_n} | {s for s, _ in pair_unsure}
    for text in spun_texts:
        for s in spam_n:
            spun_occ[s] += text.count(s)
        for s in spun_forms:
            spun_occ[s] += text.count(s)
        for tok in jieba.lcut(text, HMM=False):
            spun_tokens[tok] += 1

    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["spun", "canonical", "kind", "weight", "profile", "note"])
    rows = []
    freq = jieba.dt.FREQ
    for (spun, canon), n in pair_n.items():
        n_all = n + 0.5 * pair_unsure.get((spun, canon), 0)
        # occurrences of the form: as a token, or as a string for forms the
        # default dictionary splits (they will be tokens once added).
        occ = max(spun_tokens[spun] if freq.get(spun) else spun_occ[spun], n_all)
        p0 = 0.95 if (freq.get(spun) or 0) < 100 else 0.5
        weight = min(0.99, (n_all + 2 * p0) / (occ + 2))
        # A canonical the tokenizer splits into several words is a multi-word
        # spin or a wrong-split artefact (和平安全 -> 和安全全): match it as a string.
        kind = "phrase" if len(jieba.lcut(canon, HMM=False)) > 1 and len(canon) >= 3 else "word"
        labels = ", ".join(f"{k} x{v}" for k, v in sorted(by_label[(spun, canon)].items()))
        rows.append((spun, canon, kind, f"{weight:.2f}", a.profile, labels))
    for spun, n in spam_n.items():
        occ = max(n, spun_occ[spun])
        rows.append((spun, "", "spam", f"{min(0.98, n / occ):.2f}", a.profile, f"injected spam, {n} of {occ} occurrences"))
    rows.sort(key=lambda r: (r[2] != "spam", r[1], r[0]))
    out.writerows(rows)


if __name__ == "__main__":
    main()
