"""Stage 4b – score each candidate: a confidence in [0, 1] that it is a repair.

confidence = P(text is spun)              the document model (docmodel.py)
           × P(this canonical | this form) the profile's posterior
           moved on the log-odds scale by local context evidence (context.py)

so a word that is also correct Chinese (进展) is repaired in a spun page and
left alone in a clean one, and a non-word (厉重) is repaired wherever the
document carries spin evidence at all.
"""
from __future__ import annotations

import math
from typing import Dict, List, Optional, Sequence

from .candidates import Candidate
from .context import KEEP_MIN, MAX_FIT_GAIN, READING_MAX, ContextScorer, describe_fit
from .docmodel import DocumentEvidence, SpinModel, sigmoid
from .thesaurus import RATE as THESAURUS_RATE

SPLIT_OFFSET = 1.0  # a split repair with zero gain starts at confidence 0.73
SPLIT_CAP = 0.9     # inferred, so a curated phrase row over the same text wins
MAX_SPIN_SHARE = 0.99  # a token always keeps some chance of being genuine
# A thesaurus reading rests on weaker evidence than a glossary row: the
# channel's unigram prior and a context model built for glossary pairs,
# judged over many readings.  Its posterior is overconfident: on text spun by
# tools/make_thesaurus_set.py, readings with posterior >= 0.83 are right
# about 85% of the time, not 90%+.  Scaled by 0.6, a thesaurus repair never
# claims more than 0.6, and the default threshold 0.5 asks for a posterior
# of 0.83 (share right on the two dev sets: 0.85–0.88 at recall 0.32–0.35).
THESAURUS_TRUST = 0.6
# a lone repair needs its likeliest original at least this many times as likely
# as the next one (better than 2:1, i.e. right at least 2 times in 3)
CHOICE_ODDS = 2.0


def _with_log_odds(p: float, adjust: float) -> float:
    """p moved by ``adjust`` on the log-odds scale (0 and 1 stay put)."""
    if p <= 0.0 or p >= 1.0 or not adjust:
        return max(0.0, min(1.0, p))
    return sigmoid(math.log(p / (1.0 - p)) + adjust)


def best_possible(spin: float) -> float:
    """The highest confidence any candidate can reach at this spin
    probability, whatever its context says (see context.MAX_FIT_GAIN)."""
    boost = math.exp(MAX_FIT_GAIN)
    return spin * boost / (1.0 - spin + spin * boost)


