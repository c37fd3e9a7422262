"""Fixed names hit by a single swap: 连合国 for 联合国, 中幼微企业 for 中小微企业.

A spinner that rewrites characters inside words also corrupts names and
terms it does not know are fixed.  The canonical-term lexicon holds the
organisations, places and other proper nouns of jieba's dictionary (tags
nt, ns, nz) plus ``data/terms.tsv`` (programmes, laws and policy terms).  A
window of text one character away from a term (Hamming distance 1, found
through an index of every term with each of its characters wildcarded) is
proposed as that term when:

* the window is not itself a word or a term (a real name is never turned
  into another: 美国银行 is not "repaired" to 中国银行);
* the swapped character pair is one the spinner is known to make, learned
  from the glossary's rows (联合→连合 gives 联→连, 中小→中幼 gives 小→幼).
"""
from __future__ import annotations

import collections
import re
from array import array
from typing import TYPE_CHECKING, Dict, Iterable, List, Literal, Optional, Pattern, Set, Tuple, Union


from .cache import cached, file_fingerprint
from .glossary import GlossaryError, data_path, data_rows
from .tokenizer import _speedups

if TYPE_CHECKING:  # the C module is optional: only its type is needed here
    from ._route import Table

MIN_TERM = 3
MAX_TERM = 10
MIN_FREQ = 20         # dictionary names rarer than this are left out
_HAN_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def read_terms(path) -> List[str]:
    """TSV ``term<TAB>kind<TAB>note``; errors name file:line."""
    out = []
    for p, lineno, fields in data_rows(path, ("term", "kind", "note"), optional_last=True):
        if not _HAN_ONLY.match(fields[0]) or not MIN_TERM <= len(fields[0]) <= MAX_TERM:
            raise GlossaryError(f"{p}:{lineno}: a term is {MIN_TERM} to {MAX_TERM} Chinese characters")
        out.append(fields[0])
    return out


def dictionary_names(dict_path: str) -> List[str]:
    """Organisation, place and other proper names of a jieba dictionary file."""
    names = []
    with open(dict_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] in ("nt", "ns", "nz") and int(parts[1]) >= MIN_FREQ \
                    and MIN_TERM <= len(parts[0]) <= MAX_TERM and _HAN_ONLY.match(parts[0]):
                names.append(parts[0])
    return names


def _guard_at(i: int, length: int) -> int:
    """The offset checked first in a window swapped at ``i``: a character of
    the term itself (of a one-character term, the swapped one)."""
    return (1 if i == 0 else 0) if length > 1 else 0


class TermLexicon:
    """Terms indexed by every one-character wildcard of them."""

    def __init__(self, terms: Iterable[str], char_pairs: Dict[Tuple[str, str], int]):
        self.terms: Set[str] = set(terms)
        index: Dict[str, List[str]] = collections.defaultdict(list)
        for t in self.terms:
            for i in range(len(t)):
                index[t[:i] + "\0" + t[i + 1:]].append(t)
        # (tuples and strings below, not lists and sets: the garbage
        # collector stops tracking them, and a full collection is then a
        # third cheaper; it runs about once per repair of a spun page)
        self.index = {key: tuple(found) for key, found in index.items()}
        self.char_pairs = char_pairs          # (spun char, canonical char) -> rows attesting it
        # ... and the profiles of those rows (``build``; empty: no profile known)
        self.pair_profiles: Dict[Tuple[str, str], Tuple[str, ...]] = {}
        # the terms' first characters, compiled on first use (False: no terms)
        self._first: Optional[Union[Pattern[str], Literal[False]]] = None
        # the terms and their prefixes as a C table (tokenizer._speedups)
        self._table: Optional[Table] = None
        # spun character -> (term length, offset) places where a character it
        # replaces occurs in some term: the only places a swap can be
        canonical_of: Dict[str, Set[str]] = collections.defaultdict(set)
        for a, b in char_pairs:
            canonical_of[b].add(a)
        slots: Dict[str, Set[Tuple[int, int]]] = collections.defaultdict(set)
        # ... and at each, the characters the term has at its guard position
        # (its first, or its second when the swap is the first): a window
        # without one of them is no term's
        guards: Dict[Tuple[str, int, int], Set[str]] = collections.defaultdict(set)
        for t in self.terms:
            for i, c in enumerate(t):
                for a in canonical_of.get(c, ()):
                    slots[a].add((len(t), i))
                    guards[a, len(t), i].add(t[_guard_at(i, len(t))] if len(t) > 1 else a)
        self.guarded_slots = {a: tuple((n, i, _guard_at(i, n), "".join(sorted(guards[a, n, i]))) for n, i in sorted(v))
                              for a, v in slots.items()}
        self._slot_chars = re.compile("[" + "".join(map(re.escape, sorted(slots))) + "]") if slots else None
        self.prefixes = frozenset(t[:k] for t in self.terms for k in range(1, len(t) + 1))
        # the same, as C tables, where textrepair._route is built
        self._swap_tables: Optional[tuple] = None
        self._found: List[Tuple[str, ...]] = list(self.index.values())
        if _speedups is not None:
            keys = dict.fromkeys(self.prefixes, 0)
            keys.update(dict.fromkeys(self.terms, 1))
            self._table = _speedups.Table(keys)
            self._swap_tables = _swap_tables(_speedups, self.guarded_slots, self.index)

    @classmethod
    def build(cls, glossary, dict_path: str) -> "TermLexicon":
        terms_path = data_path("terms.tsv")
        key = ("terms", file_fingerprint(terms_path), file_fingerprint(dict_path))
        terms = cached("terms", key, lambda: sorted(set(read_terms(terms_path)) | set(dictionary_names(dict_path))))
        by_profile = spinner_char_pair_profiles(glossary)
        lexicon = cls(terms, {pair: sum(p.values()) for pair, p in by_profile.items()})
        lexicon.pair_profiles = {pair: tuple(sorted(p)) for pair, p in by_profile.items()}
        return lexicon

    def find(self, text: str) -> List[Tuple[int, int]]:
        """Spans of the terms written out in ``text`` (longest first): at each
        position the longest term that starts there, scanning on after it,
        as a regex alternation of the terms, longest first, would find them.
        (The scan runs in C where textrepair._route is built; ``find_py`` is
        the reference.)"""
        if self._table is None or _speedups is None:
            return self.find_py(text)
        return _speedups.longest_matches(text, self._table)

    def find_py(self, text: str) -> List[Tuple[int, int]]:
        """``find`` in Python."""
        if self._first is None:
            firsts = sorted({t[0] for t in self.terms})
            self._first = re.compile("[" + "".join(map(re.escape, firsts)) + "]") if firsts else False
        if not self._first:
            return []
        terms, prefixes, first = self.terms, self.prefixes, self._first.search
        out = []
        pos, n = 0, len(text)
        while True:
            m = first(text, pos)
            if m is None:
                break
            pos = m.start()
            end, k = 0, pos + 1
            while k <= n and text[pos:k] in prefixes:
                if text[pos:k] in terms:
                    end = k
                k += 1
            if end:
                out.append((pos, end))
                pos = end
            else:
                pos += 1
        return out


