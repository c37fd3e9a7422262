"""Stage 2 – tokenize with jieba, made aware of the glossary.

Spun forms that are not in jieba's dictionary (厉重, 根源办法) are added so
that they come out as single tokens; words jieba already knows keep their
own frequency, so genuine compounds such as 民族团结 still win and their
inner word is never proposed for repair.  A private ``jieba.Tokenizer`` is
used so the caller's global jieba is left alone.
"""
from __future__ import annotations

import logging
import math
from math import log
from types import ModuleType
from typing import Iterable, List, NamedTuple, Optional, Tuple

import jieba

from . import compiled
from .cache import cached, file_fingerprint

jieba.setLogLevel(logging.WARNING)

# The route search in C (``_route.c``, see compiled.py), or None.
_speedups: Optional[ModuleType] = compiled.load("_route")

# jieba's own block and whitespace patterns (``Tokenizer.cut``), and the
# characters its no-HMM cut glues into runs (its ``re_eng``)
_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class Token(NamedTuple):
    start: int
    end: int
    text: str


class Tokenizer:
    def __init__(self, extra_words: Iterable[str] = ()):
        words = sorted(set(extra_words))
        self._jieba = jieba.Tokenizer()
        dictionary = self._jieba.get_dict_file()
        dictionary.close()
        self.dictionary_path = dictionary.name
        parts = ("tokenizer", jieba.__version__, file_fingerprint(dictionary.name), words)
        self._key = parts
        self._char_table = None
        build = lambda: self._build(words)  # noqa: E731
        self._fast = False
        if _speedups is not None:
            # jieba's dictionary as a C table (a fifth of the dict's memory,
            # and what the C route search reads), cached as such: a warm
            # start never loads the dict.  Values it cannot hold (not an int
            # in [0, 2**32)) leave the dict and the Python loops in place.
            speedups = _speedups  # (a local: mypy 1.5 does not narrow a global inside a lambda)
            try:
                freq, total, self._base_freq = cached(
                    "tokenizer-table", parts + ("table", speedups.TABLE_FORMAT),
                    lambda: (lambda f, t, b: (speedups.Table(f), t, b))(*cached("tokenizer", parts, build)))
                self._fast = True
            except (TypeError, OverflowError):
                pass
        if not self._fast:
            freq, total, self._base_freq = cached("tokenizer", parts, build)
        self._jieba.FREQ, self._jieba.total = freq, total
        self._jieba.initialized = True
        self.total = total

    def _build(self, words):
        self._jieba.initialize()
        # The frequencies of jieba's own dictionary, before our additions:
        # the document model compares spun and canonical forms by them.
        base_freq = {}
        for word in words:
            current = self._jieba.FREQ.get(word) or 0
            # just enough frequency to beat the word's own split (赶过 vs 赶/过);
            # longer dictionary words around it (民族团结) still win.
            needed = self._jieba.suggest_freq(word, False)
            if needed > current:
                base_freq[word] = current
                self._jieba.add_word(word, needed)
        return self._jieba.FREQ, self._jieba.total, base_freq

    @property
    def prefix_table(self):
        """jieba's table: every dictionary word and every prefix of one is a
        key (a dict, or the same as a read-only C table)."""
        return self._jieba.FREQ

    def freq(self, word: str) -> int:
        """Frequency of ``word`` in jieba's dictionary (0 when unknown)."""
        if word in self._base_freq:
            return self._base_freq[word]
        return self._jieba.FREQ.get(word) or 0

    def is_word(self, word: str) -> bool:
        return self.freq(word) > 0

    def tokenize(self, text: str) -> List[Token]:
        """The pieces of ``cut`` with their spans (made in C where
        textrepair._route is built; ``tokenize_py`` is the reference)."""
        if self._fast and _speedups is not None:  # (_fast implies the module)
            return _speedups.tokenize(text, self._jieba.FREQ, log(self._jieba.total), Token)
        return self.tokenize_py(text)

    def tokenize_py(self, text: str) -> List[Token]:
        """``tokenize`` in Python."""
        tokens: List[Token] = []
        append = tokens.append
        pos = 0
        for piece in self.cut_py(text):
            end = pos + len(piece)
            append(Token(pos, end, piece))
            pos = end
        return tokens

    @property
    def accelerated(self) -> bool:
        """Whether the route search runs in C (textrepair._route)."""
        return self._fast

    def cut(self, text: str) -> List[str]:
        """``list(jieba.Tokenizer.cut(text, HMM=False))``, piece for piece (the
        same blocks, the same best route, the same ties), without building
        jieba's DAG dictionaries and generators: a quarter of the time of a
        repair went there.  In C where textrepair._route is built."""
        if self._fast:
            return [t.text for t in self.tokenize(text)]
        return self.cut_py(text)

    def cut_py(self, text: str) -> List[str]:
        """``cut`` in Python: the reference of the C version."""
        out: List[str] = []
        for blk in _RE_HAN.split(text):
            if not blk:
                continue
            if _RE_HAN.match(blk):
                self._cut_block(blk, out)
            else:
                for x in _RE_SKIP.split(blk):
                    if _RE_SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def _route(self, sentence: str) -> Tuple[list, list]:
        """The score and the end of the best route from each position (in C
        where textrepair._route is built, else ``_route_py``)."""
        if self._fast and _speedups is not None:  # (_fast implies the module)
            return _speedups.route(sentence, self._jieba.FREQ, log(self._jieba.total))
        return self._route_py(sentence)

    def _route_py(self, sentence: str) -> Tuple[list, list]:
        """jieba's ``get_DAG`` and ``calc`` in one backward pass: the score and
        the end of the best route from each position.  The sums are the same
        floating-point operations in the same order, and ties go to the
        longer word, as jieba's max over (score, end) does."""
        freq = self._jieba.FREQ
        logtotal = log(self._jieba.total)
        n = len(sentence)
        score: list = [0] * (n + 1)
        ends = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best = None
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                f = freq[frag]
                if f:
                    s = log(f) - logtotal + score[i + 1]
                    if best is None or s >= best:
                        best, end = s, i
                i += 1
                frag = sentence[k:i + 1]
            if best is None:
                best, end = log(freq.get(sentence[k]) or 1) - logtotal + score[k + 1], k
            score[k] = best
            ends[k] = end
        return score, ends

    def _cut_block(self, sentence: str, out: List[str]) -> None:
        """jieba's ``__cut_DAG_NO_HMM`` on one block, appending to ``out``
        (the Python reference of the C ``tokenize``)."""
        ends = self._route_py(sentence)[1]
        x, n, buf = 0, len(sentence), ""
        while x < n:
            y = ends[x] + 1
            word = sentence[x:y]
            if y - x == 1 and word in _ASCII_ALNUM:
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)

    def char_logfreq(self, ch: str) -> float:
        """Log relative frequency of a character in jieba's dictionary text
        (each word counted by its frequency); rare mojibake characters such
        as 鍙 or 睍 score far below 发 or 展."""
        table = self._char_table
        if table is None:
            table = self._char_table = cached("chars", ("chars", self._key), self._build_char_table)
        counts, total = table
        return math.log((counts.get(ch, 0) + 0.5) / total)

    def _build_char_table(self):
        counts: dict = {}
        for word, f in self._jieba.FREQ.items():
            if f:
                for ch in word:
                    counts[ch] = counts.get(ch, 0) + f
        return counts, sum(counts.values())

    def segment_logprob(self, text: str) -> float:
        """Log-probability of the best segmentation of ``text`` under jieba's
        unigram word model: higher when the text reads as dictionary words."""
        if not text:
            return 0.0
        return self._route(text)[0][0]

    def tokenize_texts(self, text: str) -> List[str]:
        return [t.text for t in self.tokenize(text)]
