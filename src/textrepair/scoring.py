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
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from .candidates import Candidate
from .context import KEEP_MIN, MAX_FIT_GAIN, READING_MAX, ContextScorer, _c_scoring, describe_fit
from .docmodel import DocumentEvidence, ProfileModel, SpinModel, sigmoid
from .glossary import ANY_PROFILE, GlossaryRow
from .thesaurus import PROFILE as THESAURUS
from .thesaurus import RATE as THESAURUS_RATE

SPLIT_OFFSET = 1.0  # a split repair with zero gain starts at confidence 0.73
SPLIT_CAP = 0.9     # inferred, so a curated phrase row over the same text wins
MAX_SPIN_SHARE = 0.99  # a token always keeps some chance of being genuine
# A thesaurus reading rests on weaker evidence than a glossary row: the
# channel's unigram prior and a context model built for glossary pairs,
# judged over many readings.  Its posterior is overconfident, so it is scaled
# by THESAURUS_TRUST: a thesaurus repair never claims more than 0.65, and the
# default threshold 0.5 asks for a posterior of 0.77.  With
# choose.without_half_repairs leaving alone a repair whose neighbour is
# probably spun too, readings that pass are right 86–88% of the time on the
# two dev sets (recall 0.34–0.38); without it the scale had to be 0.6 for
# 0.86–0.88 at recall 0.33–0.34 (README, thesaurus table).
THESAURUS_TRUST = 0.65
# Text is repaired only where its paragraph is judged spun at least this
# likely (the threshold `detect` uses).  Context evidence can move a reading
# by MAX_FIT_GAIN on the log-odds scale, enough to make 更加踊跃 read 更加积极 in
# a clean article whose paragraph scores 0.04.  Measured: no dev or held-out
# page figure moves; false word changes fall from 6 to 0 on 3,000 review
# snippets and from 1 to 0 on 244 People's Daily articles.
MIN_SPIN = 0.5
# Pseudo-count of "this canonical has a second form on the page" (see
# _word_readings): one sure sighting of another form divides a reading's
# prior by 11.  Measured against 1 and 0.3: test half (our reading) P 0.9779
# -> 0.9795, spinner-b-check R 0.894 -> 0.906; other sets unchanged.
PAGE_MAP_PSEUDO = 0.1
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
    probability, whatever its context says (see context.MAX_FIT_GAIN); 0
    below MIN_SPIN."""
    if spin < MIN_SPIN:
        return 0.0
    boost = math.exp(MAX_FIT_GAIN)
    return spin * boost / (1.0 - spin + spin * boost)


@dataclass
class ScoringPlan:
    """What scoring decides before it looks at any context, the same in every
    pass over a block: which candidates can reach the threshold (the others
    are zeroed), each token's glossary and thesaurus readings with the
    token's spin, and each span candidate with its spin and the rows that
    apply on the page."""
    profile: Optional[ProfileModel]
    by_token: Dict[int, List[Candidate]] = field(default_factory=dict)
    by_synonym_token: Dict[int, List[Candidate]] = field(default_factory=dict)
    token_spin: Dict[int, float] = field(default_factory=dict)  # spin_at of each token's start
    spans: List[Tuple[Candidate, float, Sequence[GlossaryRow]]] = field(default_factory=list)


def _zero(cand: Candidate) -> None:
    cand.confidence, cand.spun_probability, cand.reason = 0.0, 0.0, ""


def plan_scoring(candidates: Sequence[Candidate], model: SpinModel, doc: DocumentEvidence, spin_at,
                 threshold: float = 0.0, spam_page: float = 0.0) -> ScoringPlan:
    """The plan of ``score_candidates``; candidates left out of it are given
    confidence 0 here."""
    plan = ScoringPlan(model.profiles.get(doc.profile))
    profile = plan.profile
    by_token, by_synonym_token, token_spin = plan.by_token, plan.by_synonym_token, plan.token_spin
    # best_possible only grows with the spin, and a page has a handful of
    # distinct spins: each is tested against the threshold once
    reachable: Dict[float, bool] = {}
    for cand in candidates:
        spin = spin_at(cand.start)
        page = max(spin, spam_page) if cand.kind == "spam" else spin
        if threshold > 0.0:
            ok = reachable.get(page)
            if ok is None:
                ok = reachable[page] = best_possible(page) >= threshold
            if not ok:
                _zero(cand)
                continue
        if cand.kind == "word" and cand.token_index is not None:
            if profile is not None and cand.replacement not in profile.posterior.get(cand.original, ()):
                # another map's pair: its prior here is 0, and so is every
                # weight it would add to the token's readings
                _zero(cand)
                continue
            by_token.setdefault(cand.token_index, []).append(cand)
            token_spin[cand.token_index] = spin
            continue
        if cand.kind == "thesaurus" and cand.token_index is not None:  # (it always has one)
            by_synonym_token.setdefault(cand.token_index, []).append(cand)
            token_spin[cand.token_index] = spin
            continue
        rows: Sequence[GlossaryRow] = [r for r in cand.rows if r.profile in (doc.profile, ANY_PROFILE)]
        if not rows:
            if profile is not None:
                # A word map's rows apply only to pages it explains: 公道 → 公平
                # is spinner-a's, and spinner-b writes 公道 for 公正.  On a page
                # only the thesaurus explains, no map's rows apply either
                # (measured: precision up on all eight random-synonym sets,
                # thesaurus-check 0.865 → 0.876 at the same recall).
                _zero(cand)
                continue
            rows = list(cand.rows)  # a glossary without profiles: its rows as they are
        plan.spans.append((cand, page, rows))
    return plan


def score_candidates(candidates: Sequence[Candidate], model: SpinModel, doc: DocumentEvidence,
                     context: ContextScorer, spin_at, threshold: float = 0.0, spam_page: float = 0.0,
                     freq=None, synonym_rate: float = THESAURUS_RATE,
                     page_forms: Optional[Dict[str, Dict[str, float]]] = None,
                     plan: Optional[ScoringPlan] = None) -> Dict[int, float]:
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

    ``plan`` is ``plan_scoring`` of the same arguments, for a caller that
    scores the same candidates again in another context.
    """
    if plan is None:
        plan = plan_scoring(candidates, model, doc, spin_at, threshold, spam_page)
    profile = plan.profile
    for cand, spin, rows in plan.spans:
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
    if context.c_context is not None and plan.by_token:
        # the glossary readings in C (_scoring.c), with the same results
        _c_scoring.score_tokens(context.c_context, plan.by_token, plan.token_spin,
                                profile.posterior if profile else {}, page_forms, profile.name if profile else "",
                                PAGE_MAP_PSEUDO, MAX_SPIN_SHARE, CHOICE_ODDS)
        groups = (("thesaurus", plan.by_synonym_token),)
    else:
        groups = (("word", plan.by_token), ("thesaurus", plan.by_synonym_token))
    # a context with no evidence (the first pass's) reads every token alike:
    # one token's readings are then scored once per (word, spin, readings)
    memo: Optional[Dict[tuple, tuple]] = {} if context.is_blind() else None
    spun_share: Dict[int, float] = {}
    for kind, by_token in groups:
        for token, group in by_token.items():
            spin = plan.token_spin[token]
            if memo is not None:
                key = (kind, group[0].original, spin, tuple([c.replacement for c in group]))
                done = memo.get(key)
            else:
                done = None
            if done is None:
                done = (_word_readings(group, profile, spin, context, page_forms) if kind == "word" else
                        _synonym_readings(group, spin, context, freq, synonym_rate))
                if memo is not None:
                    memo[key] = done
            results, share = done
            for cand, (confidence, spun, basis, unsure) in zip(group, results):  # (why is a str, above)
                cand.confidence, cand.spun_probability, cand.why, cand.unsure_choice = confidence, spun, basis, unsure
                cand.reason = ""  # written later (describe), and only for the repairs chosen
            if kind == "thesaurus":
                spun_share[token] = share  # (the group's token_index)
    return spun_share


