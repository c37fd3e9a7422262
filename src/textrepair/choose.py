"""Stage 5 – choose: the best non-overlapping candidates above the threshold.

A surely spun word with no clear favourite among its originals
(``unsure_choice``: 厉酷 ← 严厉 or 严格 with nothing in the context to tell)
is a guess.  Standing alone it is left as written: an unsure repair is not
made, and a wrong original is worse than none.  Next to other repairs it
keeps its likeliest reading, since leaving it would half-repair the phrase
around it (根源办法延续圆满 → 基础设施?完善).
"""
from __future__ import annotations

from typing import Dict, List, Sequence

from . import compiled
from .candidates import Candidate

# the choice in C (``_scoring.c``, see compiled.py), or None: ``choose`` below is the reference
_c_scoring = compiled.load("_scoring")


def choose(candidates: Sequence[Candidate], min_confidence: float) -> List[Candidate]:
    if _c_scoring is not None:
        return _c_scoring.choose(candidates, min_confidence)
    return choose_py(candidates, min_confidence)


def choose_py(candidates: Sequence[Candidate], min_confidence: float) -> List[Candidate]:
    """``choose`` in Python."""
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
    if any(c.unsure_choice for c in taken):
        ends = {c.end for c in taken}
        starts = {c.start for c in taken}
        taken = [c for c in taken if not c.unsure_choice or c.start in ends or c.end in starts]
    return taken


# a neighbour more likely spun than not, left as written, makes a repair beside
# it a half-repair (measured on random-synonym text, README)
NEIGHBOUR_SPUN = 0.5


def without_half_repairs(taken: List[Candidate], spun_share: Dict[int, float],
                         neighbour_spun: float = NEIGHBOUR_SPUN) -> List[Candidate]:
    """Drop the thesaurus repairs next to a token that is probably spun but
    is not repaired.

    On a page a random-synonym spinner rewrote, runs of spun words are common
    (at a 30% rate one spun word in three has a spun neighbour).  When one word
    of such a run is repaired and its neighbour's reading is too uncertain to
    make, the phrase comes out half-repaired: no more readable than before,
    and one more change that is not the original.  ``spun_share`` is, per
    token index, the probability that the token is spun (scoring's channel).
    """
    done = {c.token_index for c in taken if c.kind == "thesaurus"}
    # (a thesaurus reading always has its token's index)
    return [c for c in taken if c.kind != "thesaurus" or c.token_index is None or not any(
        j not in done and spun_share.get(j, 0.0) >= neighbour_spun
        for j in (c.token_index - 1, c.token_index + 1))]
