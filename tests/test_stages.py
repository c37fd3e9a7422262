"""Unit tests, one group per pipeline stage."""
import os
import shutil
import sysconfig

import pytest

from textrepair import Repair, apply_repairs
from textrepair import context as context_module
from textrepair.candidates import Candidate
from textrepair.choose import choose, without_half_repairs
from textrepair.evaluate import changed_regions, evaluate
from textrepair.normalize import normalize
from textrepair.context import _c_scoring
from textrepair.terms import propose_terms, propose_terms_py
from textrepair.tokenizer import _speedups

from conftest import SAMPLES, read, without_c_scoring

SPUN = "中国主动阐扬数字本事对经济进展的放大、叠加、倍增感化,延续深化环球电子商务进展团结。"


# --- normalize -------------------------------------------------------------
def test_normalize_keeps_simplified_text_as_is():
    n = normalize(SPUN)
    assert n.text == SPUN and not n.traditional


def test_normalize_maps_traditional_one_to_one():
    text = "網絡空間運道協同體"
    n = normalize(text)
    assert n.traditional and len(n.text) == len(text)
    assert n.text == "网络空间运道协同体"
    assert n.to_output_script("命运共同体") == "命運共同體"


def test_traditional_page_keeps_its_script_where_one_paragraph_is_spun(repairer):
    """A genuinely Traditional page, not spun as a whole, is not converted: its
    clean paragraphs come back as they were, and the repairs of its one spun
    paragraph are written in Traditional characters.  (A Traditional page
    spun as a whole is a Simplified page garbled twice: see garbage.json.)"""
    import opencc
    to_traditional = opencc.OpenCC("s2t")
    clean = read(SAMPLES / "clean-dev" / "b02.txt").strip().split("\n")[:6]
    spun = read(SAMPLES / "synthetic-dev" / "a01.spun.txt").split("\n")[0].replace("开云体育官网", "")
    page = to_traditional.convert("\n".join(clean + [spun]))
    result = repairer.repair(page)
    assert result.spin_score < 0.5
    assert result.text.split("\n")[:6] == page.split("\n")[:6]
    assert result.repairs and all(r.start > page.rindex("\n") for r in result.repairs)
    assert all(to_traditional.convert(r.replacement) == r.replacement for r in result.repairs)
    assert "以來" in result.text and "堅持" in result.text


# --- tokenize --------------------------------------------------------------
def test_tokens_cover_the_input_exactly(repairer):
    text = "厉重理念\r\n坚持民族团结, 5G 基站赶过420万个。\n"
    toks = repairer.tokenizer.tokenize(text)
    assert "".join(t.text for t in toks) == text
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_own_cut_is_jiebas_cut_piece_for_piece(repairer):
    tok = repairer.tokenizer
    texts = [read(SAMPLES / "whitepaper.spun.txt"), read(SAMPLES / "clean-dev" / "a01.txt"),
             "厉重理念\r\n坚持民族团结, 5G 基站赶过420万个。\n", "ab12 c-d_e.f+g#h&i%j\t\u3000x😀漢語", ""]
    for text in texts:
        assert tok.cut(text) == list(tok._jieba.cut(text, HMM=False))
    for window in ("农产物价格", "端正在推进", "坚持民族团结", "a,b c"):
        route: dict = {}
        tok._jieba.calc(window, tok._jieba.get_DAG(window), route)
        assert tok.segment_logprob(window) == route[0][0]


def _han_blocks(text):
    import jieba
    return [b for b in jieba.re_han_default.split(text) if b]