def _channel(group: List[Candidate], context: ContextScorer, keep_prior: float, priors: Sequence[float]):
    """One token, several readings, as a noisy channel with the context as
    language model: keeping the word weighs ``keep_prior`` times its fit,
    each reading its prior times its fit.  Returns the weights (keep first),
    each reading's fit evidence and the word's own.

    The context may shift the odds by at most MAX_FIT_GAIN: a reading gains
    at most READING_MAX over the word as written (over 0 when that has no
    support of its own), and the word as written loses at most -KEEP_MIN.
    Measured from the word's own support, two readings that both fit a long
    phrase (取得明显成效 / 取得显著成效) stay level whatever the phrases' length.
    """
    # the readings share the token (its span and the word as written): one lookup for all
    keep, *evidence = context.fit_evidences(group[0], [group[0].original] + [c.replacement for c in group])
    weights = [keep_prior * math.exp(max(KEEP_MIN, keep[0]))]
    reading_max = READING_MAX + max(0.0, keep[0])
    for fit, prior in zip(evidence, priors):
        weights.append(prior * math.exp(min(reading_max, fit[0])))
    return weights, evidence, keep


def _word_readings(group: List[Candidate], profile, spin: float, context: ContextScorer,
                   page_forms: Optional[Dict[str, Dict[str, float]]] = None):
    """A token with glossary readings: keep it, or any of its canonicals.

    Each reading's prior is spin × the row's posterior; what is left keeps
    the word.  Returns per candidate (confidence, spun_probability, why,
    unsure_choice), and the share of the weight that says "spun".
    """
    posterior = profile.posterior.get(group[0].original, {}) if profile else {}
    base = [spin * posterior.get(c.replacement, 0.0) for c in group]
    if page_forms and len(group) > 1:
        # One word map per page: a canonical the page already writes another
        # way is an unlikely source of this form (延续 ← 持续 or 不断: where
        # 不断 is written 不停 on the page, 延续 is 持续).  ``page_forms`` holds
        # the first pass's readings, canonical -> {form: summed confidence}.
        # On the dev half 488 of 494 canonicals have one form only.  (Applied
        # to a form with one reading too, it cost the dev half 0.007 in
        # precision: the spinner's own wrong splits give a word two forms.)
        t = group[0].original
        for k, c in enumerate(group):
            seen = page_forms.get(c.replacement)
            if seen:
                elsewhere = _added(v for form, v in seen.items() if form != t)
                base[k] *= PAGE_MAP_PSEUDO / (PAGE_MAP_PSEUDO + elsewhere)
    total = _added(base)
    if total > MAX_SPIN_SHARE:  # rows' priors are measured apart and may sum past 1
        base = [b * MAX_SPIN_SHARE / total for b in base]
        total = MAX_SPIN_SHARE
    weights, evidence, keep = _channel(group, context, max(0.0, 1.0 - total), base)
    norm = _added(weights) or 1.0
    spun = min(1.0, _added(weights[1:]) / norm)
    # no clear favourite among the originals (厉酷 ← 严厉/严格 with no context;
    # 延续 ← 持续/不断 where the context barely leans): choose.py makes such a
    # choice only where leaving the word would half-repair a run of repairs
    readings = sorted(weights[1:], reverse=True)
    unsure = len(readings) > 1 and readings[0] < CHOICE_ODDS * readings[1]
    name = profile.name if profile else ""
    results = [(min(1.0, w / norm), spun, (b, spin, fit, keep, name), unsure)
               for b, w, fit in zip(base, weights[1:], evidence)]
    return results, spun


