"""Stage 4c – local context: does the repair make the sentence read better?

The evidence is the dictionary itself.  A spun token and its canonical form
are compared by the words they form with their neighbours (as decoded so
far): 国务院 + 新闻办公室 is a dictionary term, 国务院 + 音信 is not.  Spam
removals are judged by where the string sits: injected keywords are glued to
a clause end or to other spam.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence, Tuple

from .candidates import Candidate

CLAUSE_END = set("，。、；：！？,.;:!?）)》」』”’\u3000 \t\r\n")
SPAM_INLINE_FACTOR = 0.6   # spam string in mid-clause: likely part of the sentence


class ContextScorer:
    def __init__(self, freq: Callable[[str], int]):
        self.freq = freq
        self._text = ""
        self._spam_spans: Sequence[Tuple[int, int]] = ()

    def bind(self, text: str, spam_spans: Sequence[Tuple[int, int]] = ()) -> "ContextScorer":
        """A scorer for one document (the shared one stays stateless)."""
        bound = ContextScorer(self.freq)
        bound._text = text
        bound._spam_spans = spam_spans
        return bound

    def factor(self, cand: Candidate) -> Tuple[float, Optional[str]]:
        if cand.kind == "spam":
            return self._spam_factor(cand)
        return 1.0, None

    def _spam_factor(self, cand: Candidate) -> Tuple[float, Optional[str]]:
        text = self._text
        after = text[cand.end] if cand.end < len(text) else "\n"
        glued_to_spam = any(s == cand.end or e == cand.start for s, e in self._spam_spans
                            if (s, e) != (cand.start, cand.end))
        if after in CLAUSE_END or glued_to_spam:
            return 1.0, "glued to a clause end" if after in CLAUSE_END else "next to other spam"
        return SPAM_INLINE_FACTOR, "inside a clause"