@pytest.mark.skipif(not _speedups, reason="the C route search is not built (no compiler at install)")
def test_c_route_search_is_the_python_loop(repairer):
    """textrepair._route gives the Python reference's routes, scores, words
    and tokens exactly, on every shipped text (and the score types: the int
    0 after the last character)."""
    tok = repairer.tokenizer
    texts = [read(p) for p in sorted(SAMPLES.glob("**/*.txt"))]
    assert len(texts) > 40
    # and odd strings: lone surrogates, astral characters, NULs, bare CRs, a long run of one character
    texts += ["\ud800abc中文\udfff", "𠀀𠀁中国人民", "\x00中\x00", "\r\n\r\n\r", "ＡＢＣ１２３中文", "中" * 20_000]
    for text in texts:
        assert tok.tokenize(text) == tok.tokenize_py(text)
        assert tok.cut(text) == tok.cut_py(text)
        for block in _han_blocks(text):
            assert tok._route(block) == tok._route_py(block)
            assert [type(x) for x in tok._route(block)[0]] == [type(x) for x in tok._route_py(block)[0]]


@pytest.mark.skipif(not _speedups, reason="the C route search is not built (no compiler at install)")
def test_c_table_is_a_read_only_copy_of_the_dict():
    """The C table stands in for jieba's FREQ dict: the same keys, values
    and order, lookups as a dict's, and it survives pickling (the cache)."""
    import pickle
    freq = {"好": 3, "好人": 2, "好人好": 0, "好人好事": 5, "𠀀x": 1}
    table = _speedups.Table(freq)
    assert len(table) == len(freq) and list(table) == list(freq) and table.items() == list(freq.items())
    assert table["好人"] == 2 and table.get("好人好") == 0 and table.get("坏") is None and table.get("坏", 7) == 7
    assert "好人好" in table and "坏" not in table and 3 not in table and "𠀀x" in table
    with pytest.raises(KeyError):
        table["坏"]
    assert pickle.loads(pickle.dumps(table)).items() == table.items()
    assert _speedups.route("", table, 1.0) == ([0], [0])
    # what a Table cannot hold is refused, and the tokenizer keeps the dict
    for bad in ({"好": -1}, {"好": 2 ** 32}, {"好": 1.5}, {1: 2}):
        with pytest.raises((TypeError, OverflowError)):
            _speedups.Table(bad)
    with pytest.raises(TypeError):
        _speedups.route("好", {"好": 1}, 1.0)
    with pytest.raises(TypeError):  # tokens are made as tuples: a type with fields of its own is refused
        _speedups.tokenize("好人", table, 1.0, type("Token", (object,), {}))


def test_c_modules_are_built_where_a_compiler_is():
    """The build hook must not fail silently where it could have compiled
    (a clean checkout in CI has gcc): a broken hook would only show as a
    slower tokenizer and scorer."""
    if os.environ.get("TEXTREPAIR_PURE_PYTHON") or not sysconfig.get_config_var("CC"):
        pytest.skip("pure Python asked for, or no C compiler known to this Python")
    compiler = sysconfig.get_config_var("CC").split()[0]
    if not shutil.which(compiler):
        pytest.skip(f"no {compiler} on PATH")
    assert _speedups is not None
    assert _c_scoring is not None


def test_c_scans_are_the_python_loops(repairer):
    """textrepair._route's scans for the glossary's strings (split, phrase and
    spam candidates: candidates.Matcher), for names written out
    (TermLexicon.find) and for windows one swap from a name
    (terms.propose_terms) give the Python reference's results on every
    shipped text, whole and in part."""
    lexicon, freq, index = repairer.terms, repairer.tokenizer.freq, repairer.index
    if lexicon._swap_tables is None:
        pytest.skip("textrepair._route is not built (or TEXTREPAIR_PURE_PYTHON is set)")
    matchers = [index._split_re, index._phrase_re, index._spam_re, *index._split_re_of.values()]
    texts = [read(p) for p in sorted(SAMPLES.glob("**/*.txt"))]
    texts += ["\ud800连合国中幼微企业\udfff", "𠀀连合国", "\x00连合国\x00", "连合" * 5_000, "和安全全" * 3]
    found = 0
    for text in texts:
        assert lexicon.find(text) == lexicon.find_py(text)
        for lo, hi in ((0, None), (3, 60), (len(text) - 5, len(text) + 5)):
            swaps = propose_terms(text, lexicon, freq, lo, hi)
            assert swaps == propose_terms_py(text, lexicon, freq, lo, hi)
            found += len(swaps)
            for m in matchers:
                matches = m.find_all(text, lo, hi)
                assert matches == m.find_all_py(text, lo, hi)
                found += len(matches)
    assert found > 10_000


