"""Stage 4c – local context: does the repair make the sentence read better?

Three kinds of evidence, looked up around the candidate in the text as
decoded so far (a first pass repairs the neighbours, so 坐褥效率 is judged
as 生产效率):

* word bigrams – ``data/bigrams.tsv``, counts of adjacent words in a clean
  news corpus.  How much better the canonical word goes with its neighbours
  than the spun word does, beyond their plain frequencies (the prior already
  holds those), is added to the log-odds of the repair;
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
import enum
import math
import os
from array import array
from types import ModuleType
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from . import compiled
from .cache import cached, file_fingerprint
from .candidates import Candidate
from .glossary import GlossaryError, data_path, data_rows
from .tokenizer import _speedups  # (_route: its tables hold the C model's lookups)

# The context pass in C (``_scoring.c``, see compiled.py), or None:
# ``ContextScorer.fit_evidences`` and ``scoring._word_readings`` below are the
# reference.
_c_scoring: Optional[ModuleType] = compiled.load("_scoring")

CLAUSE_END = set("，。、；：！？,.;:!?\u3000 \t\r\n")
OPENING = set("“‘「『《〈（([【\"'")  # a name in quotes or brackets is being talked about
# ... and so is a name introduced as a gambling site (赌博网站PG电子官方网站) or
# as a topic (关于开云体育官网).  Spam is glued after the last word of any
# clause, so plain 网站, 平台 or 应用, which end many clauses of a policy
# paper, introduce nothing: a brand glued after them is still spam.
NAMING = ("关于", "名为", "名叫", "叫做", "称为", "所谓", "赌博网站", "赌博平台", "博彩网站", "博彩平台",
          "诈骗网站", "诈骗平台", "非法网站", "非法平台")


def naming_word(text: str, start: int) -> Optional[str]:
    """The word of NAMING that ends at ``start``, if any."""
    return next((w for w in NAMING if start >= len(w) and text.startswith(w, start - len(w))), None)


def spam_position(text: str, start: int, end: int, spam_spans: Sequence[Tuple[int, int]] = ()) -> str:
    """Where a spam string sits: "glued" to a clause end (or a line end),
    "next to spam", "quoted" (named in quotes or brackets: a mention),
    "named" (after what it is or 关于: a mention too), or "inline" (inside
    a clause)."""
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    if before in OPENING:
        return "quoted"
    if any((s == end or e == start) and (s, e) != (start, end) for s, e in spam_spans):
        return "next to spam"
    if naming_word(text, start):
        return "named"
    if after in CLAUSE_END:
        return "glued"
    return "inline"
SPAM_INLINE_FACTOR = 0.6   # spam string in mid-clause: likely part of the sentence
SPAM_QUOTED_FACTOR = 0.1   # a name in quotes is what the sentence is about
COLLOCATION_BONUS = 3.5    # log score of a reading that forms a listed collocation
# A phrase that pins down more of the context is less likely to fit by chance:
# each character it matches beyond the usual two (积极|进展) adds this much
# (取得积极进展 fits the word as written in 获得主动进展 → 取得积极进展).
PHRASE_CHAR_BONUS = 1.0
USUAL_PHRASE_CONTEXT = 2
WINDOW = 6                 # characters of decoded context on each side
BIGRAM_WEIGHT = 0.5        # log-odds per nat of bigram association difference
BIGRAM_SMOOTHING = 500.0   # pseudo-count pulling P(b | a) toward P(b)
BIGRAM_CLIP = 4.0          # bigram evidence never decides alone
# the most the context can shift one reading against another, in log-odds:
# a collocation and the best bigram fit for it, the worst bigram fit against
COMPOUND_WEIGHT = 0.5      # log score per log unit of a compound's dictionary frequency
COMPOUND_SCALE = 50.0      # a compound this frequent in jieba's dictionary scores log 2
COMPOUND_CLIP = 5.0
COMPOUND_REACH = 3         # 国务院 + 新闻 + 办公室
TERM_FREQ = 1000           # a name of the term lexicon counts as this frequent a compound
NAME_BONUS = 6.0           # a word inside a fixed name written out in full is part of the name
# The context moves a reading against the word as written by at most
# MAX_FIT_GAIN in log-odds, so in clean text (spin ~1e-6) it can never repair.
READING_MAX = 5.0
KEEP_MIN = -3.0
MAX_FIT_GAIN = READING_MAX - KEEP_MIN

COLLOCATION_HEADER = ("phrase", "word")


class CollocationLexicon:
    """Phrases indexed by the words they vouch for.

    A phrase vouches for the word it is listed with and, when a tokenizer
    is given, for every other word it segments into (持续推进, listed for
    推进, is evidence for 持续 too) – but not for strings that merely occur
    inside it (大家庭 says nothing about 大家).
    """

    def __init__(self, rows: Iterable[Tuple[str, str]] = (), tokenize=None):
        self.rows = tuple(rows)
        by_word: Dict[str, List[Tuple[str, str]]] = {}

        def add(phrase: str, word: str, at: int) -> None:
            by_word.setdefault(word, []).append((phrase[:at], phrase[at + len(word):]))

        for phrase, word in self.rows:
            at = phrase.find(word)
            while at >= 0:
                add(phrase, word, at)
                at = phrase.find(word, at + 1)
            if tokenize is not None:
                pos = 0
                for tok in tokenize(phrase):
                    if tok != word and len(tok) < len(phrase):
                        add(phrase, tok, pos)
                    pos += len(tok)
        self.by_word = _index_by_neighbours(by_word)
        self.longest = max((len(p) for p, _ in self.rows), default=0)

    def with_tokenizer(self, tokenize, key=()) -> "CollocationLexicon":
        """The lexicon indexed by segmentation too (cached under ``key``,
        which must identify the tokenizer)."""
        index = cached("collocations", ("collocations by neighbours", self.rows, key),
                       lambda: CollocationLexicon(self.rows, tokenize).by_word)
        out = CollocationLexicon()
        out.rows, out.by_word, out.longest = self.rows, index, self.longest
        return out

    @classmethod
    def read(cls, path) -> "CollocationLexicon":
        rows = []
        for p, lineno, (phrase, word) in data_rows(path, COLLOCATION_HEADER):
            if not phrase or not word or word not in phrase or word == phrase:
                raise GlossaryError(f"{p}:{lineno}: phrase {phrase!r} must contain {word!r} and more")
            rows.append((phrase, word))
        return cls(rows)

    @classmethod
    def builtin(cls) -> "CollocationLexicon":
        return cls.read(data_path("collocations.tsv"))

    def fits(self, left: str, word: str, right: str) -> Optional[str]:
        """The longest phrase for ``word`` that fits between ``left`` and ``right``, or None."""
        return self.fits_each(left, (word,), right)[0]

    def fits_each(self, left: str, words: Sequence[str], right: str) -> List[Optional[str]]:
        """``fits`` of each of ``words`` between the same ``left`` and ``right``
        (a token's readings): of the phrases around the word that the
        context holds, the longest, and of equally long ones the one with
        less text before the word."""
        before_char, after_char = left[-1:], right[:1]
        out: List[Optional[str]] = []
        for word in words:
            entry = self.by_word.get(word)
            if not entry:
                out.append(None)
                continue
            with_before, after_only, alone = entry
            best = None
            listed = with_before.get(before_char) if before_char else None
            if listed:
                for before, after in listed:  # best first: the first the context holds
                    if left.endswith(before) and right.startswith(after):
                        best = before + word + after
                        break
            listed = after_only.get(after_char) if after_char else None
            if listed:
                for after in listed:
                    if right.startswith(after):
                        if best is None or len(word) + len(after) >= len(best):
                            best = word + after
                        break
                else:
                    if alone and best is None:
                        best = word
            elif alone and best is None:
                best = word
            out.append(best)
        return out


def _index_by_neighbours(by_word: Dict[str, List[Tuple[str, str]]]) -> Dict[str, tuple]:
    """word -> (with text before, with text after only, alone), from each
    word's (text before, text after) in the phrases that vouch for it.

    ``with text before`` maps the character just before the word to the
    (before, after) of the phrases that start before it, ``with text after
    only`` the character just after it to the ``after`` of those that start
    with the word; ``alone`` says the word is a phrase itself.  Each list is
    best first: longest, then (equally long) less text before the word.  A
    lookup is then a probe for the character on each side and a check of
    the few phrases listed there, instead of a probe per length of context.
    """
    index: Dict[str, tuple] = {}
    for word, pairs in by_word.items():
        with_before: Dict[str, list] = {}
        after_only: Dict[str, list] = {}
        alone = False
        for before, after in sorted(set(pairs), key=lambda p: (-len(p[0]) - len(p[1]), len(p[0]), p)):
            if before:
                with_before.setdefault(before[-1], []).append((before, after))
            elif after:
                after_only.setdefault(after[0], []).append(after)
            else:
                alone = True
        index[word] = ({c: tuple(v) for c, v in with_before.items()},
                       {c: tuple(v) for c, v in after_only.items()}, alone)
    return index


class BigramModel:
    """Word and word-pair counts of a clean corpus, for association scores."""

    def __init__(self, unigrams: Dict[str, int], bigrams: Dict[Tuple[str, str], int]):
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.total = max(1, sum(unigrams.values()))

    @classmethod
    def read(cls, path) -> "BigramModel":
        """TSV rows ``a<TAB>b<TAB>count``; ``b`` empty for a unigram count."""
        p = os.fspath(path)
        uni: Dict[str, int] = {}
        bi: Dict[Tuple[str, str], int] = {}
        words: Dict[str, str] = {}  # one string object per word: a third of the table's memory
        with open(p, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if line.startswith("#") or not line.strip():
                    continue
                fields = line.rstrip("\r\n").split("\t")
                if len(fields) != 3 or not fields[2].isdigit():
                    raise GlossaryError(f"{p}:{lineno}: expected 'word<TAB>next word<TAB>count'")
                a, b, n = words.setdefault(fields[0], fields[0]), words.setdefault(fields[1], fields[1]), \
                    int(fields[2])
                if b:
                    bi[(a, b)] = n
                else:
                    uni[a] = n
        return cls(uni, bi)

    @classmethod
    def builtin(cls) -> "BigramModel":
        path = data_path("bigrams.tsv")
        uni, bi = cached("bigrams", ("bigrams", "shared words", file_fingerprint(path)),
                         lambda: (lambda m: (m.unigrams, m.bigrams))(cls.read(path)))
        return cls(uni, bi)

    def association(self, a: str, b: str) -> float:
        """log P(b | a) - log P(b): how much more b follows a than chance."""
        na = self.unigrams.get(a, 0)
        if not na:
            return 0.0  # nothing known about a: no evidence either way
        pb = (self.unigrams.get(b, 0) + 0.5) / self.total
        nab = self.bigrams.get((a, b), 0)
        return math.log((nab + BIGRAM_SMOOTHING * pb) / (na + BIGRAM_SMOOTHING)) - math.log(pb)

    def fit(self, left: str, word: str, right: str) -> float:
        """association(left, word) + association(word, right); an empty
        neighbour (a line end) adds nothing."""
        return self.fit_each(left, (word,), right)[0]

    def fit_each(self, left: str, words: Sequence[str], right: str) -> List[float]:
        """``fit`` of each of ``words`` between the same two neighbours (a
        token's readings): the neighbours' counts are looked up once.  The
        arithmetic is ``association``'s, operation for operation."""
        unigrams, bigrams, total, log = self.unigrams, self.bigrams, self.total, math.log
        n_left = self.unigrams.get(left, 0) if left else 0
        if right:
            p_right = (unigrams.get(right, 0) + 0.5) / total
            log_p_right = log(p_right)
        out = []
        for word in words:
            n_word = unigrams.get(word, 0)
            before = after = 0.0
            if n_left:
                p_word = (n_word + 0.5) / total
                n_pair = bigrams.get((left, word), 0)
                before = log((n_pair + BIGRAM_SMOOTHING * p_word) / (n_left + BIGRAM_SMOOTHING)) - log(p_word)
            if right and n_word:
                n_pair = bigrams.get((word, right), 0)
                after = log((n_pair + BIGRAM_SMOOTHING * p_right) / (n_word + BIGRAM_SMOOTHING)) - log_p_right
            out.append(before + after)
        return out


def describe_fit(phrase: Optional[str], assoc: float) -> Optional[str]:
    notes = []
    if phrase:
        notes.append(f"'{phrase}' is a collocation")
    if assoc:
        notes.append(f"bigram fit {assoc:+.1f}")
    return "; ".join(notes) or None


class _Unindexed(enum.Enum):  # a sentinel a type checker can tell apart from an entry
    UNINDEXED = 0


_UNINDEXED = _Unindexed.UNINDEXED  # a word the compound index does not hold


def build_compound_index(words: Iterable[str], dictionary: Iterable[str], freq,
                         terms=frozenset()) -> Dict[str, Optional[tuple]]:
    """For each of ``words``, every compound ContextScorer._compound could
    find around it: a dictionary word or name (of ``dictionary`` with
    ``freq`` > 0, or of ``terms``) made of the word and up to COMPOUND_REACH
    characters on either side.

    word -> None when it has none, else (with head, without head):
    ``with head`` maps the character just before the word to
    (head, tail, compound, (length, frequency)) of the compounds that start
    before the word, ``without head`` the character just after it to
    (tail, compound, (length, frequency)) of those that start with it.
    Each list is best first as the search ranks them: longest, then most
    frequent (a name counting TERM_FREQ), then the shorter head.  So a
    lookup is the first listed compound that the context holds, instead of
    some fifteen probes of the dictionary.
    """
    targets = set(words)
    found: Dict[str, list] = {}
    names = set(terms)
    for compound in list(dictionary) + sorted(names.difference(dictionary)):
        f = freq(compound)
        if f < TERM_FREQ and compound in names:
            f = TERM_FREQ
        if not f:
            continue
        n = len(compound)
        for h in range(min(COMPOUND_REACH, n - 1) + 1):
            for t in range(min(COMPOUND_REACH, n - 1 - h) + 1):
                if h or t:
                    word = compound[h:n - t]
                    if word in targets:
                        found.setdefault(word, []).append((n, f, h, t, compound))
    index: Dict[str, Optional[tuple]] = dict.fromkeys(targets)
    for word, compounds in found.items():
        compounds.sort(key=lambda c: (-c[0], -c[1], c[2]))
        with_head: Dict[str, list] = {}
        without_head: Dict[str, list] = {}
        for n, f, h, t, compound in compounds:
            tail = compound[n - t:]
            if h:
                with_head.setdefault(compound[h - 1], []).append((compound[:h], tail, compound, (n, f)))
            else:
                without_head.setdefault(tail[0], []).append((tail, compound, (n, f)))
        index[word] = ({c: tuple(v) for c, v in with_head.items()},
                       {c: tuple(v) for c, v in without_head.items()})
    return index


# of c_table_parts' buffers, part of their cache key: their layout, the
# table's, and whether the C modules are there to build them at all
C_TABLES_FORMAT = (1, _speedups.TABLE_FORMAT if _speedups is not None else None, _c_scoring is not None)


class _Unrepresentable(Exception):
    """The model holds what the C tables cannot (see c_table_parts)."""


class _RecordTable:
    """Keys of code points, each pointing at a run of uint32 records, and the
    characters the records' strings are made of (_scoring.c reads them)."""

    def __init__(self) -> None:
        self.keys: Dict[str, int] = {}
        self.records: List[int] = []
        self.chars: List[int] = []

    def start(self, key: str, count: int) -> None:
        """``key`` points here, at ``count`` records to follow."""
        self.keys[key] = len(self.records)
        self.records.append(count)

    def text(self, s: str) -> Tuple[int, int]:
        """(offset, length) of ``s`` among the characters."""
        self.chars.extend(map(ord, s))
        return len(self.chars) - len(s), len(s)

    def packed(self) -> tuple:
        return _table_buffers(self.keys) + (array("I", self.records).tobytes(), array("I", self.chars).tobytes())


def _table_buffers(keys: Dict[str, int]) -> tuple:
    """(entries, slots, chars) of a _route.Table of ``keys``."""
    if _speedups is None:
        raise _Unrepresentable("no textrepair._route")
    return _speedups.Table(keys).__reduce__()[1][1:]


def _clean(word: str) -> str:
    """``word``, which must hold none of the tables' markers (U+0000 to U+0003)."""
    if any(c < "\x04" for c in word):
        raise _Unrepresentable(word)
    return word


def _collocation_table(by_word) -> tuple:
    """word \\1 c -> (before, after) of the phrases listed under c; word
    \\2 c -> the after of those that start with the word; word \\3: the word
    is a phrase itself (``_index_by_neighbours``, in the same order)."""
    t = _RecordTable()
    for word, (with_before, after_only, alone) in by_word.items():
        _clean(word)
        for c, pairs in with_before.items():
            t.start(word + "\x01" + c, len(pairs))
            for before, after in pairs:
                t.records.extend(t.text(before) + t.text(after))
        for c, afters in after_only.items():
            t.start(word + "\x02" + c, len(afters))
            for after in afters:
                t.records.extend(t.text(after))
        if alone:
            t.keys[word + "\x03"] = 1
    return t.packed()


def _compound_table(compound_index, freq) -> tuple:
    """word \\3 -> 1 for a word of the index (0: it has no compound); word \\1
    c -> (head, tail, compound, length, frequency) of the compounds listed
    under c; word \\2 c -> (tail, compound, length, frequency) (see
    build_compound_index); then the compounds and their dictionary
    frequencies."""
    t = _RecordTable()
    found: Dict[str, int] = {}  # compound -> its number, in order
    for word, entry in compound_index.items():
        t.keys[_clean(word) + "\x03"] = 0 if entry is None else 1
        if entry is None:
            continue
        with_head, without_head = entry
        for c, items in with_head.items():
            t.start(word + "\x01" + c, len(items))
            for head, tail, compound, (n, f) in items:
                t.records.extend(t.text(head) + t.text(tail) + (found.setdefault(compound, len(found)), n, f))
        for c, items in without_head.items():
            t.start(word + "\x02" + c, len(items))
            for tail, compound, (n, f) in items:
                t.records.extend(t.text(tail) + (found.setdefault(compound, len(found)), n, f))
    return t.packed() + (list(found), array("I", [freq(c) for c in found]).tobytes())


def _count_table(bigrams: "BigramModel") -> tuple:
    """word -> its count, a \\0 b -> the count of the pair."""
    keys = {_clean(word): n for word, n in bigrams.unigrams.items()}
    keys.update((_clean(a) + "\x00" + _clean(b), n) for (a, b), n in bigrams.bigrams.items())
    return _table_buffers(keys)


def c_table_parts(collocations: "CollocationLexicon", compound_index: Optional[Dict[str, Optional[tuple]]],
                  freq, bigrams: Optional["BigramModel"]) -> Optional[tuple]:
    """The context model's lookups as _scoring.Tables reads them (see
    _scoring.c): (collocations, compounds, counts, total), each part None or
    the buffers of a _route.Table of code points with its records, all
    picklable.  None where the C modules are not built, or where a table
    could not hold the model (a count of 2**32 or more, a word holding one
    of the tables' marker characters U+0000 to U+0003)."""
    if _c_scoring is None:
        return None
    try:
        return (_collocation_table(collocations.by_word) if collocations.by_word else None,
                _compound_table(compound_index or {}, freq) if freq is not None else None,
                _count_table(bigrams) if bigrams is not None else None,
                float(bigrams.total) if bigrams is not None else 1.0)
    except (_Unrepresentable, OverflowError, TypeError):  # (a count or an offset a table cannot hold)
        return None


class ContextScorer:
    def __init__(self, collocations: Optional[CollocationLexicon] = None,
                 bigrams: Optional[BigramModel] = None, freq=None, terms=frozenset(), prefix_tables=None,
                 compound_index: Optional[Dict[str, Optional[tuple]]] = None, c_tables=False):
        """``c_tables``: the model as _scoring.Tables (``c_table_parts``) when
        the caller has them (from a cache, or the scorer being bound); by
        default they are built here."""
        self.collocations = collocations or CollocationLexicon()
        self.bigrams = bigrams
        self.freq = freq  # dictionary frequency, for compounds (负担人 → 负责人)
        self.terms = terms  # fixed names: a word inside one (全球安全倡议) stays as it is
        # (words, names): tables holding every word and name and every prefix
        # of one, so a compound search stops where nothing can start
        self.prefix_tables = prefix_tables
        # the compounds around the words readings are made of, found ahead
        # (build_compound_index); other words are searched for in the tables
        self.compound_index = compound_index or {}
        self._names: Sequence[Tuple[int, int]] = ()
        self._tokens: Sequence = ()
        self._token_repl: Dict[int, str] = {}
        self._text = ""
        self._spam_spans: Sequence[Tuple[int, int]] = ()
        self._starts: List[int] = []
        self._ends: List[int] = []
        self._replacements: List[str] = []
        # the same scorer in C (bind makes it where textrepair._scoring is built)
        self.c_context = None
        if c_tables is False:
            parts = c_table_parts(self.collocations, self.compound_index, freq, bigrams)
            c_tables = _c_scoring.Tables(*parts) if parts is not None and _c_scoring is not None else None
        self.c_tables = c_tables

    def bind(self, text: str, spam_spans: Sequence[Tuple[int, int]] = (),
             decoded: Sequence[Candidate] = (), tokens: Sequence = (),
             names: Sequence[Tuple[int, int]] = ()) -> "ContextScorer":
        """A scorer for one document (the shared one stays stateless).

        ``decoded`` are the repairs of a first pass, applied to the
        neighbours of a candidate before its context is looked up.
        """
        bound = ContextScorer(self.collocations, self.bigrams, self.freq, self.terms, self.prefix_tables,
                              self.compound_index, self.c_tables)
        bound._text = text
        bound._names = sorted(names)
        bound._tokens = tokens
        bound._token_repl = {c.token_index: c.replacement for c in decoded
                             if c.token_index is not None}
        bound._spam_spans = spam_spans
        # the repairs' spans and texts as plain lists, for _decoded_text
        repairs = sorted(decoded, key=lambda c: c.start)
        bound._starts = [c.start for c in repairs]
        bound._ends = [c.end for c in repairs]
        bound._replacements = [c.replacement for c in repairs]
        if _c_scoring is not None and self.c_tables is not None:
            bound.c_context = _c_scoring.Context(
                _C_CONSTANTS, text, bound._starts, bound._ends, bound._replacements,
                tokens if isinstance(tokens, list) else list(tokens), bound._token_repl, bound._names,
                self.c_tables, self.freq, self._search_compound)  # (self: the shared scorer, no cycle)
        return bound

    def is_blind(self) -> bool:
        """No evidence at all (the first pass's scorer): every fit is (0.0, None, 0.0)."""
        return not self.collocations.by_word and self.freq is None and self.bigrams is None and not self._names

    def log_odds(self, cand: Candidate) -> Tuple[float, Optional[str]]:
        """Evidence of the context for a span candidate (spam, phrase, split),
        as a change to its log-odds."""
        if cand.kind == "spam":
            factor, note = self._spam_factor(cand)
            return math.log(factor), note
        if cand.kind == "split":
            # the split's gain already says the canonical segments better;
            # a collocation of the word as written (新进展) can still veto it
            keep, keep_note = self.fit(cand, cand.original)
            repair, note = self.fit(cand, cand.replacement)
            if keep_note and keep > repair:
                return repair - keep, f"as written: {keep_note}"
            return 0.0, note
        return 0.0, None

    def surroundings(self, cand: Candidate) -> Tuple[str, str, Optional[str], Optional[str]]:
        """The decoded text and words around a candidate, shared by all its readings."""
        left, right = self._window(cand) if self.collocations.by_word else ("", "")
        if self.bigrams is not None and cand.token_index is not None and self._tokens:
            return left, right, self._neighbour(cand.token_index, -1), self._neighbour(cand.token_index, 1)
        return left, right, None, None

    def fit(self, cand: Candidate, word: str, around=None) -> Tuple[float, Optional[str]]:
        """How well ``word`` reads in the place of ``cand`` (a log score; 0 = no
        evidence) and a note saying why.  ``around`` is ``surroundings(cand)``,
        computed once for all readings."""
        score, phrase, assoc = self.fit_evidence(cand, word, around)
        return score, describe_fit(phrase, assoc)

    def fit_evidence(self, cand: Candidate, word: str, around=None) -> Tuple[float, Optional[str], float]:
        """``fit`` without the note: (score, collocation or None, bigram fit)."""
        return self.fit_evidences(cand, (word,), around)[0]

    def fit_evidences(self, cand: Candidate, words: Sequence[str],
                      around=None) -> List[Tuple[float, Optional[str], float]]:
        """``fit_evidence`` of each of ``words`` in the place of ``cand`` (the
        word as written and its readings): what does not depend on the word
        (the context's pieces, the neighbours' counts, the name around the
        token) is looked up once."""
        if around is None and self.c_context is not None:
            return self.c_context.fit_evidences(cand.start, cand.end, cand.token_index, cand.original, words)
        left, right, left_w, right_w = around if around is not None else self.surroundings(cand)
        phrases = self.collocations.fits_each(left, words, right) if self.collocations.by_word else None
        compounds = self._compounds(left, words, right) if self.freq is not None else None
        # (surroundings gives both neighbours or neither, and only with a bigram model)
        bigram_fits = (self.bigrams.fit_each(left_w, words, right_w)
                       if left_w is not None and right_w is not None and self.bigrams is not None else None)
        name = None
        out: List[Tuple[float, Optional[str], float]] = []
        for k, word in enumerate(words):
            score = 0.0
            phrase = phrases[k] if phrases is not None else None
            if phrase:
                score += COLLOCATION_BONUS + PHRASE_CHAR_BONUS * max(0, len(phrase) - len(word) - USUAL_PHRASE_CONTEXT)
            if word == cand.original:
                name = name or self.inside_name(cand)
                if name:
                    out.append((score + NAME_BONUS, f"inside the name {name}", 0.0))
                    continue
            if compounds is not None:
                compound = compounds[k]
                if compound:
                    score += COMPOUND_WEIGHT * min(COMPOUND_CLIP, math.log1p(self.freq(compound) / COMPOUND_SCALE))
                    if len(compound) >= len(word) + 3:
                        # a long dictionary term (国务院新闻办公室) is as telling as a collocation
                        score += COLLOCATION_BONUS
                    phrase = phrase or compound
            assoc = 0.0
            if bigram_fits is not None:
                assoc = max(-BIGRAM_CLIP, min(BIGRAM_CLIP, bigram_fits[k]))
                if abs(assoc) >= 0.5:
                    score += BIGRAM_WEIGHT * assoc
                else:
                    assoc = 0.0
            out.append((score, phrase, assoc))
        return out

    def _compound(self, left: str, word: str, right: str) -> Optional[str]:
        """The longest (then most frequent) dictionary word made of ``word`` and
        up to COMPOUND_REACH characters on either side (负责 + 人 = 负责人;
        国务院 + 新闻 + 办公室), or None.  With ``prefix_tables``, a string
        that starts no word or name ends the search in its direction."""
        return self._compounds(left, (word,), right)[0]

    def _compounds(self, left: str, words: Sequence[str], right: str) -> List[Optional[str]]:
        """``_compound`` of each of ``words`` between the same ``left`` and ``right``.

        A word of the compound index has its few possible compounds listed,
        best first, under the character just before it and just after it:
        the first listed one the context holds is the answer (see
        build_compound_index).  Other words are searched for."""
        index = self.compound_index
        before, after = left[-1:], right[:1]
        out: List[Optional[str]] = []
        for word in words:
            entry = index.get(word, _UNINDEXED)
            if entry is _UNINDEXED:
                out.append(self._search_compound(left, word, right))
                continue
            best = None
            if entry is not None:
                with_head, without_head = entry
                listed = with_head.get(before) if before else None
                if listed:
                    for head, tail, compound, key in listed:
                        if left.endswith(head) and right.startswith(tail):
                            best, best_key = compound, key
                            break
                listed = without_head.get(after) if after else None
                if listed:
                    for tail, compound, key in listed:
                        if right.startswith(tail):
                            # on equal length and frequency the search finds
                            # the compound with the shorter head first
                            if best is None or key >= best_key:
                                best = compound
                            break
            out.append(best)
        return out

    def _search_compound(self, left: str, word: str, right: str) -> Optional[str]:
        """``_compound`` by looking every string of the word and its context
        up (a word the compound index does not hold)."""
        table, names = self.prefix_tables or (None, frozenset())  # (names are looked in only with a table)
        freq, terms = self.freq, self.terms
        n = len(left)
        tails = [right[:j] for j in range(1, min(COMPOUND_REACH, len(right)) + 1)]
        # the left contexts a compound may start with: with prefix tables,
        # only those that start a word or a name themselves (the tables hold
        # every prefix, so head + word can be in them only if head is)
        heads = [""]
        for i in range(1, min(COMPOUND_REACH, n) + 1):
            head = left[n - i:]
            if table is None or head in table or head in names:
                heads.append(head)
        best, best_key = None, (0, 0)
        for head in heads:
            start = head + word
            if table is not None and start not in table and start not in names:
                continue
            # the word alone is no compound, only where the tails start
            for w in ([start] if head else []) + [start + tail for tail in tails]:
                if table is not None and w not in table and w not in names:
                    break  # no longer string can be a word or a name either
                f = freq(w)
                if f < TERM_FREQ and w in terms:
                    f = TERM_FREQ
                if f and (len(w), f) > best_key:
                    best, best_key = w, (len(w), f)
        return best

    def inside_name(self, cand: Candidate) -> Optional[str]:
        """The fixed name (or near-name) written around the candidate, if any."""
        i = bisect.bisect_right(self._names, (cand.start, len(self._text) + 1)) - 1
        while i >= 0 and self._names[i][1] >= cand.end:
            s, e = self._names[i]
            if s <= cand.start and cand.end <= e and (s, e) != (cand.start, cand.end):
                return self._text[s:e]
            i -= 1
        return None

    def _window(self, cand: Candidate) -> Tuple[str, str]:
        """Decoded text on each side of the candidate, within its line."""
        text, starts = self._text, self._starts
        lo, hi = max(0, cand.start - WINDOW), min(len(text), cand.end + WINDOW)
        i = bisect.bisect_left(starts, lo)
        if i < len(starts) and starts[i] < hi:
            left = self._decoded_text(lo, cand.start)
            right = self._decoded_text(cand.end, hi)
        else:  # no first-pass repair starts in the window: the text as written
            left, right = text[lo:cand.start], text[cand.end:hi]
        if "\n" in left or "\r" in left:
            left = left[max(left.rfind("\n"), left.rfind("\r")) + 1:]
        if "\n" in right or "\r" in right:
            for sep in ("\r", "\n"):
                at = right.find(sep)
                if at >= 0:
                    right = right[:at]
        return left, right

    def _neighbour(self, i: int, step: int) -> str:
        """The neighbouring word (as decoded), skipping spaces but not line breaks."""
        tokens = self._tokens
        j = i + step
        while 0 <= j < len(tokens):
            text = tokens[j].text
            if not text.isspace():
                return self._token_repl.get(j, text)
            if "\n" in text or "\r" in text:
                return ""
            j += step
        return ""

    def _decoded_text(self, start: int, end: int) -> str:
        """text[start:end] with first-pass repairs that lie inside it applied."""
        text, starts, ends, replacements = self._text, self._starts, self._ends, self._replacements
        i = bisect.bisect_left(starts, start)
        out, pos = "", start
        while i < len(starts) and starts[i] < end:
            if ends[i] <= end:
                out += text[pos:starts[i]] + replacements[i]
                pos = ends[i]
            i += 1
        return out + text[pos:end]

    def _spam_factor(self, cand: Candidate) -> Tuple[float, Optional[str]]:
        where = spam_position(self._text, cand.start, cand.end, self._spam_spans)
        if where == "glued":
            return 1.0, "glued to a clause end"
        if where == "next to spam":
            return 1.0, "next to other spam"
        if where == "quoted":
            return SPAM_QUOTED_FACTOR, "named in quotes: a mention"
        if where == "named":
            return SPAM_QUOTED_FACTOR, f"named after {naming_word(self._text, cand.start)}: a mention"
        return SPAM_INLINE_FACTOR, "inside a clause"


# context's constants as _scoring.c reads them (its Constants struct, in order)
_C_CONSTANTS = (WINDOW, USUAL_PHRASE_CONTEXT, COLLOCATION_BONUS, PHRASE_CHAR_BONUS, COMPOUND_WEIGHT, COMPOUND_SCALE,
                COMPOUND_CLIP, NAME_BONUS, BIGRAM_WEIGHT, BIGRAM_CLIP, BIGRAM_SMOOTHING, READING_MAX, KEEP_MIN)
