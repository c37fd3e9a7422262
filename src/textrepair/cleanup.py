"""Stage 0 – clean-up: web garbage that hides the words from the tokenizer.

Each fix is one small function that finds its spans and says why, in the
manner of ftfy; the pipeline applies them before tokenizing and maps every
later repair back to offsets in the input (``compose``).

* ``find_mojibake`` – UTF-8 text that was decoded as GBK (鍙戝睍 for 发展);
* ``find_pinyin_annotations`` – pinyin glued after characters, 網(wǎng)絡(luò);
* ``find_injected_emoji`` – emoji dropped between the clauses of formal
  text to dodge duplicate detection (chat-like text keeps its emoji);
* ``find_zero_width`` – invisible characters slipped inside words (饱\u200b吹)
  for the same reason.
"""
from __future__ import annotations

import itertools
import math
import re
import sys
from dataclasses import dataclass
from typing import Callable, Iterable, List, Sequence, Set

from .cache import cached
from .render import splice

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str
    confidence: float
    reason: str
    kind: str


apply_edits = splice  # the renderer's own splice, for the clean-up's edits


# -- mojibake ---------------------------------------------------------------
# A run of non-ASCII text on one line: re-decoded whole, or piece by piece.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\r\n]+")
MOJIBAKE_MARGIN = 2.0  # mean log character frequency must rise by this much


def find_mojibake(text: str, char_logfreq: Callable[[str], float]) -> List[Edit]:
    """Runs that read better as UTF-8 bytes wrongly decoded as GBK.

    A run is re-encoded to GB18030 and decoded as UTF-8, strictly: a run
    whose bytes do not round-trip (a byte was lost) is left alone.  The fix
    is kept only when the characters become far more common Chinese.
    """
    edits = []
    for m in _NON_ASCII_RUN.finditer(text):
        # the whole run, or else its pieces between genuine CJK punctuation
        pieces = [(m.start(), m.group(0))]
        if not _may_redecode(m.group(0)) or _redecode(m.group(0)) is None:
            pieces = [(m.start() + p.start(), p.group(0)) for p in _PIECE.finditer(m.group(0))]
        for start, run in pieces:
            fixed = _redecode(run) if _may_redecode(run) else None
            if fixed is None or fixed == run or len(run) < 2 or not _HAN_RE.search(run):
                continue
            before = _mean(char_logfreq(c) for c in run)
            after = _mean(char_logfreq(c) for c in fixed)
            if after - before >= MOJIBAKE_MARGIN:
                conf = min(0.99, 1.0 - math.exp(-(after - before)))
                edits.append(Edit(start, start + len(run), fixed, round(conf, 4),
                                  f"UTF-8 read as GBK: re-decoded (mean log character frequency "
                                  f"{before:.1f} -> {after:.1f})", "mojibake"))
    return edits


_PIECE = re.compile(r"[^，。、；：？！“”‘’《》（）【】…—·\u3000]+")


_NOT_IN_MOJIBAKE = None  # compiled on first use: see _may_redecode


def _may_redecode(run: str) -> bool:
    """False when ``_redecode(run)`` is sure to fail, found without encoding.

    UTF-8 read as GBK gives only characters of two GBK bytes whose bytes can
    stand in UTF-8: a lead (C2–F4) or continuation byte (80–BF) first, then
    another such byte, or an ASCII byte after a continuation byte (the end
    of a sequence).  A character of any other encoding (one of four bytes,
    or with a byte UTF-8 never uses) makes the run's bytes invalid UTF-8.
    Clean Chinese nearly always has one, and encoding was the dear part of
    scanning clean text."""
    global _NOT_IN_MOJIBAKE
    if _NOT_IN_MOJIBAKE is None:
        possible = cached("mojibake", ("GBK characters UTF-8 can yield", sys.version_info[:2]), _mojibake_chars)
        # (ASCII stays possible: it is valid UTF-8 between sequences)
        _NOT_IN_MOJIBAKE = re.compile("[^\x00-\x7f" + re.escape(possible) + "]")
    return _NOT_IN_MOJIBAKE.search(run) is None