def spinner_char_pairs(glossary) -> Dict[Tuple[str, str], int]:
    """Character swaps the spinner makes: rows whose spun and canonical forms
    differ in exactly one character."""
    return {pair: sum(by_profile.values()) for pair, by_profile in spinner_char_pair_profiles(glossary).items()}


def spinner_char_pair_profiles(glossary) -> Dict[Tuple[str, str], Dict[str, int]]:
    """``spinner_char_pairs`` per profile: which word maps make each swap,
    and in how many rows."""
    pairs: Dict[Tuple[str, str], Dict[str, int]] = {}
    for r in glossary.rows:
        if r.kind in ("word", "phrase") and len(r.spun) == len(r.canonical):
            diff = [(a, b) for a, b in zip(r.spun, r.canonical) if a != b]
            if len(diff) == 1:
                by_profile = pairs.setdefault(diff[0], {})
                by_profile[r.profile] = by_profile.get(r.profile, 0) + 1
    return pairs


def _swap_tables(speedups, guarded_slots, index) -> tuple:
    """``guarded_slots`` and ``index`` as _route.swap_windows reads them:
    (chars, ranges, slots, guards, index) (see there)."""
    chars: Dict[str, int] = {}
    guards: Dict[str, int] = {}
    ranges: List[int] = []
    flat: List[int] = []
    for a, slots in guarded_slots.items():
        chars[a] = len(ranges) // 2
        ranges += (len(flat) // 3, len(slots))
        for n, i, guard_at, guard in slots:
            flat += (n, i, guard_at)
            for g in guard:
                guards[a + chr(n) + chr(i) + g] = 1
    table = speedups.Table
    return (table(chars), array("I", ranges).tobytes(), array("I", flat).tobytes(), table(guards),
            table({key: k for k, key in enumerate(index)}))


def propose_terms(text: str, lexicon: "TermLexicon", freq, lo: int = 0,
                  hi: Optional[int] = None) -> List[Tuple[int, int, str, str, Tuple[str, str]]]:
    """(start, end, window, term, swapped pair) for windows one spinner swap
    away from a term.  Only a character the spinner writes can be the
    swapped one, and only at the (length, offset) places where a character
    it replaces occurs in some term, which keeps this cheap.  (The scan runs
    in C where textrepair._route is built; ``propose_terms_py`` is the
    reference.)"""
    if lexicon._swap_tables is None or _speedups is None:
        return propose_terms_py(text, lexicon, freq, lo, hi)
    terms, pairs, found = lexicon.terms, lexicon.char_pairs, lexicon._found
    out = []
    for start, end, i, k in _speedups.swap_windows(text, lo, len(text) if hi is None else hi,
                                                   *lexicon._swap_tables):
        window = text[start:end]
        if not _HAN_ONLY.match(window) or window in terms or freq(window):
            continue  # not Chinese, or a real word or name: never turned into another
        ch = window[i]
        for term in found[k]:
            pair = (ch, term[i])
            if pair in pairs:
                out.append((start, end, window, term, pair))
    return out


def propose_terms_py(text: str, lexicon: "TermLexicon", freq, lo: int = 0,
                     hi: Optional[int] = None) -> List[Tuple[int, int, str, str, Tuple[str, str]]]:
    """``propose_terms`` in Python."""
    if lexicon._slot_chars is None:
        return []
    slots = lexicon.guarded_slots
    index, terms, pairs = lexicon.index, lexicon.terms, lexicon.char_pairs
    out = []
    n = len(text)
    for m in lexicon._slot_chars.finditer(text, lo, n if hi is None else hi):
        k = m.start()
        ch = text[k]
        for length, i, guard_at, guard in slots[ch]:
            start = k - i
            if start < 0 or start + length > n or text[start + guard_at] not in guard:
                continue
            found = index.get(text[start:k] + "\0" + text[k + 1:start + length])
            if not found:
                continue
            window = text[start:start + length]
            if not _HAN_ONLY.match(window) or window in terms or freq(window):
                continue  # not Chinese, or a real word or name: never turned into another
            for term in found:
                pair = (ch, term[i])
                if pair in pairs:
                    out.append((start, start + length, window, term, pair))
    return out
