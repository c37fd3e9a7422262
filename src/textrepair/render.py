"""Stage 6 – render: apply chosen repairs to the original input."""
from __future__ import annotations

from typing import Iterable, List

from .result import Repair

CLAUSE_SEPARATORS = "，、；：,;:"
CLAUSE_ENDS = "，、；：,;:。！？!?.…\r\n"


def splice(text: str, edits: Iterable) -> str:
    """``text`` with non-overlapping edits (start, end, replacement) applied."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos:
            raise ValueError(f"edit {e} overlaps the one before it")
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def apply_repairs(text: str, repairs: Iterable[Repair]) -> str:
    """Apply non-overlapping repairs (offsets into ``text``), checking that each
    one's ``original`` is what the text holds there."""
    repairs = list(repairs)
    for r in repairs:
        if text[r.start:r.end] != r.original:
            raise ValueError(f"repair {r} does not apply at {r.start}")
    return splice(text, repairs)


def with_orphaned_separators(text: str, repairs: List[Repair]) -> List[Repair]:
    """Spam deletions that empty a whole clause take its separator with them.

    Spam stuffed in as a clause of its own (扩大，加微信：kaiyun888。) leaves
    扩大，。 once deleted; the comma came with the spam, so the deletion takes
    it (扩大。).  At a line's start, the separator after the clause goes
    instead.  A separator another repair already changes is left alone.
    ``repairs`` are sorted and do not overlap.
    """
    out = list(repairs)
    i = 0
    while i < len(out):
        if out[i].kind != "spam" or out[i].replacement:
            i += 1
            continue
        j = i  # the run of deletions that touch one another
        while j + 1 < len(out) and out[j + 1].kind == "spam" and not out[j + 1].replacement \
                and out[j + 1].start == out[j].end:
            j += 1
        start, end = out[i].start, out[j].end
        after = text[end] if end < len(text) else "\n"
        before_free = i == 0 or out[i - 1].end < start
        after_free = j + 1 == len(out) or out[j + 1].start > end
        if start > 0 and text[start - 1] in CLAUSE_SEPARATORS and after in CLAUSE_ENDS and before_free:
            out[i] = _widened(text, out[i], start - 1, out[i].end)
        elif (start == 0 or text[start - 1] in "\r\n") and after in CLAUSE_SEPARATORS and after_free \
                and end < len(text):
            out[j] = _widened(text, out[j], out[j].start, end + 1)
        i = j + 1
    return out


def _widened(text: str, r: Repair, start: int, end: int) -> Repair:
    return Repair(start, end, text[start:end], "", r.confidence,
                  f"{r.reason}; with the clause separator it would leave behind", r.kind)
