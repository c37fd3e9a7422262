"""The pipeline: normalize → tokenize → propose → score → choose → render.

A text is processed in blocks of at most BLOCK_CHARS characters, cut at line
ends where possible: the document's evidence is summed over all blocks
first, then each block is repaired with it.  A short text is one block and is
analysed once; a 50 MB line is analysed twice, block by block, in bounded
memory.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import normalize as normalize_stage
from .candidates import Candidate, CandidateIndex
from .choose import choose
from .context import BigramModel, CollocationLexicon, ContextScorer
from .docmodel import PRIOR_LOG_ODDS, DocumentEvidence, SpinModel, sigmoid
from .glossary import Glossary, PathLike
from .render import apply_repairs
from .result import Repair, Result
from .scoring import best_possible, describe, score_candidates
from .tokenizer import Token, Tokenizer

DEFAULT_MIN_CONFIDENCE = 0.5
SPUN_THRESHOLD = 0.5   # spin_score at or above which a document is called spun
DOCUMENT_SHARE = 0.3   # how much of the document's evidence for spin a paragraph borrows
BLOCK_CHARS = 100_000  # text analysed at once; bounds memory on huge inputs

_PARAGRAPH = re.compile(r"[^\r\n]+")
_SENTENCE_END = re.compile(r"[。！？!?；;…]")


@dataclass
class _Block:
    start: int
    text: str
    tokens: List[Token]
    candidates: List[Candidate]
    # (start, end, votes) of each non-empty line in the block, offsets in the block
    lines: List[Tuple[int, int, Dict[str, float]]]


def blocks(text: str, size: Optional[int] = None) -> Iterator[Tuple[int, int]]:
    """Cut ``text`` into spans of at most ``size`` characters: at a line end if
    one is in the second half of the span, else after a sentence end, else
    at whitespace, else anywhere."""
    size = size or BLOCK_CHARS
    pos, n = 0, len(text)
    while n - pos > size:
        limit = pos + size
        cut = max(text.rfind("\n", pos + size // 2, limit) + 1, 0)
        if not cut:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, pos + size // 2, limit)]
            cut = ends[-1] if ends else 0
        if not cut:
            ws = max(text.rfind(" ", pos + size // 2, limit), text.rfind("\t", pos + size // 2, limit))
            cut = ws + 1 if ws > 0 else limit
        yield pos, cut
        pos = cut
    yield pos, n


class Repairer:
    """Loads the glossary and the tokenizer once; ``repair`` is then read-only,
    so one Repairer can serve many threads."""

    def __init__(self, glossaries: Optional[Iterable[PathLike]] = None, *, builtin: bool = True,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE, glossary: Optional[Glossary] = None):
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], not {min_confidence}")
        self.glossary = glossary if glossary is not None else Glossary.load(glossaries, builtin=builtin)
        self.min_confidence = min_confidence
        self.tokenizer = Tokenizer(r.spun for r in self.glossary.rows if r.kind == "word")
        self.index = CandidateIndex(self.glossary)
        self.model = SpinModel(self.glossary, self.tokenizer.freq)
        words = sorted({r.spun for r in self.glossary.rows if r.kind == "word"})
        collocations = CollocationLexicon.builtin().with_tokenizer(self.tokenizer.tokenize_texts, key=words)
        self.context = ContextScorer(collocations, BigramModel.builtin(), self.tokenizer.freq)
        self.first_context = ContextScorer()  # the first pass decides on priors alone

    # -- stages ----------------------------------------------------------------
    def _analyse(self, view: str, start: int, end: int) -> _Block:
        """Tokenize a block, propose its candidates and count its lines' votes."""
        text = view[start:end]
        tokens = self.tokenizer.tokenize(text)
        candidates = self.index.propose(text, tokens)
        spans = sorted((c for c in candidates if c.kind in ("phrase", "spam")), key=lambda c: c.start)
        lines = []
        ti = ci = 0
        for m in _PARAGRAPH.finditer(text):
            if not m.group(0).strip():
                continue
            ls, le = m.span()
            words, phrases, spam = [], [], []
            while ti < len(tokens) and tokens[ti].start < le:
                if tokens[ti].start >= ls:
                    words.append(tokens[ti].text)
                ti += 1
            while ci < len(spans) and spans[ci].start < le:
                if spans[ci].start >= ls:
                    (spam if spans[ci].kind == "spam" else phrases).append(spans[ci].original)
                ci += 1
            lines.append((ls, le, self.model.votes(words, phrases, spam)))
        return _Block(start, text, tokens, candidates, lines)

    def _repair_block(self, block: _Block, doc: DocumentEvidence, spin_at, threshold: float) -> List[Candidate]:
        spam_spans = [(c.start, c.end) for c in block.candidates if c.kind == "spam"]
        local_spin = lambda offset: spin_at(block.start + offset)  # noqa: E731
        most_spun = max((local_spin(ls) for ls, _le, _v in block.lines), default=0.0)
        if best_possible(most_spun) < threshold:
            return []  # nothing here can be repaired: clean text costs no scoring
        block.candidates.extend(self.index.propose_split(block.text, block.tokens, self.tokenizer))
        # Two passes: the first decides on the priors alone; the second looks
        # the context up with the first pass's repairs applied to the
        # neighbours (坐褥效率 is judged as 生产效率).  Giving the first pass
        # context too was measured: no better, and 35% slower.
        score_candidates(block.candidates, self.model, doc,
                         self.first_context.bind(block.text, spam_spans, (), block.tokens), local_spin, threshold)
        first = choose(block.candidates, threshold)
        score_candidates(block.candidates, self.model, doc,
                         self.context.bind(block.text, spam_spans, first, block.tokens), local_spin, threshold)
        return choose(block.candidates, threshold)

    # -- the whole job -----------------------------------------------------------
    def repair(self, text: str, *, min_confidence: Optional[float] = None) -> Result:
        if not isinstance(text, str):
            raise TypeError(f"repair() takes str, not {type(text).__name__}")
        threshold = self.min_confidence if min_confidence is None else min_confidence
        norm = normalize_stage.normalize(text)
        view = norm.text
        spans = list(blocks(view))
        kept: Optional[_Block] = None
        votes: Dict[str, float] = {}
        line_votes: List[Tuple[int, int, Dict[str, float]]] = []
        for s, e in spans:  # pass 1: the document's evidence
            block = self._analyse(view, s, e)
            if len(spans) == 1:
                kept = block  # a short text is analysed once
            for ls, le, v in block.lines:
                line_votes.append((s + ls, s + le, v))
                votes = self.model.add(votes, v)
        doc = self.model.decide(votes)
        lent = DOCUMENT_SHARE * max(0.0, doc.log_odds - PRIOR_LOG_ODDS)
        paragraphs = [(ls, le, round(sigmoid(self.model.decide(v).log_odds + lent), 4))
                      for ls, le, v in line_votes]
        starts = [p[0] for p in paragraphs]

        def spin_at(offset: int) -> float:
            i = bisect.bisect_right(starts, offset) - 1
            return paragraphs[i][2] if i >= 0 and offset < paragraphs[i][1] else doc.spin_score

        repairs: List[Repair] = []
        for s, e in spans:  # pass 2: repair each block with the document's evidence
            block = kept if kept is not None else self._analyse(view, s, e)
            for c in self._repair_block(block, doc, spin_at, threshold):
                start, end = s + c.start, s + c.end
                repairs.append(Repair(start, end, text[start:end], norm.to_output_script(c.replacement),
                                      round(c.confidence, 4), describe(c), c.kind))
        return Result(apply_repairs(text, repairs), repairs, round(doc.spin_score, 4), doc.profile, paragraphs)


_default: Optional[Repairer] = None


def default_repairer() -> Repairer:
    global _default
    if _default is None:
        _default = Repairer()
    return _default


def repair(text: str, *, min_confidence: Optional[float] = None,
           glossaries: Optional[Iterable[PathLike]] = None) -> Result:
    """Repair ``text`` with the built-in glossary plus any extra ``glossaries``."""
    repairer = Repairer(glossaries) if glossaries else default_repairer()
    return repairer.repair(text, min_confidence=min_confidence)
