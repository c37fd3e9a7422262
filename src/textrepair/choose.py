"""Stage 5 – choose: the best non-overlapping candidates above the threshold."""
from __future__ import annotations

from typing import List, Sequence

from .candidates import Candidate


def choose(candidates: Sequence[Candidate], min_confidence: float) -> List[Candidate]:
    ranked = sorted(
        (c for c in candidates if c.decision_score >= min_confidence),
        # Most confident first; on ties the longer span, then the earlier one,
        # so the result does not depend on the order candidates were proposed.
        key=lambda c: (-c.confidence, -(c.end - c.start), c.start, c.replacement),
    )
    if not ranked:
        return []
    # one flag per character: candidates are short, so marking spans is
    # linear where comparing every pair of spans was quadratic
    occupied = bytearray(max(c.end for c in ranked))
    taken: List[Candidate] = []
    for cand in ranked:
        if any(occupied[cand.start:cand.end]):
            continue
        taken.append(cand)
        occupied[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
    taken.sort(key=lambda c: c.start)
    return taken