def _mojibake_chars() -> str:
    """The characters of two GBK bytes that can stand in a UTF-8 byte stream (see _may_redecode)."""
    def utf8_byte(b: int) -> bool:
        return 0x80 <= b <= 0xBF or 0xC2 <= b <= 0xF4
    possible = set()
    for b1 in range(0x81, 0xFF):
        for b2 in range(0x40, 0xFF):
            try:
                ch = bytes((b1, b2)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and utf8_byte(b1) and (utf8_byte(b2) or (b2 < 0x80 and b1 <= 0xBF)):
                possible.add(ch)
    return "".join(sorted(possible))


def _redecode(run: str):
    """``run``'s GB18030 bytes read as UTF-8, or None when they are not UTF-8."""
    try:
        return run.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


# -- pinyin annotations ---------------------------------------------------------
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_ANNOTATION = re.compile(
    f"(?<=[{HAN}])[(（]([a-zü]*[{_TONED}][a-zü]*)[)）]")
# A text about pronunciation keeps its pinyin.
_LESSON = re.compile(r"拼音|读音|读作|讀作|念作|声调|聲調|注音|发音|發音|怎么读|怎麼讀")
MIN_ANNOTATIONS = 3


def find_pinyin_annotations(text: str) -> List[Edit]:
    """Toned pinyin in brackets right after a character, as spam pages add
    to dodge duplicate detection (網(wǎng)絡(luò)).  A text about pronunciation,
    or one with only a couple of annotations, is left alone."""
    found = list(_PINYIN_ANNOTATION.finditer(text))
    if len(found) < MIN_ANNOTATIONS or _LESSON.search(text):
        return []
    return [Edit(m.start(), m.end(), "", 0.97, f"inline pinyin annotation {m.group(0)}", "annotation")
            for m in found]


# -- zero-width characters ------------------------------------------------------
# Between two Han characters these do nothing a reader can see (no script
# joins Han, and Chinese breaks lines anywhere), so there they are only a
# way to make a copied page look different to a duplicate filter, and they
# hide the words from the tokenizer.  Elsewhere (emoji sequences, Indic or
# Arabic text) they are left alone.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RUN = re.compile(f"[{_ZERO_WIDTH}]+")


def find_zero_width(text: str) -> List[Edit]:
    """Zero-width characters between two Han characters."""
    return [Edit(m.start(), m.end(), "", 0.95, "zero-width characters inside Han text", "zero-width")
            for m in _ZERO_WIDTH_RUN.finditer(text)
            if m.start() > 0 and m.end() < len(text)
            and _HAN_RE.match(text, m.start() - 1) and _HAN_RE.match(text, m.end())]


# -- emoji ------------------------------------------------------------------
_EMOJI = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF"
          "\uFE0F\u200D\U000E0020-\U000E007F\u20E3")
_EMOJI_RUN = re.compile(f"[{_EMOJI}]+")
_CLAUSE_PUNCT = "，。；：、！？,.;:!?"
# chat-like text: particles and laughter that formal text does not use
_CHAT = re.compile(r"哈哈|嘿嘿|呵呵|嘻嘻|啦|呀|哇|吗[？?]|呢[？?]|吧[！!。]|[！!]{2,}|~")
FORMAL_LINE = 40  # Han characters a line needs before its emoji count as injected