@pytest.mark.skipif(_c_scoring is None, reason="textrepair._scoring is not built (or TEXTREPAIR_PURE_PYTHON is set)")
def test_c_scoring_is_the_python_loop(repairer):
    """textrepair._scoring (the context pass, the tokens' readings, the
    choice and the reasons) gives the Python reference's results on every
    shipped text: at threshold 0, where every candidate is scored, and at
    the default."""
    texts = [read(p) for p in sorted(SAMPLES.rglob("*.txt"))]
    assert len(texts) > 50
    # a page written partly in Traditional characters (converted as it is repaired)
    texts.append(normalize(read(SAMPLES / "whitepaper-dev.spun.txt")[:3000]).text.translate(
        str.maketrans("国发进网络这为对时实现经济", "國發進網絡這為對時實現經濟")))

    def results():
        out = []
        for text in texts:
            for threshold in (0.0, None):
                r = repairer.repair(text, min_confidence=threshold)
                out.append((r.text, r.spin_score, r.profile, r.paragraph_scores,
                            [(x.start, x.end, x.replacement, x.confidence, x.reason, x.kind) for x in r.repairs]))
        return out

    fast = results()
    with without_c_scoring():
        assert results() == fast


@pytest.mark.skipif(_c_scoring is None, reason="textrepair._scoring is not built (or TEXTREPAIR_PURE_PYTHON is set)")
def test_c_scoring_refuses_what_it_cannot_read(repairer):
    bound = repairer.context.bind("进展", (), (), [])
    blind = _c_scoring.Tables(None, None, None, 1.0)
    args = dict(constants=context_module._C_CONSTANTS, text="进展", starts=[], ends=[], replacements=[], tokens=[],
                token_repl={}, names=[], tables=blind, freq=None, search_compound=len)
    assert _c_scoring.Context(**args).fit_evidences(0, 2, None, "进展", ["进展", "发展"]) == \
        [(0.0, None, 0.0), (0.0, None, 0.0)]
    for bad in (dict(constants=(1, 2)), dict(starts=[0]), dict(names=[0]), dict(tokens=[(0, 1)]),
                dict(tables=None), dict(tables=repairer.context.c_tables)):  # (compounds need freq)
        with pytest.raises((TypeError, ValueError)):
            _c_scoring.Context(**{**args, **bad})
    # tables that are not a table's buffers, or whose records point past their ends
    entries, slots, chars = _speedups.Table({"发展": 3}).__reduce__()[1][1:]
    assert _c_scoring.Tables(None, None, (entries, slots, chars), 10.0)
    for bad in ((entries, slots), (entries, b"\0" * 12, chars), (b"\0", slots, chars)):
        with pytest.raises(ValueError):
            _c_scoring.Tables(None, None, bad, 10.0)
    with pytest.raises(ValueError):  # counts need a positive total
        _c_scoring.Tables(None, None, (entries, slots, chars), 0.0)
    broken = _speedups.Table({"发展\x01的": 7}).__reduce__()[1][1:] + (b"\0\0\0\0", b"")
    context = _c_scoring.Context(**{**args, "text": "的发展", "tables": _c_scoring.Tables(broken, None, None, 1.0)})
    with pytest.raises(ValueError):  # record 7 of a one-record buffer
        context.fit_evidences(1, 3, None, "发展", ["发展"])
    with pytest.raises(TypeError):
        bound.c_context.fit_evidences(0, 2, None, "进展", [1])
    # spans outside the text are refused, never read past
    for start, end in ((1, 3), (-1, 1), (2, 1)):
        with pytest.raises(ValueError):
            bound.c_context.fit_evidences(start, end, None, "进展", ["进展"])
    for starts, ends in (([0], [3]), ([1, 0], [2, 1]), ([-1], [0])):
        with pytest.raises(ValueError):
            _c_scoring.Context(**{**args, "starts": starts, "ends": ends, "replacements": ["x"] * len(starts)})
    with pytest.raises(ValueError):
        _c_scoring.choose([Candidate(-1, 1, "x", "y", (), "word", confidence=0.9)], 0.5)
    with pytest.raises(AttributeError):  # as the Python loop: not a candidate
        _c_scoring.choose([object()], 0.5)


