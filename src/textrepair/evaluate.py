"""Edit-level evaluation of a repaired text against a gold restoration.

The same definitions as the reference metric the issues are judged by:

* INPUT, GOLD and OUTPUT are aligned line by line (same number of lines).
* Each line of INPUT is aligned with GOLD and with OUTPUT by a minimal
  Levenshtein alignment (rapidfuzz's opcodes); touching changed regions merge.
* Changed regions of both alignments are grouped into clusters of
  overlapping or touching regions, and each cluster is judged once:
  TP (both changed it the same way), FP (only OUTPUT changed it),
  FN (only GOLD changed it), WRONG (both changed it, differently).
* Clusters touching a gold edit marked unsure (an edits TSV with sure≠yes)
  are skipped.
* precision = TP/(TP+FP+WRONG), recall = TP/(TP+FN+WRONG), F0.5; CER of
  INPUT and OUTPUT against GOLD; false changes per 1,000 input characters.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from rapidfuzz.distance import Levenshtein

Region = Tuple[int, int, str]
SURE = ("yes", "y", "true", "1")


class EvaluationError(ValueError):
    pass


def changed_regions(src: str, dst: str) -> List[Region]:
    """Changed regions of src → dst as (start, end, replacement) in src offsets."""
    out: List[Region] = []
    for op in Levenshtein.opcodes(src, dst):
        # by name: rapidfuzz types an Opcode's unpacked fields int | str
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            continue
        if out and out[-1][1] == i1:
            s, _e, r = out[-1]
            out[-1] = (s, i2, r + dst[j1:j2])
        else:
            out.append((i1, i2, dst[j1:j2]))
    return out


def _apply(src: str, regions: Sequence[Region], start: int, end: int) -> str:
    pieces, pos = [], start
    for s, e, r in regions:
        pieces.append(src[pos:s])
        pieces.append(r)
        pos = e
    pieces.append(src[pos:end])
    return "".join(pieces)


@dataclass
class Mistake:
    line: int
    kind: str       # FP | FN | WRONG
    context: str    # input around the cluster, the cluster in [brackets]
    gold: str
    output: str


def judge_line(src: str, gold: str, out: str, unsure: Sequence[Tuple[int, int]] = ()):
    tagged = sorted([(s, e, r, "g") for s, e, r in changed_regions(src, gold)]
                    + [(s, e, r, "o") for s, e, r in changed_regions(src, out)])
    clusters: List[list] = []
    current: list = []
    current_end = -1
    for item in tagged:
        if current and item[0] <= current_end:  # insertions touch neighbours at the same point
            current.append(item)
            current_end = max(current_end, item[1])
        else:
            if current:
                clusters.append(current)
            current, current_end = [item], item[1]
    if current:
        clusters.append(current)
    counts = {"TP": 0, "FP": 0, "FN": 0, "WRONG": 0, "skipped": 0}
    mistakes = []
    for cluster in clusters:
        start = min(x[0] for x in cluster)
        end = max(x[1] for x in cluster)
        g = [(s, e, r) for s, e, r, w in cluster if w == "g"]
        o = [(s, e, r) for s, e, r, w in cluster if w == "o"]
        if any(us < max(end, start + 1) and ue > start for us, ue in unsure):
            counts["skipped"] += 1
            continue
        gold_text, out_text = _apply(src, g, start, end), _apply(src, o, start, end)
        if g and o:
            kind = "TP" if gold_text == out_text else "WRONG"
        elif o:
            kind = "FP"
        else:
            kind = "FN"
        counts[kind] += 1
        if kind != "TP":
            ctx = src[max(0, start - 6):start] + "[" + src[start:end] + "]" + src[end:end + 6]
            mistakes.append((kind, ctx, gold_text, out_text))
    return counts, mistakes


EDITS_HEADER = ("line", "spun", "restored", "sure")


def unsure_spans(edits_paths: Iterable[Tuple[str, int]], input_lines: Sequence[str]) -> Dict[int, List[Tuple[int, int]]]:
    """Line index → spans of gold edits marked unsure, located by searching the line."""
    spans: Dict[int, List[Tuple[int, int]]] = {}
    for path, offset in edits_paths:
        try:
            with open(path, encoding="utf-8") as fh:
                rows = list(csv.reader(fh, delimiter="\t"))
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise EvaluationError(f"{path}: cannot read edits: {why}") from None
        if not rows or [c.strip().lower() for c in rows[0][:4]] != list(EDITS_HEADER):
            raise EvaluationError(f"{path}: not an edits TSV (its header must start "
                                  f"{', '.join(EDITS_HEADER)})")
        cursor: Dict[int, int] = {}
        for row in rows[1:]:
            if len(row) < 4:
                continue
            try:
                li = int(row[0]) - 1 + offset
            except ValueError:
                raise EvaluationError(f"{path}: line number {row[0]!r} is not an integer") from None
            if not 0 <= li < len(input_lines):
                raise EvaluationError(f"{path}: line {row[0]} is outside the input")
            spun, line = row[1], input_lines[li]
            at = line.find(spun, cursor.get(li, 0)) if spun else -1
            if at < 0:
                at = line.find(spun) if spun else -1
            if at >= 0:
                cursor[li] = at + len(spun)
                if row[3].strip().lower() not in SURE:
                    spans.setdefault(li, []).append((at, at + len(spun)))
    return spans


def evaluate(inp: str, gold: str, out: str, unsure: Optional[Dict[int, List[Tuple[int, int]]]] = None):
    """Return (figures, mistakes) for one INPUT/GOLD/OUTPUT triple."""
    il, gl, ol = inp.split("\n"), gold.split("\n"), out.split("\n")
    if not len(il) == len(gl) == len(ol):
        raise EvaluationError(f"line counts differ: input {len(il)}, gold {len(gl)}, output {len(ol)}")
    unsure = unsure or {}
    totals = {"TP": 0, "FP": 0, "FN": 0, "WRONG": 0, "skipped": 0}
    mistakes: List[Mistake] = []
    for i, (s, g, o) in enumerate(zip(il, gl, ol)):
        counts, found = judge_line(s, g, o, unsure.get(i, []))
        for k in totals:
            totals[k] += counts[k]
        mistakes.extend(Mistake(i + 1, *m) for m in found)
    return figures(totals, inp, gold, out), mistakes


def figures(t: Dict[str, int], inp: str, gold: str, out: str) -> Dict[str, object]:
    tp, fp, fn, wr = t["TP"], t["FP"], t["FN"], t["WRONG"]
    p = tp / (tp + fp + wr) if tp + fp + wr else 1.0
    r = tp / (tp + fn + wr) if tp + fn + wr else 1.0
    f05 = (1.25 * p * r / (0.25 * p + r)) if p + r else 0.0
    cer_in = Levenshtein.distance(inp, gold) / max(1, len(gold))
    cer_out = Levenshtein.distance(out, gold) / max(1, len(gold))
    return {
        **t,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f0.5": round(f05, 4),
        "cer_input": round(cer_in, 4),
        "cer_output": round(cer_out, 4),
        "repair": round(1 - cer_out / cer_in, 4) if cer_in else None,
        "chars": len(inp),
        "fp_per_1000_chars": round(1000 * (fp + wr) / max(1, len(inp)), 3),
    }


def repair_is_right(line: str, gold_line: str, start: int, end: int, replacement: str) -> bool:
    """Whether one repair, applied alone, moves ``line`` toward ``gold_line``
    by its whole edit cost (a half-right repair does not)."""
    before = Levenshtein.distance(line, gold_line)
    after = Levenshtein.distance(line[:start] + replacement + line[end:], gold_line)
    return before - after == Levenshtein.distance(line[start:end], replacement)
