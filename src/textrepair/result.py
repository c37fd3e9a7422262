"""The objects the library returns."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True, slots=True)  # slots: a large spun text has hundreds of thousands
class Repair:
    start: int          # offset into the input text (code points)
    end: int
    original: str       # input[start:end]
    replacement: str
    confidence: float
    reason: str
    # word | phrase | split | term | thesaurus | spam | script | mojibake | annotation | emoji |
    # zero-width; a clean-up merged with a word repair names both (word+zero-width)
    kind: str = "word"

    def as_dict(self) -> Dict:
        return asdict(self)


@dataclass
class Result:
    text: str
    repairs: List[Repair] = field(default_factory=list)
    spin_score: float = 0.0
    profile: Optional[str] = None   # the spinner's word map; None when no part of the text is spun
    paragraph_scores: List[Tuple[int, int, float]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.repairs)
