"""Stage 4a – the document model: is this text spun, and by which word map?

About 40% of a spinner's outputs are ordinary correct words (进展, 团结,
全国).  Whether such a word is a spin can only be decided from the whole
document, so every token votes with a log-likelihood ratio

    llr(t) = log P(t | text spun by profile) / P(t | clean text)

computed from two things we know without seeing the document:

* P(t | clean) ∝ f(t), the frequency of t in jieba's dictionary;
* the profile's word map: the spinner is close to a fixed map, so a
  canonical word c with rows c→t keeps only 1 - REWRITE_RATE of its mass and
  moves the rest to its spun forms.

So P(t | spun) ∝ f(t)·keep(t) + Σ_c f(c)·REWRITE_RATE/fan_out(c).  Which
canonical an occurrence came from is the rows' own weight (their prior,
measured on annotated pages), scaled by the document's spin probability in
scoring.py.
Non-words (厉重, f=0) get a large positive vote, canonical words the spinner
always rewrites (发展) a negative one, and words that are both (全国 ← 世界,
宇宙 ← 全国) about what the frequencies say.  The document's log-odds are a
prior plus a tempered sum of votes (naive Bayes over-counts correlated
evidence), per profile; the best profile explains the text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, Mapping, Sequence

from .glossary import ANY_PROFILE, Glossary

REWRITE_RATE = 0.9      # a fixed-map spinner rewrites a word of its map ~always
PRIOR_LOG_ODDS = -4.0   # most text a corpus user runs us on is not spun
TEMPER = 0.5            # weight of each vote: neighbouring votes are correlated
LLR_CLIP = (-2.5, 4.0)  # one token can never decide a document alone
PHRASE_LLR = 3.0        # a wrong-split artefact is strong evidence
SPAM_LLR = 2.0          # a rare spam string (a casino brand) is evidence too
SPAM_RARE_FREQ = 50     # ... but a common word used as spam (设备) is not


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass
class ProfileModel:
    """Per-profile token votes and repair posteriors."""

    name: str
    llr: Dict[str, float] = field(default_factory=dict)
    # spun form -> {canonical: prior that an occurrence in a spun text is that spin}
    posterior: Dict[str, Dict[str, float]] = field(default_factory=dict)
    spam_llr: Dict[str, float] = field(default_factory=dict)
    # a fallback profile (the thesaurus spinner) explains a document only
    # when no word map does and it calls the document spun by itself: it is
    # the "unknown spinner" answer, not a rival to a known one
    fallback: bool = False
    prior_log_odds: float = PRIOR_LOG_ODDS


@dataclass
class DocumentEvidence:
    profile: str
    log_odds: float
    spin_score: float
    by_profile: Mapping[str, float]


class SpinModel:
    def __init__(self, glossary: Glossary, freq, extra: Sequence[ProfileModel] = ()):
        """``freq(word) -> int`` is the clean-text frequency (jieba's dictionary).
        ``extra`` are profiles built elsewhere (the thesaurus spinner's)."""
        self.profiles: Dict[str, ProfileModel] = {}
        for name in glossary.profiles or (ANY_PROFILE,):
            rows = [r for r in glossary.rows if r.profile in (name, ANY_PROFILE)]
            self.profiles[name] = self._build(name, rows, freq)
        for model in extra:
            self.profiles[model.name] = model

    @staticmethod
    def _build(name, rows, freq) -> ProfileModel:
        model = ProfileModel(name)
        f = lambda w: max(freq(w), 1)  # noqa: E731 – add-one smoothing
        word_rows = [r for r in rows if r.kind == "word"]
        fan_out: Dict[str, int] = {}
        for r in word_rows:
            fan_out[r.canonical] = fan_out.get(r.canonical, 0) + 1
        incoming: Dict[str, float] = {}
        for r in word_rows:
            # the spinner moves REWRITE_RATE of c's mass, shared by its spun forms
            incoming[r.spun] = incoming.get(r.spun, 0.0) + f(r.canonical) * REWRITE_RATE / fan_out[r.canonical]
        lo, hi = LLR_CLIP
        for token in set(incoming) | set(fan_out):
            keep = (1.0 - REWRITE_RATE) if token in fan_out else 1.0
            total = f(token) * keep + incoming.get(token, 0.0)
            model.llr[token] = min(hi, max(lo, math.log(total / f(token))))
        for r in word_rows:
            # The row's own prior, measured on annotated pages, decides which
            # canonical an occurrence came from.  (Blending in the frequency
            # model's share was tried; it lost recall on every dev set.)
            model.posterior.setdefault(r.spun, {})[r.canonical] = r.weight
        for r in rows:
            if r.kind == "spam":
                model.spam_llr[r.spun] = SPAM_LLR if freq(r.spun) <= SPAM_RARE_FREQ else 0.0
        return model

    def votes(self, token_texts: Sequence[str], phrase_hits: Sequence[str] = (),
              spam_hits: Sequence[str] = ()) -> Dict[str, float]:
        """Summed votes of a stretch of text, per profile (additive: the votes
        of a document are the sum of its paragraphs')."""
        out: Dict[str, float] = {}
        for name, model in self.profiles.items():
            llr = model.llr
            total = 0.0
            for v in map(llr.get, token_texts):  # (in order: the same sum)
                if v is not None:
                    total += v
            total += PHRASE_LLR * len(phrase_hits)
            for s in spam_hits:
                total += model.spam_llr.get(s, 0.0)
            out[name] = total
        return out

    @staticmethod
    def add(a: Dict[str, float], b: Dict[str, float]) -> Dict[str, float]:
        return {k: a.get(k, 0.0) + b.get(k, 0.0) for k in set(a) | set(b)}

    def decide(self, votes: Dict[str, float], fallback: bool = True) -> DocumentEvidence:
        """The best profile and the spin probability for summed votes; a
        fallback profile only if ``fallback`` and no word map explains the
        text better, and then only if it calls the text spun."""
        by_profile = {name: model.prior_log_odds + TEMPER * votes.get(name, 0.0)
                      for name, model in self.profiles.items()}
        known = sorted(n for n in by_profile if not self.profiles[n].fallback)
        others = sorted(n for n in by_profile if self.profiles[n].fallback) if fallback else []
        name = max(known, key=lambda n: by_profile[n]) if known else None
        for other in others:
            if by_profile[other] >= 0.0 and (name is None or by_profile[other] > by_profile[name]):
                name = other
        if name is None:
            return DocumentEvidence("", PRIOR_LOG_ODDS, sigmoid(PRIOR_LOG_ODDS), by_profile)
        log_odds = by_profile[name]
        return DocumentEvidence(name, log_odds, sigmoid(log_odds), by_profile)

    def evaluate(self, token_texts: Sequence[str], phrase_hits: Sequence[str] = (),
                 spam_hits: Sequence[str] = ()) -> DocumentEvidence:
        """Spin evidence of one document (or one paragraph)."""
        return self.decide(self.votes(token_texts, phrase_hits, spam_hits))