def test_spun_forms_are_single_tokens_and_compounds_survive(repairer):
    words = [t.text for t in repairer.tokenizer.tokenize("基站赶过420万个，根源办法，坚持民族团结")]
    assert "赶过" in words and "根源办法" in words
    assert "民族团结" in words  # a genuine compound is not split to expose 团结


# --- candidates --------------------------------------------------------------
def test_word_rows_match_whole_tokens_only(repairer):
    text = "残疾人加疾进展"
    cands = repairer.index.propose(text, repairer.tokenizer.tokenize(text))
    spans = {(c.original, c.start) for c in cands if c.kind == "word"}
    assert ("疾", 1) not in spans  # 疾 inside 残疾 is never a candidate


def test_phrase_rows_match_across_tokens(repairer):
    text = "维护和安全全。"
    cands = repairer.index.propose(text, repairer.tokenizer.tokenize(text))
    assert any(c.kind == "phrase" and c.original == "和安全全" and c.replacement == "和平安全" for c in cands)


# --- document model ------------------------------------------------------------
def test_votes_point_the_right_way(repairer):
    llr = repairer.model.profiles["spinner-a"].llr
    assert llr["厉重"] > 2      # a non-word spin
    assert llr["发展"] < 0      # a word the spinner always rewrites
    assert llr["进展"] > 0


def test_spun_and_clean_documents_are_told_apart(repairer):
    spun = read(SAMPLES / "whitepaper-dev.spun.txt")
    clean = read(SAMPLES / "clean-dev" / "a01.txt")
    assert repairer.repair(spun).spin_score > 0.99
    assert repairer.repair(clean).spin_score < 0.01


# --- scoring ---------------------------------------------------------------
def test_ambiguous_word_is_repaired_only_in_spun_context(repairer):
    spun = repairer.repair("坚持以群多为中央的进展思念，饱吹厉重效率。")
    assert "发展" in spun.text
    clean = repairer.repair("双方就共同关心的问题交换意见，谈判取得积极进展。")
    assert clean.text.endswith("积极进展。")


def test_confidences_are_probabilities_with_reasons(repairer):
    res = repairer.repair(SPUN)
    assert res.repairs
    for r in res.repairs:
        assert 0 < r.confidence <= 1 and r.reason


def test_min_confidence_trades_recall(repairer):
    text = read(SAMPLES / "whitepaper-dev.spun.txt")
    loose = repairer.repair(text, min_confidence=0.3).repairs
    strict = repairer.repair(text, min_confidence=0.95).repairs
    assert 0 < len(strict) < len(loose)
    # every span repaired at 0.95 is repaired at 0.3 too, alone or inside a
    # longer repair (可延续 → 可持续 where the strict run repairs 延续 alone)
    for r in strict:
        assert any(l.start <= r.start and r.end <= l.end for l in loose), r


# --- choose ----------------------------------------------------------------
def test_choose_takes_best_non_overlapping():
    a = Candidate(0, 4, "和安全全", "和平安全", (), "phrase", confidence=0.9)
    b = Candidate(1, 3, "安全", "和平", (), "word", confidence=0.8)
    c = Candidate(5, 7, "厉重", "重要", (), "word", confidence=0.4)
    assert choose([b, a, c], 0.5) == [a]



