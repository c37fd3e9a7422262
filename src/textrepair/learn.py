"""Learn glossary rows from a spun text and its original.

``textrepair learn SPUN ORIGINAL`` aligns the two word by word (align.py)
and writes the spinner's pairs as glossary rows, with counts and example
contexts, ready to review and append to a glossary file.  Only clean pairs
are proposed: a spun word and an original word of the same length that the
tokenizer sees as one unit each; wider differences (spam, wrong splits,
deleted words) are left to a human.
"""
from __future__ import annotations

import collections
from typing import Dict, Iterable, List, Sequence, Tuple

from .align import align
from .glossary import HEADER

CONTEXT = 6  # characters of example context on each side


def clean_pair(edit, tokenizer) -> bool:
    """An aligned edit that is one spinner unit: one word for one word of the
    same length.  Wider edits (spam glued to a word, wrong splits) are left to
    a human."""
    return (len(edit.spun) == len(edit.original) >= 2
            and tokenizer.tokenize_texts(edit.spun) == [edit.spun]
            and tokenizer.is_word(edit.original))


def prior_weight(n: float, occurrences: float, spun_freq: int) -> float:
    """The row weight (prior): how often an occurrence of the spun form is
    this spin, smoothed towards 0.95 for forms that are not common words
    (dictionary frequency < 100: 厉重) and towards 0.5 for ones that are."""
    p0 = 0.95 if spun_freq < 100 else 0.5
    return min(0.99, (n + 2 * p0) / (max(occurrences, n) + 2))


def learn_rows(pairs: Iterable[Tuple[str, str]], tokenizer, profile: str = "learned",
               min_count: int = 1) -> List[List[str]]:
    """Glossary rows (with the header first) from (spun, original) texts."""
    counts: Dict[Tuple[str, str], int] = collections.Counter()
    examples: Dict[Tuple[str, str], List[str]] = collections.defaultdict(list)
    occurrences: Dict[str, int] = collections.Counter()
    texts = list(pairs)
    for spun, original in texts:
        lines = spun.split("\n")
        for e in align(spun, original, tokenizer.tokenize_texts):
            if not clean_pair(e, tokenizer):
                continue
            key = (e.spun, e.original)
            counts[key] += 1
            if len(examples[key]) < 2:
                line = lines[e.line - 1]
                examples[key].append(line[max(0, e.start - CONTEXT):e.start] + "[" + e.spun + "]"
                                     + line[e.end:e.end + CONTEXT])
    spun_forms = {s for s, _ in counts}
    for spun, _original in texts:
        for tok in tokenizer.tokenize_texts(spun):
            if tok in spun_forms:
                occurrences[tok] += 1
    rows = [list(HEADER)]
    for (s, c), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < min_count:
            continue
        w = prior_weight(n, occurrences[s], tokenizer.freq(s))
        note = f"learned: spin in {n} of {max(n, occurrences[s])} occurrences; e.g. " + " / ".join(examples[(s, c)])
        rows.append([s, c, "word", f"{w:.2f}", profile, note.replace("\t", " ").replace("\n", " ")])
    return rows


def format_rows(rows: Sequence[Sequence[str]]) -> str:
    return "".join("\t".join(r) + "\n" for r in rows)
