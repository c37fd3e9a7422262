"""Injected spam beyond the curated list: URL and contact patterns, and
keywords a page repeats at its clause ends.

(The Latin-in-Han shape alone, as in 米乐m6, also fits product names such as
华为P60, so the pipeline trusts it only on a page with spin or other spam.)

Spam sites glue the same keyword (开云体育官网, 米乐m6) to the end of clause
after clause, and stuff links and contact numbers in.  A keyword is taken as
injected only when it looks like a site name (it ends in 官网, 登录入口, 平台,
… or mixes Latin letters into Han text) *and* the page repeats it at clause
ends almost everywhere it occurs; a brand a news story talks about sits
inside its sentences and is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import AbstractSet, Dict, Iterable, List, Pattern, Tuple

from .glossary import GlossaryError, data_path, data_rows

PATTERN_HEADER = ("pattern", "weight", "note")

# what a site name ends in, or a Latin/digit part glued to Han (米乐m6, PG电子)
# (平台, 体育, 电子 alone are too common in real text: 交流平台 is not spam)
SITE_SUFFIX = re.compile(r"(官网|官方网站|官方网址|网址|登录入口|登陆入口|注册入口|网页版|app下载|APP下载)$")
LATIN_IN_HAN = re.compile(r"[\u4e00-\u9fff].*[A-Za-z]|[A-Za-z].*[\u4e00-\u9fff]")
CLAUSE_END = "，。、；：！？,.;:!?）)》」』”’\r\n"
MIN_REPEATS = 2          # a keyword injected once is not told from a mention
MIN_END_SHARE = 0.75     # of its occurrences, the share glued to clause ends
MAX_KEYWORD = 10
# the last MAX_KEYWORD (or fewer) keyword characters before each clause end
_TAIL_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,%d}(?=[%s]|\Z)" % (MAX_KEYWORD, re.escape(CLAUSE_END)))
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class SpamPattern:
    regex: Pattern[str]
    weight: float
    note: str


def read_patterns(path) -> List[SpamPattern]:
    """TSV ``pattern<TAB>weight<TAB>note`` (a Python regular expression);
    errors name file:line."""
    out: List[SpamPattern] = []
    for p, lineno, fields in data_rows(path, PATTERN_HEADER):
        try:
            regex = re.compile(fields[0])
        except re.error as exc:
            raise GlossaryError(f"{p}:{lineno}: bad regular expression: {exc}") from None
        if regex.search(""):
            raise GlossaryError(f"{p}:{lineno}: pattern matches the empty string")
        try:
            weight = float(fields[1])
        except ValueError:
            raise GlossaryError(f"{p}:{lineno}: weight {fields[1]!r} is not a number") from None
        if not 0.0 <= weight <= 1.0:
            raise GlossaryError(f"{p}:{lineno}: weight {fields[1]} is outside [0, 1]")
        out.append(SpamPattern(regex, weight, fields[2]))
    return out


def builtin_patterns() -> List[SpamPattern]:
    return read_patterns(data_path("spam_patterns.tsv"))


def find_patterns(text: str, patterns: Iterable[SpamPattern]) -> List[Tuple[int, int, SpamPattern]]:
    out = []
    for pat in patterns:
        for m in pat.regex.finditer(text):
            if m.end() > m.start() and not any(c in "\r\n" for c in m.group(0)):
                out.append((m.start(), m.end(), pat))
    return out


def detect_keywords(text: str, known: AbstractSet[str] = frozenset()) -> Dict[str, int]:
    """Site-like keywords the text repeats at clause ends: keyword -> repeats."""
    ends: Dict[str, int] = {}
    for m in _TAIL_RUN.finditer(text):
        run, i = m.group(0), m.end()
        # Only a run with a Latin letter, or ending in a site suffix, has a
        # tail that can pass the tests below (the suffix test looks at the
        # end, which all tails share): the others are not counted at all.
        if not (_LATIN.search(run) or SITE_SUFFIX.search(run)):
            continue
        for length in range(2, len(run) + 1):
            s = text[i - length:i]
            ends[s] = ends.get(s, 0) + 1
    found: Dict[str, int] = {}
    for s, k in ends.items():
        if k < MIN_REPEATS or s in known:
            continue
        if not (SITE_SUFFIX.search(s) or LATIN_IN_HAN.search(s)):
            continue
        if len(re.findall(r"[\u4e00-\u9fff]", s)) < 2:
            continue
        if k / text.count(s) < MIN_END_SHARE:
            continue
        found[s] = k
    # keep the longest: 开云体育官网, not also 体育官网 inside it
    return {s: k for s, k in found.items()
            if not any(t != s and t.endswith(s) and found[t] == k for t in found)}
