"""Stage 6 – render: apply chosen repairs to the original input."""
from __future__ import annotations

from typing import Iterable

from .result import Repair


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
