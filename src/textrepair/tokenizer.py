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
from typing import Iterable, List, NamedTuple

import jieba

from .cache import cached, file_fingerprint

jieba.setLogLevel(logging.WARNING)


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
        freq, total, self._base_freq = cached("tokenizer", parts, lambda: self._build(words))
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
    def prefix_table(self) -> dict:
        """jieba's table: every dictionary word and every prefix of one is a key."""
        return self._jieba.FREQ

    def freq(self, word: str) -> int:
        """Frequency of ``word`` in jieba's dictionary (0 when unknown)."""
        if word in self._base_freq:
            return self._base_freq[word]
        return self._jieba.FREQ.get(word) or 0

    def is_word(self, word: str) -> bool:
        return self.freq(word) > 0

    def tokenize(self, text: str) -> List[Token]:
        tokens = []
        pos = 0
        for piece in self._jieba.cut(text, HMM=False):
            end = pos + len(piece)
            tokens.append(Token(pos, end, piece))
            pos = end
        return tokens

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
        route: dict = {}
        self._jieba.calc(text, self._jieba.get_DAG(text), route)
        return route[0][0]

    def tokenize_texts(self, text: str) -> List[str]:
        return [t.text for t in self.tokenize(text)]
