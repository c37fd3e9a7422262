"""Stage 1 – normalize: an analysis view of the input, one character per character.

Everything after this stage works on ``NormalizedText.text`` and reports
offsets that are valid in the input too, because the view never changes the
length: Traditional characters are mapped to Simplified one by one (OpenCC's
character table), so a Traditional copy of a spun page is matched against
the Simplified glossary, and replacements are mapped back to Traditional
when rendered.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import opencc

# Below this share of Traditional-only characters among Han characters a text
# is treated as Simplified: a Simplified page quoting a few Traditional
# characters must not be converted.
TRADITIONAL_SHARE = 0.1
SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _t2s() -> "opencc.OpenCC":
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> "opencc.OpenCC":
    return opencc.OpenCC("s2t")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _char_t2s(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str          # same length as original
    traditional: bool  # the input was written in Traditional characters
    mixed: bool = False  # Traditional and Simplified-only characters together: garbled

    def to_output_script(self, replacement: str) -> str:
        """Write a (Simplified) replacement in the script of the input."""
        if not self.traditional or self.mixed or not replacement:
            return replacement
        converted = _s2t().convert(replacement)
        return converted if len(converted) == len(replacement) else replacement


@lru_cache(maxsize=1)
def _t2s_changes():
    """What t2s can change: the set of the characters it maps to another,
    and the phrases it maps to another that hold none of them; or None when
    this OpenCC's tables cannot be read (then every text is converted)."""
    try:
        groups = _t2s()._dict_chain_data
        chars, phrases = set(), []
        for group in groups:
            for _longest, _shortest, table in group:
                for key, value in table.items():
                    value = value.split(" ")[0]  # OpenCC takes the first option
                    if value and value != key:
                        (chars.add(key) if len(key) == 1 else phrases.append(key))
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - another OpenCC
        return None
    # a set, not a regex class: a set test of a page's few thousand distinct
    # characters is several times faster than a scan with a 4,000-character regex class
    return frozenset(chars), tuple(p for p in phrases if not any(c in chars for c in p))


def _t2s_may_change(text: str) -> bool:
    """False when OpenCC's t2s surely leaves ``text`` as it is: no key it
    would replace by something else occurs in it (a Simplified text)."""
    changes = _t2s_changes()
    if changes is None:
        return True
    chars, phrases = changes
    return not chars.isdisjoint(text) or any(p in text for p in phrases)


def traditional_share(text: str) -> float:
    """Share of Han characters (in a sample) that OpenCC would change to Simplified."""
    han = [c for c in text[:SAMPLE_CHARS] if _is_han(c)]
    if not han:
        return 0.0
    sample = "".join(han)
    if not _t2s_may_change(sample):
        return 0.0  # what the conversion below would find, without running it
    converted = _t2s().convert(sample)
    if len(converted) != len(sample):
        changed = sum(1 for c in han if _char_t2s(c) != c)
    else:
        changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(han)


MIXED_SHARE = 0.05  # a garbled mix needs at least this share of Traditional characters


def normalize(text: str) -> NormalizedText:
    share = traditional_share(text)
    mixed = share >= MIXED_SHARE and mixed_script(text)
    if share < TRADITIONAL_SHARE and not mixed:
        return NormalizedText(text, text, False)
    converted = _t2s().convert(text)
    if len(converted) != len(text):  # a phrase rule changed the length: go char by char
        converted = "".join(_char_t2s(c) if _is_han(c) else c for c in text)
    return NormalizedText(text, converted, share >= TRADITIONAL_SHARE, mixed)


def mixed_script(text: str) -> bool:
    """Both Traditional-only and Simplified-only characters in one text: a
    sign of a Simplified page garbled into Traditional, character by
    character (a genuinely Traditional text has no Simplified-only ones)."""
    sample = [c for c in text[:SAMPLE_CHARS] if _is_han(c)]
    simplified_only = sum(1 for c in sample if _s2t().convert(c) != c and _char_t2s(c) == c)
    traditional = sum(1 for c in sample if _char_t2s(c) != c)
    return traditional >= 3 and simplified_only >= max(3, 0.05 * traditional)
