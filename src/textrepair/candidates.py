"""Stage 3 – propose candidates: every place a glossary row could apply.

* word rows   – a token equal to the row's spun form;
* phrase rows – the spun string anywhere (wrong-split artefacts cross token
                boundaries, e.g. 和安全全 is tokenized 和/安全/全);
* spam rows   – the spam string anywhere;
* fuzzy       – see fuzzy.py.

Nothing is decided here; a candidate only says "this span could be that".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Pattern, Sequence

from .glossary import Glossary, GlossaryRow
from .tokenizer import Token

LINE_BREAKS = "\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"


@dataclass
class Candidate:
    start: int
    end: int
    original: str               # text of the span in the normalized view
    replacement: str            # canonical text (empty: remove)
    rows: Sequence[GlossaryRow]  # the rows behind it (several profiles may agree)
    kind: str                   # word | phrase | spam | fuzzy
    token_index: Optional[int] = None
    confidence: float = 0.0
    reason: str = ""

    @property
    def weight(self) -> float:
        return max(r.weight for r in self.rows) if self.rows else 0.0


def _alternation(strings) -> Optional[Pattern[str]]:
    strings = sorted(set(strings), key=lambda s: (-len(s), s))
    if not strings:
        return None
    return re.compile("|".join(re.escape(s) for s in strings))


class CandidateIndex:
    """The glossary indexed for proposing; built once per Repairer."""

    def __init__(self, glossary: Glossary):
        self.word_rows: Dict[str, Dict[str, List[GlossaryRow]]] = {}
        phrase: Dict[str, Dict[str, List[GlossaryRow]]] = {}
        spam: Dict[str, List[GlossaryRow]] = {}
        for row in glossary.rows:
            if row.kind == "word":
                self.word_rows.setdefault(row.spun, {}).setdefault(row.canonical, []).append(row)
            elif row.kind == "phrase":
                phrase.setdefault(row.spun, {}).setdefault(row.canonical, []).append(row)
            else:
                spam.setdefault(row.spun, []).append(row)
        self.phrase_rows = phrase
        self.spam_rows = spam
        # A span never crosses a line: line structure is kept exactly.
        self._phrase_re = _alternation(s for s in phrase if not any(c in LINE_BREAKS for c in s))
        self._spam_re = _alternation(s for s in spam if not any(c in LINE_BREAKS for c in s))

    def propose(self, text: str, tokens: Sequence[Token]) -> List[Candidate]:
        out: List[Candidate] = []
        for i, tok in enumerate(tokens):
            by_canonical = self.word_rows.get(tok.text)
            if by_canonical:
                for canonical, rows in by_canonical.items():
                    out.append(Candidate(tok.start, tok.end, tok.text, canonical, rows, "word", i))
        if self._phrase_re is not None:
            for m in self._find_all(self._phrase_re, text):
                for canonical, rows in self.phrase_rows[m[2]].items():
                    out.append(Candidate(m[0], m[1], m[2], canonical, rows, "phrase"))
        if self._spam_re is not None:
            for m in self._find_all(self._spam_re, text):
                out.append(Candidate(m[0], m[1], m[2], "", self.spam_rows[m[2]], "spam"))
        return out

    @staticmethod
    def _find_all(pattern: Pattern[str], text: str):
        """Matches at every start position (overlapping), longest first at each."""
        pos = 0
        n = len(text)
        while pos < n:
            m = pattern.search(text, pos)
            if not m:
                break
            yield (m.start(), m.end(), m.group(0))
            pos = m.start() + 1
