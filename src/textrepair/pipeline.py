"""The pipeline: normalize → tokenize → propose → score → choose → render."""
from __future__ import annotations

import bisect
import re
from typing import Iterable, List, Optional, Tuple

from . import normalize as normalize_stage
from .candidates import CandidateIndex
from .choose import choose
from .context import BigramModel, CollocationLexicon, ContextScorer
from .docmodel import PRIOR_LOG_ODDS, SpinModel, sigmoid
from .glossary import Glossary, PathLike
from .render import apply_repairs
from .result import Repair, Result
from .scoring import score_candidates
from .tokenizer import Tokenizer

DEFAULT_MIN_CONFIDENCE = 0.5
SPUN_THRESHOLD = 0.5   # spin_score at or above which a document is called spun
DOCUMENT_SHARE = 0.3   # how much of the document's evidence a paragraph inherits

_PARAGRAPH = re.compile(r"[^\r\n]+")


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
        self.context = ContextScorer(CollocationLexicon.builtin().with_tokenizer(self.tokenizer.tokenize_texts),
                                     BigramModel.builtin())

    def repair(self, text: str, *, min_confidence: Optional[float] = None) -> Result:
        if not isinstance(text, str):
            raise TypeError(f"repair() takes str, not {type(text).__name__}")
        threshold = self.min_confidence if min_confidence is None else min_confidence
        norm = normalize_stage.normalize(text)
        view = norm.text
        tokens = self.tokenizer.tokenize(view)
        candidates = self.index.propose(view, tokens, self.tokenizer)
        phrase_hits = [c.original for c in candidates if c.kind == "phrase"]
        spam_hits = [c.original for c in candidates if c.kind == "spam"]
        doc = self.model.evaluate([t.text for t in tokens], phrase_hits, spam_hits)
        paragraphs = self._paragraph_scores(view, tokens, candidates, doc.log_odds)
        spam_spans = [(c.start, c.end) for c in candidates if c.kind == "spam"]
        starts = [p[0] for p in paragraphs]

        def spin_at(offset: int) -> float:
            i = bisect.bisect_right(starts, offset) - 1
            return paragraphs[i][2] if i >= 0 and offset < paragraphs[i][1] else doc.spin_score

        # Two passes: the first decides with no collocation evidence; the
        # second looks collocations up with the first pass's repairs applied
        # to the neighbours (坐褥效率 is judged as 生产效率).
        score_candidates(candidates, self.model, doc, self.context.bind(view, spam_spans, (), tokens), spin_at)
        first = choose(candidates, threshold)
        score_candidates(candidates, self.model, doc, self.context.bind(view, spam_spans, first, tokens), spin_at)
        chosen = choose(candidates, threshold)
        repairs = [
            Repair(c.start, c.end, text[c.start:c.end], norm.to_output_script(c.replacement),
                   round(c.confidence, 4), c.reason, c.kind)
            for c in chosen
        ]
        return Result(apply_repairs(text, repairs), repairs, round(doc.spin_score, 4), doc.profile, paragraphs)

    def _paragraph_scores(self, view, tokens, candidates, doc_log_odds) -> List[Tuple[int, int, float]]:
        """Spin score of each non-empty line: its own evidence, plus a share of
        the document's evidence for spin (a title of a spun page has few words
        of its own; a clean paragraph pasted into a spun page carries its own
        counter-evidence)."""
        out = []
        ti = 0
        ci = 0
        cands = sorted((c for c in candidates if c.kind != "word"), key=lambda c: c.start)
        for m in _PARAGRAPH.finditer(view):
            if not m.group(0).strip():
                continue
            start, end = m.span()
            words = []
            while ti < len(tokens) and tokens[ti].start < end:
                if tokens[ti].start >= start:
                    words.append(tokens[ti].text)
                ti += 1
            phrases, spam = [], []
            while ci < len(cands) and cands[ci].start < end:
                if cands[ci].start >= start:
                    (spam if cands[ci].kind == "spam" else phrases).append(cands[ci].original)
                ci += 1
            ev = self.model.evaluate(words, phrases, spam)
            # only the document's evidence *for* spin is lent: a spun paragraph
            # pasted into a clean page must still stand on its own evidence
            log_odds = ev.log_odds + DOCUMENT_SHARE * max(0.0, doc_log_odds - PRIOR_LOG_ODDS)
            out.append((start, end, round(sigmoid(log_odds), 4)))
        return out


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
