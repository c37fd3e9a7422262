#!/usr/bin/env python3
"""Would a large word language model settle what our context scoring cannot?

usage: python tools/lm_probe.py LM [--data DIR]

LM is a KenLM model of Simplified Chinese words.  The one measured in the
README is fcitx5's (libime, LGPL-2.1+, a 3-gram model of about 17 MB, built
for pinyin input from a large modern corpus):

    apt-get download libime-data-language-model
    dpkg-deb -x libime-data-language-model_*.deb libime
    pip install kenlm
    python tools/lm_probe.py libime/usr/lib/*/libime/zh_CN.lm

Not a dependency and not shipped: this is the experiment behind the README's
note on the synthetic set's remaining errors.  On the synthetic dev passages
and the sample dev half it asks two questions of every repair textrepair
makes:

1. keep or repair: does the model score the clause better with the repair
   than with the word as written?  (A word spun into another correct word,
   协同 for 共同, is the case the issue's figures turn on.)
2. which original: for a spun form with two or more originals in the
   glossary (延续 ← 持续/不断), does the model pick the gold one more often
   than textrepair does?

Each clause (text between punctuation, which the model never saw) is
tokenized with textrepair's tokenizer and scored with sentence boundaries;
the neighbours of the word are textrepair's own output.
"""
import argparse
import bisect
import collections
import glob
import os
import re
import sys

from textrepair import Repairer
from textrepair.evaluate import repair_is_right

from accuracy import read  # tools/accuracy.py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLAUSE_BREAK = re.compile(r"[，。、；：！？,.;:!?“”‘’\"'（）()《》\s]")


def clause(text, start, end):
    """The span of the clause holding text[start:end]."""
    while start > 0 and not CLAUSE_BREAK.match(text[start - 1]):
        start -= 1
    while end < len(text) and not CLAUSE_BREAK.match(text[end]):
        end += 1
    return start, end


def auc(positives, negatives):
    """P(a random positive scores above a random negative); ties count half."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lm")
    ap.add_argument("--data", default=os.path.join(ROOT, "samples"))
    a = ap.parse_args()
    try:
        import kenlm
    except ImportError:
        sys.exit("lm_probe: needs the kenlm module (pip install kenlm)")
    lm = kenlm.Model(a.lm)
    rep = Repairer()

    def score(text):
        words = [t for t in rep.tokenizer.tokenize_texts(text) if t.strip()]
        return lm.score(" ".join(words), bos=True, eos=True) if words else 0.0

    originals = collections.defaultdict(set)
    for row in rep.glossary.rows:
        if row.kind == "word":
            originals[row.spun].add(row.canonical)
    sample = os.path.join(a.data, "sample") if os.path.isdir(os.path.join(a.data, "sample")) else a.data
    sets = {"synthetic dev": sorted(glob.glob(os.path.join(a.data, "synthetic-dev", "*.spun.txt"))),
            "sample dev half": [os.path.join(sample, "whitepaper-dev.spun.txt")]}
    for name, files in sets.items():
        gain = {True: [], False: []}   # LM gain of the repair over the word as written, by rightness
        conf = {True: [], False: []}   # textrepair's confidence, the same repairs
        choice = collections.Counter()
        for f in files:
            spun, gold = read(f), read(f.replace(".spun.", ".gold."))
            result = rep.repair(spun)
            out, lines, gold_lines = result.text, spun.split("\n"), gold.split("\n")
            starts = [0]
            for line in lines[:-1]:
                starts.append(starts[-1] + len(line) + 1)
            shift = 0  # output offset minus input offset, before the current repair
            for r in sorted(result.repairs, key=lambda r: r.start):
                k = bisect.bisect_right(starts, r.start) - 1
                lo, hi = r.start - starts[k], r.end - starts[k]
                at = r.start + shift
                shift += len(r.replacement) - len(r.original)
                right = repair_is_right(lines[k], gold_lines[k], lo, hi, r.replacement)
                with_word = {}
                for word in {r.original, r.replacement} | originals.get(r.original, set()):
                    t = out[:at] + word + out[at + len(r.replacement):]
                    s, e = clause(t, at, at + len(word))
                    with_word[word] = score(t[s:e])
                gain[right].append(with_word[r.replacement] - with_word[r.original])
                conf[right].append(r.confidence)
                options = originals.get(r.original, set())
                if len(options) >= 2 and r.replacement in options:
                    golden = {o for o in options if repair_is_right(lines[k], gold_lines[k], lo, hi, o)}
                    if golden:
                        lm_pick = max(sorted(options), key=with_word.__getitem__)
                        choice["textrepair"] += r.replacement in golden
                        choice["language model"] += lm_pick in golden
                        choice["cases"] += 1
        print(f"{name}: {len(gain[True])} right and {len(gain[False])} wrong repairs")
        print(f"  keep or repair, ROC AUC separating right from wrong: language-model gain "
              f"{auc(gain[True], gain[False]):.3f}, textrepair's confidence {auc(conf[True], conf[False]):.3f}")
        print(f"  wrong repairs the model scores below the word as written: "
              f"{sum(g < 0 for g in gain[False])} of {len(gain[False])} "
              f"(right ones it would undo: {sum(g < 0 for g in gain[True])})")
        print(f"  which original ({choice['cases']} repairs of forms with two or more): textrepair right "
              f"{choice['textrepair']}, language model right {choice['language model']}")


if __name__ == "__main__":
    main()
