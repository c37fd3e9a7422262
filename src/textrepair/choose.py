"""Stage 5 – choose: the best non-overlapping candidates above the threshold."""
from __future__ import annotations

from typing import List, Sequence

from .candidates import Candidate


def choose(candidates: Sequence[Candidate], min_confidence: float) -> List[Candidate]:
    ranked = sorted(
        (c for c in candidates if c.confidence >= min_confidence),
        # Most confident first; on ties the longer span, then the earlier one,
        # so the result does not depend on the order candidates were proposed.
        key=lambda c: (-c.confidence, -(c.end - c.start), c.start, c.replacement),
    )
    taken: List[Candidate] = []
    occupied: List[tuple] = []
    for cand in ranked:
        if any(cand.start < e and s < cand.end for s, e in occupied):
            continue
        taken.append(cand)
        occupied.append((cand.start, cand.end))
    taken.sort(key=lambda c: c.start)
    return taken
