"""Property-based tests: for any input, no exception, valid offsets, and the
repairs reproduce the text; clean gold text is never changed."""
import os

import jieba
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from textrepair import apply_repairs
from textrepair import choose as choose_module
from textrepair.candidates import Candidate
from textrepair.glossary import Glossary
from textrepair.terms import propose_terms, propose_terms_py
from textrepair.tokenizer import _speedups

from conftest import SAMPLES, read, without_c_scoring

GLOSSARY = Glossary.load()
SPUN_WORDS = sorted({r.spun for r in GLOSSARY.rows})[:400]
GOLD_LINES = [ln for ln in read(SAMPLES / "whitepaper-dev.gold.txt").split("\n") if ln.strip()]
CLEAN_LINES = [ln for p in sorted((SAMPLES / "clean-dev").glob("*.txt")) for ln in read(p).split("\n") if ln.strip()]

# Text that looks like what we get: glossary words, Chinese, punctuation,
# line breaks of every kind, ASCII, emoji, and arbitrary code points.
pieces = st.one_of(
    st.sampled_from(SPUN_WORDS),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=6),
    st.sampled_from(["，", "。", "、", "\n", "\r\n", "\r", " ", "\t", "\ufeff", "😀", "a", "1"]),
    st.text(max_size=4),
)
texts = st.lists(pieces, max_size=40).map("".join)
EXAMPLES = int(os.environ.get("TEXTREPAIR_HYPOTHESIS_EXAMPLES", "300"))


def check(result, text):
    assert apply_repairs(text, result.repairs) == result.text
    last = 0
    for r in result.repairs:
        assert last <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.original
        assert 0.0 <= r.confidence <= 1.0 and r.reason
        assert not any(c in r.original + r.replacement for c in "\r\n")
        last = r.end
    assert 0.0 <= result.spin_score <= 1.0
    for sep in ("\r\n", "\n", "\r"):
        assert result.text.count(sep) == text.count(sep)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_repairs_consistently(repairer, text):
    check(repairer.repair(text), text)


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_unicode(repairer, text):
    check(repairer.repair(text), text)


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(GOLD_LINES + CLEAN_LINES), min_size=1, max_size=4))
def test_clean_gold_text_is_never_changed(repairer, lines):
    text = "\n".join(lines)
    assert repairer.repair(text).text == text


lines = st.lists(st.sampled_from(SPUN_WORDS + ["，", "。", "的"]), min_size=1, max_size=12).map("".join)


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, min_size=1, max_size=8), st.integers(min_value=0, max_value=20))
# one word map per page: 公中 → 公平 in one block makes 公平 an unlikely source
# of 公道 in the next (the page's forms were once gathered per block)
@example(parts=["PG电子官方网站", "PG电子官方网站公中", "PG电子官方网站公道"], extra=0)
def test_blocks_cut_at_line_ends_do_not_change_results(repairer, parts, extra):
    """Long texts are analysed in blocks cut at line ends; the result must be
    the same as analysing the text whole."""
    import textrepair.pipeline as pipeline
    text = "\n".join(parts)
    size = 2 * (max(map(len, parts)) + 1) + extra  # a line end always falls in a block's second half
    whole = repairer.repair(text)
    old = pipeline.BLOCK_CHARS
    pipeline.BLOCK_CHARS = size
    try:
        cut = repairer.repair(text)
    finally:
        pipeline.BLOCK_CHARS = old
    check(cut, text)
    assert cut.text == whole.text
    assert cut.repairs == whole.repairs
    assert cut.spin_score == whole.spin_score


edit_lists = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4), st.text("XYZ", max_size=3)), max_size=4)


def _edits(text, raw):
    """Non-overlapping, non-empty edits on ``text`` from raw (start, length, replacement)."""
    from textrepair.cleanup import Edit
    out, end = [], -1
    for s, n, rep in sorted(raw):
        s = min(s, len(text))
        e = min(s + max(n, 1), len(text))
        if s > end and e > s:
            out.append(Edit(s, e, rep, 0.9, "r", "k"))
            end = e
    return out


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text("abcdefg", max_size=15), edit_lists, edit_lists)
def test_compose_equals_two_rounds(text, raw1, raw2):
    """The clean-up's edits followed by the repairs map back to input offsets exactly."""
    from textrepair.cleanup import apply_edits, compose
    first = _edits(text, raw1)
    middle = apply_edits(text, first)
    second = _edits(middle, raw2)
    both = compose(first, second, middle)
    last = 0
    for e in both:
        assert last <= e.start <= e.end <= len(text)
        last = e.end
    assert apply_edits(text, both) == apply_edits(middle, second)


NO_C_ROUTE = "textrepair._route is not built (or TEXTREPAIR_PURE_PYTHON is set)"
NO_C_SCORING = "textrepair._scoring is not built (or TEXTREPAIR_PURE_PYTHON is set)"


