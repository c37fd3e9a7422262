"""Stage 3 – propose candidates: every place a glossary row could apply.

* word rows   – a token equal to the row's spun form;
* phrase rows – the spun string anywhere (wrong-split artefacts cross token
                boundaries, e.g. 和安全全 is tokenized 和/安全/全);
* spam rows   – the spam string anywhere;
* split       – a word row's spun form that straddles token boundaries,
                left by the spinner's own wrong split (农产品 → 农|产品 →
                农产物; 在 → 正在 inside 端正在).  Proposed only when putting
                the canonical back makes the neighbourhood read better as
                dictionary words (``gain``, in log-probability).

Nothing is decided here; a candidate only says "this span could be that".
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Pattern, Sequence, Tuple

from .glossary import ANY_PROFILE, Glossary, GlossaryRow
from .tokenizer import Token, _speedups

LINE_BREAKS = "\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    original: str               # text of the span in the normalized view
    replacement: str            # canonical text (empty: remove)
    rows: Sequence[GlossaryRow]  # the rows behind it (several profiles may agree)
    kind: str                   # word | phrase | spam | split
    token_index: Optional[int] = None
    gain: float = 0.0           # split: segmentation log-probability gain
    confidence: float = 0.0      # P(this repair is right)
    reason: str = ""
    # P(the span is spun at all); for a token with several canonical readings
    # it is the sum over them, and the threshold applies to it: a surely spun
    # token is repaired with its likeliest reading even when no single
    # reading is sure (a coin-flip reading still beats a half-repaired clause).
    spun_probability: Optional[float] = None
    why: tuple = ()   # the evidence behind ``confidence``, for scoring.describe
    # the token's likeliest reading is not clearly (scoring.CHOICE_ODDS) ahead of the next
    unsure_choice: bool = False

    @property
    def decision_score(self) -> float:
        return self.confidence if self.spun_probability is None else self.spun_probability

    @property
    def weight(self) -> float:
        return max(r.weight for r in self.rows) if self.rows else 0.0


class Matcher:
    """Finds a set of strings in text: at every position, the longest of them
    that starts there (overlapping matches).  A regex alternation of them,
    longest first, is the reference; where textrepair._route is built, a C
    table of the strings and their prefixes does the scan."""

    def __init__(self, strings: Iterable[str]):
        strings = sorted(set(strings), key=lambda s: (-len(s), s))
        self.pattern: Pattern[str] = re.compile("|".join(re.escape(s) for s in strings))
        self._table = None
        if _speedups is not None:
            keys = dict.fromkeys((s[:k] for s in strings for k in range(1, len(s))), 0)
            keys.update(dict.fromkeys(strings, 1))
            self._table = _speedups.Table(keys)

    def find_all(self, text: str, lo: int = 0, hi: Optional[int] = None) -> List[Tuple[int, int, str]]:
        """(start, end, string) of the matches starting in text[lo:hi] (they
        may end past hi), by start."""
        if self._table is None or _speedups is None:
            return self.find_all_py(text, lo, hi)
        return [(a, b, text[a:b]) for a, b in
                _speedups.longest_at_each(text, lo, len(text) if hi is None else hi, self._table)]

    def find_all_py(self, text: str, lo: int = 0, hi: Optional[int] = None) -> List[Tuple[int, int, str]]:
        """``find_all`` by the regex."""
        out = []
        pos = lo
        n = len(text) if hi is None else hi
        while pos < n:
            m = self.pattern.search(text, pos)
            if not m or m.start() >= n:
                break
            out.append((m.start(), m.end(), m.group(0)))
            pos = m.start() + 1
        return out


def _alternation(strings) -> Optional[Matcher]:
    strings = set(strings)
    return Matcher(strings) if strings else None


def token_bounds(tokens: Sequence[Token], starts: Optional[List[int]] = None):
    """The tokens' start offsets (``starts`` when the caller has them), and
    the set of all their start and end offsets."""
    if starts is None:
        starts = [t.start for t in tokens]
    return starts, set(starts) | {t.end for t in tokens}


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
        # spun forms of two or more characters, matched at every offset for
        # "split" candidates: all of them, and those of each profile (a page
        # is given split candidates of its own word map only; a profile
        # without rows, such as the thesaurus, only those of rows marked "any")
        self._split_re = _alternation(s for s in self.word_rows if len(s) >= 2)
        self._split_re_of = {profile: self._split_pattern((profile, ANY_PROFILE)) for profile in glossary.profiles}
        self._split_re_any = self._split_pattern((ANY_PROFILE,))
        self.spam_rows = spam
        # A span never crosses a line: line structure is kept exactly.
        self._phrase_re = _alternation(s for s in phrase if not any(c in LINE_BREAKS for c in s))
        self._spam_re = _alternation(s for s in spam if not any(c in LINE_BREAKS for c in s))

    def propose(self, text: str, tokens: Sequence[Token]) -> List[Candidate]:
        """Word, phrase and spam candidates (split ones: ``propose_split``)."""
        out: List[Candidate] = []
        for i, tok in enumerate(tokens):
            by_canonical = self.word_rows.get(tok.text)
            if by_canonical:
                for canonical, rows in by_canonical.items():
                    out.append(Candidate(tok.start, tok.end, tok.text, canonical, rows, "word", i))
        if self._phrase_re is not None:
            for m in self._phrase_re.find_all(text):
                for canonical, rows in self.phrase_rows[m[2]].items():
                    out.append(Candidate(m[0], m[1], m[2], canonical, rows, "phrase"))
        if self._spam_re is not None:
            for m in self._spam_re.find_all(text):
                out.append(Candidate(m[0], m[1], m[2], "", self.spam_rows[m[2]], "spam"))
        return out

    def propose_split(self, text: str, tokens: Sequence[Token], tokenizer, lo: int = 0,
                      hi: Optional[int] = None, bounds=None, profile: Optional[str] = None) -> List[Candidate]:
        """Split candidates starting in text[lo:hi]: dearer (a segmentation per
        occurrence), so the pipeline asks for them only on lines that may be spun.
        ``bounds`` is ``token_bounds(tokens)``, for a caller asking line by line.
        With ``profile``, only rows of that profile (or of every profile) are
        proposed: scoring gives another word map's rows no weight."""
        if profile is None:
            split_re, keep = self._split_re, None
        else:
            split_re, keep = self._split_re_of.get(profile, self._split_re_any), (profile, ANY_PROFILE)
        if split_re is None:
            return []
        return self._propose_split(split_re, text, tokens, tokenizer, lo, len(text) if hi is None else hi,
                                   bounds or token_bounds(tokens), keep)

    def _propose_split(self, split_re: Matcher, text: str, tokens: Sequence[Token], tokenizer, lo0: int,
                       hi0: int, bounds, keep=None) -> List[Candidate]:
        starts, bounds = bounds
        out = []
        for a, b, spun in split_re.find_all(text, lo0, hi0):
            if a in bounds and b in bounds:
                continue  # token-aligned: an ordinary word candidate
            # the tokens the occurrence cuts, plus one on each side
            i = max(0, bisect.bisect_right(starts, a) - 2)
            j = min(len(tokens), bisect.bisect_left(starts, b) + 1)
            lo, hi = tokens[i].start, tokens[j - 1].end
            # ... but never beyond the occurrence's own line
            lo = max(lo, max(text.rfind(c, lo, a) for c in "\r\n") + 1)
            ends = [k for k in (text.find(c, b, hi) for c in "\r\n") if k >= 0]
            hi = min([hi] + ends)
            window = text[lo:hi]
            if any(c in LINE_BREAKS for c in window):
                continue
            before = tokenizer.segment_logprob(window)
            for canonical, rows in self.word_rows[spun].items():
                if keep is not None and not any(r.profile in keep for r in rows):
                    continue
                gain = tokenizer.segment_logprob(text[lo:a] + canonical + text[b:hi]) - before
                if gain > 0:
                    out.append(Candidate(a, b, spun, canonical, rows, "split", gain=gain))
        return out

    def _split_pattern(self, profiles) -> Optional[Matcher]:
        return _alternation(spun for spun, by_canonical in self.word_rows.items() if len(spun) >= 2
                            and any(r.profile in profiles for rows in by_canonical.values() for r in rows))

