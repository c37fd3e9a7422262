"""Stage 4c – local context: does the repair make the sentence read better?

Two kinds of evidence, both looked up around the candidate in the text as
decoded so far (a first pass repairs the neighbours, so 坐褥效率 is judged
as 生产效率):

* collocations – ``data/collocations.tsv`` lists common, correct phrases
  and the word each vouches for (生产效率 vouches for 效率, 发展成果 for 成果).
  A phrase that fits with the spun word kept says "genuine word, leave it";
  one that fits with the canonical says "repair".  When both or neither fit,
  context is silent.
* spam position – injected keywords are glued to a clause end or to other
  spam; in mid-clause a spam string is more likely part of the sentence.
"""
from __future__ import annotations

import bisect
import os
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .candidates import Candidate
from .glossary import GlossaryError, data_path

CLAUSE_END = set("，。、；：！？,.;:!?）)》」』”’\u3000 \t\r\n")
SPAM_INLINE_FACTOR = 0.6   # spam string in mid-clause: likely part of the sentence
KEEP_FACTOR = 0.15         # a collocation vouches for the word as written
REPAIR_FACTOR = 1.5        # a collocation vouches for the canonical word
WINDOW = 6                 # characters of decoded context on each side

COLLOCATION_HEADER = ("phrase", "word")


class CollocationLexicon:
    """Phrases indexed by the word they vouch for."""

    def __init__(self, rows: Iterable[Tuple[str, str]] = ()):
        by_word: Dict[str, List[Tuple[str, str]]] = {}
        for phrase, word in rows:
            at = phrase.find(word)
            while at >= 0:
                by_word.setdefault(word, []).append((phrase[:at], phrase[at + len(word):]))
                at = phrase.find(word, at + 1)
        self.by_word = {w: tuple(sorted(set(v))) for w, v in by_word.items()}

    @classmethod
    def read(cls, path) -> "CollocationLexicon":
        p = os.fspath(path)
        rows = []
        with open(p, encoding="utf-8") as fh:
            header = False
            for lineno, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split("\t")
                if not header:
                    if tuple(fields[:2]) != COLLOCATION_HEADER:
                        raise GlossaryError(f"{p}:{lineno}: expected the header row 'phrase\\tword'")
                    header = True
                    continue
                if len(fields) < 2 or not fields[0] or not fields[1]:
                    raise GlossaryError(f"{p}:{lineno}: expected 'phrase<TAB>word'")
                phrase, word = fields[0], fields[1]
                if word not in phrase or word == phrase:
                    raise GlossaryError(f"{p}:{lineno}: phrase {phrase!r} must contain {word!r} and more")
                rows.append((phrase, word))
        return cls(rows)

    @classmethod
    def builtin(cls) -> "CollocationLexicon":
        return cls.read(data_path("collocations.tsv"))

    def fits(self, left: str, word: str, right: str) -> Optional[str]:
        """A phrase for ``word`` that fits between ``left`` and ``right``, or None."""
        for before, after in self.by_word.get(word, ()):
            if left.endswith(before) and right.startswith(after):
                return before + word + after
        return None


class ContextScorer:
    def __init__(self, collocations: Optional[CollocationLexicon] = None):
        self.collocations = collocations or CollocationLexicon()
        self._text = ""
        self._spam_spans: Sequence[Tuple[int, int]] = ()
        self._decoded: Sequence[Candidate] = ()
        self._starts: List[int] = []

    def bind(self, text: str, spam_spans: Sequence[Tuple[int, int]] = (),
             decoded: Sequence[Candidate] = ()) -> "ContextScorer":
        """A scorer for one document (the shared one stays stateless).

        ``decoded`` are the repairs of a first pass, applied to the
        neighbours of a candidate before its collocations are looked up.
        """
        bound = ContextScorer(self.collocations)
        bound._text = text
        bound._spam_spans = spam_spans
        bound._decoded = sorted(decoded, key=lambda c: c.start)
        bound._starts = [c.start for c in bound._decoded]
        return bound

    def factor(self, cand: Candidate) -> Tuple[float, Optional[str]]:
        if cand.kind == "spam":
            return self._spam_factor(cand)
        if cand.kind != "word" or not self.collocations.by_word:
            return 1.0, None
        left = self._decoded_text(max(0, cand.start - WINDOW), cand.start)
        right = self._decoded_text(cand.end, min(len(self._text), cand.end + WINDOW))
        keep = self.collocations.fits(left, cand.original, right)
        repair = self.collocations.fits(left, cand.replacement, right)
        if keep and not repair:
            return KEEP_FACTOR, f"'{keep}' is a collocation of {cand.original}"
        if repair and not keep:
            return REPAIR_FACTOR, f"'{repair}' is a collocation"
        return 1.0, None

    def _decoded_text(self, start: int, end: int) -> str:
        """text[start:end] with first-pass repairs that lie inside it applied."""
        text = self._text
        i = bisect.bisect_left(self._starts, start)
        out, pos = [], start
        while i < len(self._decoded) and self._decoded[i].start < end:
            c = self._decoded[i]
            if c.end <= end:
                out.append(text[pos:c.start])
                out.append(c.replacement)
                pos = c.end
            i += 1
        out.append(text[pos:end])
        return "".join(out)

    def _spam_factor(self, cand: Candidate) -> Tuple[float, Optional[str]]:
        text = self._text
        after = text[cand.end] if cand.end < len(text) else "\n"
        glued_to_spam = any(s == cand.end or e == cand.start for s, e in self._spam_spans
                            if (s, e) != (cand.start, cand.end))
        if after in CLAUSE_END or glued_to_spam:
            return 1.0, "glued to a clause end" if after in CLAUSE_END else "next to other spam"
        return SPAM_INLINE_FACTOR, "inside a clause"
