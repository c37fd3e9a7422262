"""Stage 6 – render: apply chosen repairs to the original input."""
from __future__ import annotations

from typing import Iterable

from .result import Repair


def apply_repairs(text: str, repairs: Iterable[Repair]) -> str:
    """Apply non-overlapping repairs (offsets into ``text``); the inverse of nothing else."""
    out = []
    pos = 0
    for r in sorted(repairs, key=lambda r: r.start):
        if r.start < pos or text[r.start:r.end] != r.original:
            raise ValueError(f"repair {r} does not apply at {r.start}")
        out.append(text[pos:r.start])
        out.append(r.replacement)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)