def test_a_thesaurus_repair_beside_a_probably_spun_word_is_left_alone():
    # tokens 3, 4, 5 of a random-synonym page: 4 is repaired; 3 may be spun too
    mid = Candidate(2, 4, "黔首", "人民", (), "thesaurus", 4, confidence=0.6)
    left = Candidate(0, 2, "广博", "广大", (), "thesaurus", 3, confidence=0.6)
    word = Candidate(6, 8, "进展", "发展", (), "word", 5, confidence=0.9)
    assert without_half_repairs([mid], {3: 0.7, 4: 0.9}) == []        # a half-repair: left alone
    assert without_half_repairs([mid], {3: 0.3, 4: 0.9}) == [mid]     # the neighbour is probably genuine
    assert without_half_repairs([left, mid], {3: 0.7, 4: 0.9}) == [left, mid]  # the run is repaired whole
    assert without_half_repairs([word], {4: 0.9}) == [word]           # glossary repairs are not judged so

# --- render ----------------------------------------------------------------
def test_repairs_reproduce_text(repairer):
    text = read(SAMPLES / "whitepaper-dev.spun.txt")
    res = repairer.repair(text)
    assert apply_repairs(text, res.repairs) == res.text
    for r in res.repairs:
        assert text[r.start:r.end] == r.original


def test_apply_rejects_a_repair_that_does_not_fit():
    with pytest.raises(ValueError):
        apply_repairs("厉重", [Repair(0, 2, "严重", "重要", 0.9, "x")])


def test_repairs_never_cross_a_line(repairer):
    text = read(SAMPLES / "whitepaper.spun.txt")
    res = repairer.repair(text)
    assert all("\n" not in r.original and "\n" not in r.replacement for r in res.repairs)
    assert res.text.count("\n") == text.count("\n")


def test_repairer_is_safe_across_threads(repairer):
    from concurrent.futures import ThreadPoolExecutor
    texts = [read(p) for p in sorted((SAMPLES / "synthetic-dev").glob("*.spun.txt"))]
    expected = [repairer.repair(t).text for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: repairer.repair(t).text, texts * 3))
    assert got == expected * 3


# --- evaluate --------------------------------------------------------------
def test_changed_regions_merge_touching_edits():
    assert changed_regions("搜集空间", "网络空间") == [(0, 2, "网络")]
    assert changed_regions("进展和安详", "发展和安全") == [(0, 1, "发"), (4, 5, "全")]


def test_evaluate_counts_each_kind():
    figs, mistakes = evaluate("进展 厉重 安详 搜集", "发展 重要 安全 网络", "发展 重要 安定 搜集")
    assert (figs["TP"], figs["WRONG"], figs["FN"], figs["FP"]) == (2, 1, 1, 0)
    assert {m.kind for m in mistakes} == {"WRONG", "FN"}


def test_evaluate_false_changes_on_clean_text():
    figs, _ = evaluate("今天天气很好", "今天天气很好", "今天天色很好")
    assert figs["FP"] == 1 and figs["fp_per_1000_chars"] == pytest.approx(1000 / 6, abs=0.001)


# --- decoding: a third look at the neighbours of changed decisions ------------
@pytest.mark.parametrize("spun, fixed, second_pass_alone", [
    # the second pass made 庇护 维护; 协同 beside it was judged next to 庇护
    ("深化数字经济国际团结,协同庇护搜集空间安详,主动加入环球互联网统辖系统厘革和装备。",
     "深化数字经济国际合作,共同维护网络空间安全,积极参与全球互联网治理体系改革和建设。", "协同维护"),
    # 延续 became 不断 in the second pass; 巩固 beside it was judged next to 延续
    ("同时，定期举办养老护理员职业手艺竞赛，对非凡护理员给予表彰奖励，延续巩固这一职业的吸引力和社会认同感。",
     "同时，定期举办养老护理员职业技能竞赛，对优秀护理员给予表彰奖励，不断增强这一职业的吸引力和社会认同感。", "不断加强"),
])
def test_neighbours_of_a_changed_decision_are_scored_again(repairer, monkeypatch, spun, fixed, second_pass_alone):
    """Sentences of the dev data (the white paper's line 111, synthetic b04)
    whose gold needs the third look: without it the second pass leaves a
    reading chosen beside the first pass's neighbour."""
    assert repairer.repair(spun).text == fixed
    from textrepair.pipeline import Repairer
    monkeypatch.setattr(Repairer, "_rescore_neighbours_of_changes", lambda self, *args: args[-1])
    assert second_pass_alone in repairer.repair(spun).text