def score_candidates(candidates: Sequence[Candidate], model: SpinModel, doc: DocumentEvidence,
                     context: ContextScorer, spin_at, threshold: float = 0.0, spam_page: float = 0.0,
                     freq=None, synonym_rate: float = THESAURUS_RATE) -> Dict[int, float]:
    """Fill ``confidence`` and ``reason`` of every candidate in place.

    ``spin_at(offset)`` is the spin probability of the paragraph holding
    the offset (the document's where paragraphs are not scored apart).
    Candidates that cannot reach ``threshold`` at their spin probability are
    not scored at all (confidence 0): in clean text that is nearly all of
    them, and the reason clean text is fast.  Spam is judged by the page's
    spam evidence (``spam_page``) as well as by its spin: spam is glued into
    copied pages whether or not they were also spun.

    Thesaurus readings assume the spinner rewrites ``synonym_rate`` of the
    words it can.  Returns, per token with thesaurus readings, the
    probability that it is spun (the pipeline estimates the page's rate
    from them).
    """
    profile = model.profiles.get(doc.profile)
    by_token: Dict[int, List[Candidate]] = {}
    by_synonym_token: Dict[int, List[Candidate]] = {}
    for cand in candidates:
        page = max(spin_at(cand.start), spam_page) if cand.kind == "spam" else spin_at(cand.start)
        if threshold > 0.0 and best_possible(page) < threshold:
            cand.confidence, cand.spun_probability, cand.reason = 0.0, 0.0, ""
            continue
        if cand.kind == "word" and cand.token_index is not None:
            by_token.setdefault(cand.token_index, []).append(cand)
            continue
        if cand.kind == "thesaurus":
            by_synonym_token.setdefault(cand.token_index, []).append(cand)
            continue
        spin = page
        rows = [r for r in cand.rows if r.profile == doc.profile] or list(cand.rows)
        if cand.kind == "split":
            # measured on dev data: 52 of 53 such repairs with a gain > 0 were right
            post = min(SPLIT_CAP, sigmoid(cand.gain + SPLIT_OFFSET))
            why = f"{cand.original} straddles a word boundary: spinner's wrong split of {cand.replacement}"
        elif cand.kind == "phrase":
            post = max(r.weight for r in rows)
            why = f"wrong-split artefact of {cand.replacement} ({rows[0].profile})"
        elif cand.kind == "term":
            post = max(r.weight for r in rows)
            why = f"{cand.original} is {rows[0].note}"
        else:
            post = max(r.weight for r in rows)
            why = f"injected spam ({rows[0].note})" if rows[0].note.startswith(("detected", "pattern")) \
                else "injected spam"
        adjust, ctx_note = context.log_odds(cand)
        cand.confidence = _with_log_odds(spin * post, adjust)
        evidence = "page spin/spam" if cand.kind == "spam" else "document spin"
        cand.reason = f"{why}; {evidence} {spin:.2f}" + (f"; {ctx_note}" if ctx_note else "")
    # a context with no evidence (the first pass's) reads every token alike:
    # one token's readings are then scored once per (word, spin) and shared
    memo: Optional[Dict[tuple, list]] = {} if context.is_blind() else None
    spun_share: Dict[int, float] = {}
    for group in by_token.values():
        _score_word_options(group, profile, spin_at(group[0].start), context, memo)
    for group in by_synonym_token.values():
        spun_share[group[0].token_index] = _score_synonym_options(group, spin_at(group[0].start), context, freq,
                                                                  memo, synonym_rate)
    return spun_share


def _score_word_options(group: List[Candidate], profile, spin: float, context: ContextScorer,
                        memo: Optional[Dict[tuple, list]] = None) -> None:
    """One token, several readings: keep it, or any of its canonicals.

    Each reading's probability is its prior (spin × the row's posterior; what
    is left keeps the word) times how well it fits its neighbours, normalised
    over the readings: a noisy channel with the context as language model.
    The reason is written later, and only for the repairs chosen.

    ``memo`` holds the results of earlier groups scored by the same blind
    context (``ContextScorer.is_blind``) and profile: everything below then
    depends only on the key's parts.
    """
    original = group[0].original
    key = None
    if memo is not None:
        key = (original, spin, tuple(c.replacement for c in group))
        done = memo.get(key)
        if done is not None:
            for cand, (confidence, spun, why, unsure) in zip(group, done):
                cand.confidence, cand.spun_probability, cand.reason, cand.why = confidence, spun, "", why
                cand.unsure_choice = unsure
            return
    posterior = profile.posterior.get(original, {}) if profile else {}
    base = [spin * posterior.get(c.replacement, 0.0) for c in group]
    total = sum(base)
    if total > MAX_SPIN_SHARE:  # rows' priors are measured apart and may sum past 1
        base = [b * MAX_SPIN_SHARE / total for b in base]
        total = MAX_SPIN_SHARE
    around = context.surroundings(group[0])
    keep = context.fit_evidence(group[0], original, around)
    # the context may shift the odds by at most MAX_FIT_GAIN: a reading gains at
    # most READING_MAX over the word as written (over 0 when that has no
    # support of its own), and the word as written loses at most -KEEP_MIN.
    # Measured from the word's own support, two readings that both fit a long
    # phrase (取得明显成效 / 取得显著成效) stay level whatever the phrases' length.
    weights = [max(0.0, 1.0 - total) * math.exp(max(KEEP_MIN, keep[0]))]
    reading_max = READING_MAX + max(0.0, keep[0])
    evidence = []
    for cand, b in zip(group, base):
        fit = context.fit_evidence(cand, cand.replacement, around)
        weights.append(b * math.exp(min(reading_max, fit[0])))
        evidence.append(fit)
    norm = sum(weights) or 1.0
    spun = min(1.0, sum(weights[1:]) / norm)
    # no clear favourite among the originals (厉酷 ← 严厉/严格 with no context;
    # 延续 ← 持续/不断 where the context barely leans): choose.py makes such a
    # choice only where leaving the word would half-repair a run of repairs
    readings = sorted(weights[1:], reverse=True)
    unsure = len(readings) > 1 and readings[0] < CHOICE_ODDS * readings[1]
    results = []
    for cand, b, w, fit in zip(group, base, weights[1:], evidence):
        cand.confidence = min(1.0, w / norm)
        cand.unsure_choice = unsure
        cand.spun_probability = spun
        cand.reason = ""
        cand.why = (b, spin, fit, keep)
        results.append((cand.confidence, spun, cand.why, unsure))
    if key is not None:
        memo[key] = results