@pytest.mark.skipif(_speedups is None, reason=NO_C_ROUTE)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_c_route_search_equals_the_python_loop(repairer, text):
    """The C tokenizer cuts any text as the Python loop does."""
    tok = repairer.tokenizer
    assert tok.accelerated
    assert tok.tokenize(text) == tok.tokenize_py(text)
    for block in jieba.re_han_default.split(text):
        if block and jieba.re_han_default.match(block):  # the blocks cut by route
            assert tok._route(block) == tok._route_py(block)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(st.text(max_size=30),
                 st.binary(min_size=2, max_size=40).map(lambda b: b.decode("gbk", errors="ignore")),
                 st.sampled_from(GOLD_LINES).map(lambda s: s.encode("utf-8").decode("gbk", errors="ignore"))))
def test_mojibake_filter_never_skips_a_run_that_redecodes(text):
    """The clean-up skips re-decoding a run that _may_redecode rules out; it
    must only rule out runs whose re-decoding fails."""
    from textrepair.cleanup import _may_redecode, _redecode
    if not _may_redecode(text):
        assert _redecode(text) is None


@pytest.mark.skipif(_speedups is None, reason=NO_C_ROUTE)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(pieces, st.sampled_from(["连合国", "中幼", "连合", "国", "微企业", "和安全全", "PG电子"])),
                max_size=40).map("".join))
def test_c_scans_equal_the_python_loops(repairer, text):
    """The C scans for the glossary's strings, for names and for windows one
    swap from a name find in any text what the Python loops find."""
    lexicon, freq = repairer.terms, repairer.tokenizer.freq
    assert lexicon._swap_tables is not None
    assert lexicon.find(text) == lexicon.find_py(text)
    assert propose_terms(text, lexicon, freq) == propose_terms_py(text, lexicon, freq)
    for m in (repairer.index._split_re, repairer.index._phrase_re, repairer.index._spam_re):
        assert m.find_all(text) == m.find_all_py(text)


@pytest.mark.skipif(choose_module._c_scoring is None, reason=NO_C_SCORING)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_c_scoring_equals_the_python_loop(repairer, text):
    """The C context pass and choice score and choose in any text as the
    Python loops do (threshold 0: every candidate is scored)."""
    fast = repairer.repair(text, min_confidence=0.0)
    with without_c_scoring():
        slow = repairer.repair(text, min_confidence=0.0)
    assert slow == fast


candidates = st.lists(st.builds(
    lambda start, length, replacement, confidence, spun, unsure: Candidate(
        start, start + length, "x" * length, replacement, (), "word", confidence=confidence,
        spun_probability=spun, unsure_choice=unsure),
    st.integers(0, 12), st.integers(0, 4), st.sampled_from(["", "甲", "乙", "甲乙"]),
    st.sampled_from([0.0, -0.0, 0.3, 0.5, 0.7, 1.0]), st.sampled_from([None, 0.2, 0.5, 0.9]), st.booleans()),
    max_size=12)


@pytest.mark.skipif(choose_module._c_scoring is None, reason=NO_C_SCORING)
@settings(max_examples=EXAMPLES, deadline=None)
@given(candidates, st.sampled_from([0.0, 0.5, 0.6]))
def test_c_choice_equals_the_python_loop(cands, threshold):
    """Ties of every kind, empty spans and unsure choices: the C choice takes
    the same candidates, in the same order, as choose.choose_py."""
    fast = choose_module._c_scoring.choose(cands, threshold)
    slow = choose_module.choose_py(cands, threshold)
    assert [id(c) for c in fast] == [id(c) for c in slow]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=6).filter(lambda k: k != "text"), json_values, max_size=4),
       st.one_of(st.sampled_from(GOLD_LINES[:20] + [SPUN_WORDS[0] + "，" + SPUN_WORDS[1]]), texts),
       st.integers(0, 4), st.booleans(), st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")]),
       st.booleans())
def test_jsonl_record_changes_only_its_text_field(fields, text, at, ascii_, separators, annotate):
    """Whatever the record's other fields and its spelling (key order,
    spacing, escapes), fix --jsonl rewrites only the text field's value
    (and adds the annotation): the rest is kept byte for byte, and a record
    with nothing to repair comes back exactly."""
    import json
    from textrepair import corpus
    if getattr(corpus, "_repairer", None) is None:
        corpus.init_worker(corpus.Settings())  # (loads the data: once)
    corpus._settings = corpus.Settings(annotate=annotate)
    items = list(fields.items())
    items.insert(min(at, len(items)), ("text", text))
    line = "{" + separators[0].join(json.dumps(k, ensure_ascii=ascii_) + separators[1] + json.dumps(v, ensure_ascii=ascii_)
                                    for k, v in items) + "}"
    out, _summary = corpus.repair_record(line)
    record = json.loads(out)
    expected = dict(items)
    expected["text"] = corpus._repairer.repair(text).text
    note = record.pop("textrepair", None)
    assert record == expected and (note is not None) == annotate
    if not annotate and expected["text"] == text and not corpus._repairer.repair(text).repairs:
        assert out == line
    # the other fields' own spelling survives: every other key/value pair is in the output as written
    for k, v in items:
        if k != "text":
            assert json.dumps(k, ensure_ascii=ascii_) + separators[1] + json.dumps(v, ensure_ascii=ascii_) in out