def _added(values) -> float:
    """The values added from 0.0, left to right (``sum`` adds floats with
    compensation from Python 3.12 on; the C pass adds them plainly)."""
    total = 0.0
    for v in values:
        total += v
    return total


def _synonym_readings(group: List[Candidate], spin: float, context: ContextScorer, freq, rate: float):
    """A token of a text spun by a thesaurus spinner, several synonyms it
    may have been drawn from (thesaurus.py).  Keeping the word has prior
    f(t)·(1 - spin·r), a synonym c spin·r·f(c)·q(t | c), where r is the
    page's estimated rewrite rate and f the frequency in jieba's
    dictionary.  (Mixing in the page's own word counts, a cache language
    model, was measured: no better on the four random-synonym sets, better
    on long pages and worse on short ones.)

    Unlike a glossary word, the threshold applies to the best reading alone
    (``spun_probability`` is None): "some synonym of this word" is no
    repair, and a thesaurus group holds many words a fixed map never would.
    """
    rate = spin * rate
    f = (lambda w: max(freq(w), 1)) if freq is not None else (lambda w: 1)
    priors = [rate * f(c.replacement) * c.rows[0].weight for c in group]
    weights, evidence, keep = _channel(group, context, f(group[0].original) * (1.0 - rate), priors)
    norm = sum(weights) or 1.0
    results = [(min(1.0, THESAURUS_TRUST * w / norm), None, (c.rows[0].weight, spin, fit, keep, THESAURUS), False)
               for c, w, fit in zip(group, weights[1:], evidence)]
    return results, sum(weights[1:]) / norm


def describe(cand: Candidate) -> str:
    """The reason of a candidate, written when it is chosen (in C, by
    _scoring.make_repairs; this is the reference)."""
    if cand.reason or cand.kind not in ("word", "thesaurus") or not cand.why:
        return cand.reason
    prior, spin, (_s, phrase, assoc), (_k, keep_phrase, keep_assoc), profile = cand.why
    if cand.kind == "thesaurus":
        why = (f"{cand.original} is a thesaurus synonym of the commoner {cand.replacement}: "
               f"a random-synonym spinner's substitution")
    else:
        # (a pair both maps make has a row in each: the page's map is named)
        why = f"{cand.original} is a {profile} spin of {cand.replacement} (prior {prior:.2f})"
    notes = [n for n in (describe_fit(phrase, assoc),) if n]
    keep_note = describe_fit(keep_phrase, keep_assoc)
    if keep_note:
        notes.append(f"as written: {keep_note}")
    return f"{why}; document spin {spin:.2f}" + ("; " + "; ".join(notes) if notes else "")