def _score_synonym_options(group: List[Candidate], spin: float, context: ContextScorer, freq,
                           memo: Optional[Dict[tuple, list]] = None, synonym_rate: float = THESAURUS_RATE) -> float:
    """One token of a text spun by a thesaurus spinner, several synonyms
    it may have been drawn from (thesaurus.py).  The same noisy channel as
    for glossary words: keeping the word has weight f(t)·(1 - spin·r), a
    synonym c has spin·r·f(c)·q(t | c), each times its context fit (r is
    ``synonym_rate``, the page's estimated rewrite rate); f is
    the frequency in jieba's dictionary.  (Mixing in the page's own word
    counts, a cache language model, was measured: no better on the four
    random-synonym sets, better on long pages and worse on short ones.)

    Unlike a glossary word, the threshold applies to the best reading alone
    (``spun_probability`` stays None): "some synonym of this word" is no
    repair, and a thesaurus group holds many words a fixed map never would.
    """
    original = group[0].original
    key = None
    if memo is not None:  # a blind context: the result depends on the key alone
        key = ("thesaurus", original, spin, synonym_rate)
        done = memo.get(key)
        if done is not None:
            results, share = done
            for cand, (confidence, why) in zip(group, results):
                cand.confidence, cand.spun_probability, cand.reason, cand.why = confidence, None, "", why
            return share
    rate = spin * synonym_rate
    f = lambda w: max(freq(w), 1) if freq is not None else 1  # noqa: E731
    around = context.surroundings(group[0])
    keep = context.fit_evidence(group[0], original, around)
    weights = [f(original) * (1.0 - rate) * math.exp(max(KEEP_MIN, keep[0]))]
    evidence = []
    for cand in group:
        fit = context.fit_evidence(cand, cand.replacement, around)
        weights.append(rate * f(cand.replacement) * cand.rows[0].weight * math.exp(min(READING_MAX, fit[0])))
        evidence.append(fit)
    norm = sum(weights) or 1.0
    results = []
    for cand, w, fit in zip(group, weights[1:], evidence):
        cand.confidence = min(1.0, THESAURUS_TRUST * w / norm)
        cand.spun_probability = None
        cand.reason = ""
        cand.why = (cand.rows[0].weight, spin, fit, keep)
        results.append((cand.confidence, cand.why))
    share = sum(weights[1:]) / norm
    if key is not None:
        memo[key] = (results, share)
    return share


def describe(cand: Candidate) -> str:
    """The reason of a candidate, written when it is chosen."""
    if cand.reason or cand.kind not in ("word", "thesaurus") or not cand.why:
        return cand.reason
    prior, spin, (_s, phrase, assoc), (_k, keep_phrase, keep_assoc) = cand.why
    if cand.kind == "thesaurus":
        why = (f"{cand.original} is a thesaurus synonym of the commoner {cand.replacement}: "
               f"a random-synonym spinner's substitution")
    else:
        why = f"{cand.original} is a {cand.rows[0].profile} spin of {cand.replacement} (prior {prior:.2f})"
    notes = [n for n in (describe_fit(phrase, assoc),) if n]
    keep_note = describe_fit(keep_phrase, keep_assoc)
    if keep_note:
        notes.append(f"as written: {keep_note}")
    return f"{why}; document spin {spin:.2f}" + ("; " + "; ".join(notes) if notes else "")