def find_injected_emoji(text: str) -> List[Edit]:
    """Emoji between the clauses of formal prose.  An emoji is injected when
    it sits between Han text on both sides (or Han and clause punctuation) in
    a long line of a text with no chat markers; chat keeps its emoji."""
    if _CHAT.search(text):
        return []
    edits = []
    for line in re.finditer(r"[^\r\n]+", text):
        body = line.group(0)
        # (counted only up to FORMAL_LINE, and only on a line with emoji:
        # a list of every Han character of a 5 MB line took 120 MB)
        if not _EMOJI_RUN.search(body) or \
                sum(1 for _ in itertools.islice(_HAN_RE.finditer(body), FORMAL_LINE)) < FORMAL_LINE:
            continue
        for m in _EMOJI_RUN.finditer(body):
            # the nearest non-space character on each side (no copy of the
            # line's halves: a long line may carry thousands of emoji)
            i, j = m.start(), m.end()
            while i > 0 and body[i - 1].isspace():
                i -= 1
            while j < len(body) and body[j].isspace():
                j += 1
            if i == 0 or j == len(body):
                continue
            lc, rc = body[i - 1], body[j]
            if (_HAN_RE.match(lc) or lc in _CLAUSE_PUNCT) and (_HAN_RE.match(rc) or rc in _CLAUSE_PUNCT) \
                    and (_HAN_RE.match(lc) or _HAN_RE.match(rc)):
                # take the spaces that were put around it too
                edits.append(Edit(line.start() + i, line.start() + j, "", 0.9,
                                  f"emoji {m.group(0)} injected between clauses", "emoji"))
    return edits


# -- composing two rounds of edits ---------------------------------------------
def compose(first: Sequence[Edit], second: Sequence, text1: str) -> List[Edit]:
    """Edits on the original text equivalent to ``first`` followed by ``second``.

    ``first`` are edits on the original text; ``text1`` is what they made of
    it; ``second`` are edits on ``text1`` (any objects with start, end,
    replacement, confidence, reason and kind).  A second-round edit that
    overlaps a first-round one is merged with it into one edit.
    """
    first = sorted(first, key=lambda e: e.start)
    spans1 = []  # (start, end) of each first-round edit in text1
    shift = 0
    for e in first:
        s1 = e.start + shift
        spans1.append((s1, s1 + len(e.replacement)))
        shift += len(e.replacement) - (e.end - e.start)

    def to0(p: int, side: str) -> int:
        """Original offset of ``p`` in text1.  At a deletion (an empty span in
        text1) a start maps past the deleted text and an end before it; inside
        a first-round edit, to the edit's own start or end."""
        delta = 0
        for (s1, e1), e in zip(spans1, first):
            if s1 < p < e1:
                return e.start if side == "start" else e.end
            if e1 < p or (e1 == p and (s1 < e1 or side == "start")):
                delta += (e.end - e.start) - (e1 - s1)
            else:
                break
        return p + delta

    second = sorted(second, key=lambda r: r.start)
    # group second-round edits with the first-round edits they overlap
    # (a deletion, empty in text1, joins a group only strictly inside it)
    items = [(s1, e1, "f", e) for (s1, e1), e in zip(spans1, first)] + \
            [(r.start, r.end, "s", r) for r in second]
    items.sort(key=lambda x: (x[0], x[1]))
    groups: List[list] = []
    for s1, e1, who, obj in items:
        if groups and s1 < groups[-1][1] and not (s1 == e1 == groups[-1][0]):
            groups[-1][1] = max(groups[-1][1], e1)
            groups[-1][2].append((who, obj))
        else:
            groups.append([s1, e1, [(who, obj)]])
    merged_first: Set[int] = set()  # ids of first-round edits merged into a group
    out: List[Edit] = []
    for g1s, g1e, members in groups:
        fs = [o for w, o in members if w == "f"]
        ss = [o for w, o in members if w == "s"]
        if not ss:
            continue  # a first-round edit alone: kept below as it is
        merged_first.update(id(f) for f in fs)
        start0 = min([to0(g1s, "start")] + [f.start for f in fs])
        end0 = max([to0(g1e, "end")] + [f.end for f in fs])
        pieces, pos = [], g1s
        for r in ss:
            pieces.append(text1[pos:r.start])
            pieces.append(r.replacement)
            pos = r.end
        pieces.append(text1[pos:g1e])
        parts = fs + ss
        kinds = sorted({p.kind for p in parts})
        out.append(Edit(start0, end0, "".join(pieces), min(p.confidence for p in parts),
                        "; ".join(p.reason for p in parts), "+".join(kinds)))
    out.extend(f for f in first if id(f) not in merged_first)
    return sorted(out, key=lambda e: (e.start, e.end))