def _spam(text, word, at=None):
    at = text.index(word) if at is None else at
    return Repair(at, at + len(word), word, "", 0.9, "injected spam", "spam")


@pytest.mark.parametrize("text, spam, expected", [
    ("规模持续扩大，加微信：abc12345。", ["加微信：abc12345"], "规模持续扩大。"),   # a clause of its own
    ("规模扩大，PG电子官网，工作进展。", ["PG电子官网"], "规模扩大，工作进展。"),  # one comma of two goes
    ("PG电子官网，规模扩大。", ["PG电子官网"], "规模扩大。"),                  # at the line's start
    ("规模扩大，PG电子官网\n工作进展。", ["PG电子官网"], "规模扩大\n工作进展。"),  # at the line's end
    ("规模扩大，PG电子官网设备。", ["PG电子官网", "设备"], "规模扩大。"),       # a run of spam fills the clause
    # negatives: the separator stays
    ("规模扩大PG电子官网，工作进展。", ["PG电子官网"], "规模扩大，工作进展。"),  # glued to a word, not a clause
    ("规模扩大，PG电子官网设备好。", ["PG电子官网"], "规模扩大，设备好。"),    # the clause goes on
    ("PG电子官网", ["PG电子官网"], ""),
])
def test_spam_that_fills_a_clause_takes_its_separator(text, spam, expected):
    from textrepair.render import with_orphaned_separators
    repairs = sorted((_spam(text, w) for w in spam), key=lambda r: r.start)
    out = with_orphaned_separators(text, repairs)
    assert apply_repairs(text, out) == expected
    assert all(text[r.start:r.end] == r.original for r in out)


def test_a_separator_another_repair_changes_is_left_alone():
    from textrepair.render import with_orphaned_separators
    text = "规模扩大，PG电子官网。"
    comma = Repair(4, 5, "，", "、", 0.9, "test", "word")
    repairs = [comma, _spam(text, "PG电子官网")]
    assert with_orphaned_separators(text, repairs) == repairs


@pytest.mark.parametrize("bad, error", [(1.5, ValueError), (-0.1, ValueError), (float("nan"), ValueError),
                                        ("0.5", TypeError), (True, TypeError)])
def test_repair_checks_its_threshold(repairer, bad, error):
    with pytest.raises(error):
        repairer.repair("饱吹厉重效率", min_confidence=bad)


def test_a_threshold_above_the_script_repairs_keeps_the_script(repairer):
    """Converting a garbled-into-Traditional page is a repair at confidence
    SCRIPT_CONFIDENCE: above it, the page keeps its script and its words."""
    from textrepair.pipeline import SCRIPT_CONFIDENCE
    text = "堅持以群多為中央的進展思念，饱吹厉重效率。我們的發展思想很重要。"
    assert any(r.kind == "script" for r in repairer.repair(text).repairs)
    high = repairer.repair(text, min_confidence=min(1.0, SCRIPT_CONFIDENCE + 0.05))
    assert all(r.kind != "script" and r.confidence >= SCRIPT_CONFIDENCE for r in high.repairs)
    assert "我們的發展思想" in high.text


def test_zero_width_characters_only_between_han_characters():
    from textrepair.cleanup import apply_edits, find_zero_width
    text = "饱\u200b\u200d吹，\u200b开头，emoji 👨\u200d👩，Text\u200bRepair，尾\u200b"
    edits = find_zero_width(text)
    assert [(e.start, e.end) for e in edits] == [(1, 3)]
    assert apply_edits(text, edits) == "饱吹，\u200b开头，emoji 👨\u200d👩，Text\u200bRepair，尾\u200b"
