"""Align a spun text with its original and list the edits, word by word.

Used by ``tools/build_glossary.py`` to count spinner pairs in annotated
text.  The character alignment is the evaluation's (a minimal Levenshtein
alignment per line); each changed region is widened to whole tokens of the
spun side, so 进展→发展 comes out as one edit, not as 进→发.
"""
from __future__ import annotations

from typing import Iterator, List, NamedTuple, Sequence, Tuple

from .evaluate import changed_regions


class Edit(NamedTuple):
    line: int        # 1-based
    start: int       # offsets into the spun line
    end: int
    spun: str
    original: str


def _token_bounds(tokens: Sequence[str]) -> List[Tuple[int, int]]:
    out, pos = [], 0
    for t in tokens:
        out.append((pos, pos + len(t)))
        pos += len(t)
    return out


def align_line(spun: str, original: str, tokenize) -> List[Edit]:
    regions = changed_regions(spun, original)
    if not regions:
        return []
    bounds = _token_bounds(tokenize(spun))
    edits: List[Edit] = []
    for s, e, _r in regions:
        # widen to the tokens the region touches (an insertion touches the token it falls in)
        ws = max([b for b, _ in bounds if b <= s] or [0])
        we = min([b for _, b in bounds if b >= max(e, s + (1 if e == s else 0))] or [len(spun)])
        if edits and ws < edits[-1].end:  # overlaps the previous widened edit: merge
            ws = edits[-1].start
            edits.pop()
        edits.append(Edit(0, ws, we, spun[ws:we], ""))
    # the original text of each widened span: apply the regions inside it
    out = []
    for ed in edits:
        pieces, pos = [], ed.start
        for s, e, r in regions:
            if s >= ed.start and e <= ed.end and not (s == e == ed.end and ed.end != ed.start):
                pieces.append(spun[pos:s])
                pieces.append(r)
                pos = e
        pieces.append(spun[pos:ed.end])
        out.extend(_split_by_tokens(ed._replace(original="".join(pieces)), bounds))
    return out


def _split_by_tokens(ed: Edit, bounds) -> List[Edit]:
    """Touching spins merge into one region (范围延续→规模持续); where the two
    sides have the same length, cut them again at the spun tokens."""
    inner = [(s, e) for s, e in bounds if ed.start <= s and e <= ed.end]
    if len(inner) < 2 or len(ed.spun) != len(ed.original):
        return [ed]
    out = []
    for s, e in inner:
        a, b = ed.spun[s - ed.start:e - ed.start], ed.original[s - ed.start:e - ed.start]
        if a != b:
            out.append(Edit(ed.line, s, e, a, b))
    return out


def align(spun: str, original: str, tokenize) -> Iterator[Edit]:
    """Edits turning ``spun`` into ``original`` (same number of lines)."""
    sl, ol = spun.split("\n"), original.split("\n")
    if len(sl) != len(ol):
        raise ValueError(f"line counts differ: spun {len(sl)}, original {len(ol)}")
    for i, (s, o) in enumerate(zip(sl, ol), start=1):
        for ed in align_line(s, o, tokenize):
            yield ed._replace(line=i)
