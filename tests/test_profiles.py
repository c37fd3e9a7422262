"""Several word maps side by side: spinner-a (the sample page's) and
spinner-b (the classic spinner of 平易近 and 根蒂根基, curated from spun text
in the wild), and how a page is given to one of them."""
import subprocess
import sys

from textrepair.evaluate import evaluate
from textrepair.scoring import MIN_SPIN, best_possible

from conftest import ROOT, SAMPLES, read
from test_regression import pooled

# two lines of our own, written in the classic spinner's words (平易近 for 民,
# 根蒂根基 for 基础, 举措措施 for 设施, 收集 for 网络, 成长 for 发展 …)
SPUN_B = ("我国踊跃推进收集根蒂根基举措措施建设，数字经济连续成长，"
          "惠平易近便平易近的数字办事不停完美。\n"
          "如果体系呈现毛病，法式会主动从头毗连办事器，并写入日记。\n")
GOLD_B = ("我国积极推进网络基础设施建设，数字经济持续发展，"
          "惠民便民的数字服务不断完善。\n"
          "如果系统出现错误，程序会自动重新连接服务器，并写入日志。\n")


def _figures(folder, repairer):
    figs = []
    for p in sorted((SAMPLES / folder).glob("*.spun.txt")):
        spun, gold = read(p), read(str(p).replace(".spun.", ".gold."))
        figs.append(evaluate(spun, gold, repairer.repair(spun).text)[0])
    return pooled(figs)


def test_the_classic_spinner_is_its_own_profile(repairer):
    res = repairer.repair(SPUN_B)
    assert res.profile == "spinner-b" and res.spin_score > 0.99
    fig = evaluate(SPUN_B, GOLD_B, res.text)[0]
    assert fig["precision"] >= 0.9 and fig["recall"] >= 0.7, fig
    assert "平易近" not in res.text and "根蒂根基" not in res.text
    # a spinner-b page is repaired with spinner-b's rows only
    assert all(" spinner-b spin " in r.reason for r in res.repairs if r.kind == "word")


def test_spinner_b_sets(repairer):
    # text spun with the curated map (tools/make_profile_set.py): the
    # decoding, not the map, is what these measure
    p, r, _false = _figures("spinner-b-dev", repairer)
    assert p >= 0.90 and r >= 0.90
    p, r, _false = _figures("spinner-b-check", repairer)
    assert p >= 0.93 and r >= 0.88


def test_a_map_s_rows_apply_only_to_pages_it_explains(repairer):
    # 公道 → 公平 is a spinner-a row (split, as 公道合理 is one jieba word);
    # spinner-b writes 公道 for 公正, and spinner-a's row must stay out
    text = SPUN_B + "构建越发公道合理的收集空间管理系统。\n"
    res = repairer.repair(text)
    assert res.profile == "spinner-b"
    assert "公平合理" not in res.text
    assert not any("spinner-a" in r.reason for r in res.repairs)


def test_a_mixed_page_takes_the_map_of_its_spun_paragraph(repairer):
    clean = read(SAMPLES / "clean-dev" / "a01.txt")
    spun = read(SAMPLES / "synthetic-dev" / "b01.spun.txt").split("\n")[0]
    res = repairer.repair(clean + spun + "\n")
    assert res.spin_score < 0.5 and res.profile == "spinner-a"
    assert res.repairs and all(r.start >= len(clean) for r in res.repairs)
    assert res.text.startswith(clean)


def test_nothing_is_weighed_below_min_spin():
    assert best_possible(MIN_SPIN - 1e-9) == 0.0
    assert best_possible(MIN_SPIN) > 0.99  # context may still carry a paragraph judged spun


def test_clean_tech_prose_stays_clean(repairer):
    # the classic spinner's outputs include everyday words of technical
    # writing (应用, 办法, 体系, 对象); clean prose full of their canonicals
    # must not look spun
    text = ("在使用反向代理服务器时，我们通常需要在配置文件中设置上游模块。如果后端服务器出现故障，"
            "它会自动将请求转发到其他可用的节点。\n"
            "数据库连接池可以显著提高应用的性能。程序从池中取出一个空闲的连接，用完以后再放回去，"
            "这样就避免了频繁建立和关闭连接的开销。\n")
    res = repairer.repair(text)
    assert res.text == text and res.spin_score < 0.01


def test_the_profile_file_is_built_from_the_curated_pairs():
    built = subprocess.run([sys.executable, str(ROOT / "tools" / "build_profile.py"),
                            str(ROOT / "curation" / "spinner-b.pairs.tsv"), "--profile", "spinner-b"],
                           capture_output=True, check=True).stdout.decode("utf-8")
    assert built == read(ROOT / "data" / "spinner-b.tsv")


def test_split_candidates_come_from_the_page_s_map(repairer):
    text = "构建更加公道合理的治理体系。"
    tokens = repairer.tokenizer.tokenize(text)
    propose = repairer.index.propose_split
    assert any(c.replacement == "公平" for c in propose(text, tokens, repairer.tokenizer, profile="spinner-a"))
    assert not any(c.replacement == "公平" for c in propose(text, tokens, repairer.tokenizer, profile="spinner-b"))
    # no profile: every row, as before profiles were told apart
    assert any(c.replacement == "公平" for c in propose(text, tokens, repairer.tokenizer))


def test_a_page_is_decoded_as_one_word_map():
    # 延续 is a spin of 持续 or of 不断, too close to call alone; where the
    # page writes 不断 as 不停, a fixed map cannot also write it 延续
    from textrepair import Glossary, Repairer
    from textrepair.glossary import parse_rows
    rows = parse_rows("spun\tcanonical\tkind\tweight\tprofile\tnote\n"
                      "延续\t持续\tword\t0.6\ttoy\t\n延续\t不断\tword\t0.4\ttoy\t\n不停\t不断\tword\t0.97\ttoy\t\n"
                      "厉重\t重要\tword\t0.97\ttoy\t\n饱吹\t推动\tword\t0.97\ttoy\t\n坐褥\t生产\tword\t0.97\ttoy\t\n")
    toy = Repairer(glossary=Glossary(rows), thesaurus=False)
    page = "这是厉重的工作，要饱吹坐褥。厉重的是饱吹坐褥。"
    alone = toy.repair(page + "我们延续改进方法。")
    assert "延续改进" in alone.text  # an unsure lone choice is left undone
    mapped = toy.repair(page + "他们不停学习。我们延续改进方法。")
    assert "他们不断学习" in mapped.text and "持续改进" in mapped.text


def test_the_spinner_b_sets_are_made_by_the_tool(tmp_path):
    clean = sorted((SAMPLES / "clean-dev").glob("*.txt"))
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_profile_set.py"), str(tmp_path), *map(str, clean),
                    "--pairs", str(ROOT / "curation" / "spinner-b.pairs.tsv")], check=True, capture_output=True)
    shipped = sorted((SAMPLES / "spinner-b-dev").iterdir())
    assert [p.name for p in shipped] == sorted(p.name for p in tmp_path.iterdir())
    for p in shipped:
        assert read(tmp_path / p.name) == read(p), p.name


def test_a_spun_page_put_into_traditional_script_comes_back_simplified(repairer):
    # spam sites copy the classic spinner's output into Traditional script
    # (the wild white paper copy did); it is repaired as the Simplified page
    import opencc
    res = repairer.repair(opencc.OpenCC("s2t").convert(SPUN_B))
    assert res.profile == "spinner-b"
    assert res.text == GOLD_B


def test_a_bad_pairs_file_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "pairs.tsv"
    bad.write_text("# a comment\nspun\tcanonical\tcount\tevidence\n根蒂根基\t基础\t2\tseen\n根蒂根基\t基础\t1\tagain\n",
                   encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build_profile.py"), str(bad), "--profile", "p"],
                       capture_output=True)
    assert r.returncode != 0 and r.stdout == b""
    assert f"{bad}:4: duplicate pair".encode() in r.stderr


def test_clean_paragraphs_pasted_into_a_spun_page_are_left_alone(repairer):
    """A paragraph borrows only so much of its page's evidence (MAX_LENT):
    each clean dev paragraph, appended to the spun sample page, keeps its
    own clean verdict and its words (before the cap: 22 false changes per
    1,000 characters, every paragraph scored 1.0)."""
    page = read(SAMPLES / "whitepaper.spun.txt").rstrip()
    changed = chars = spun = total = 0
    for path in sorted((SAMPLES / "clean-dev").glob("*.txt")):
        for para in (p for p in read(path).split("\n") if len(p.strip()) >= 40):
            res = repairer.repair(page + "\n" + para + "\n")
            start = len(page) + 1
            changed += sum(r.start >= start for r in res.repairs)
            chars += len(para)
            spun += sum(score >= 0.5 for s, _e, score in res.paragraph_scores if s >= start)
            total += 1
    assert 1000 * changed / chars <= 0.5
    assert spun <= total // 10


def test_a_text_with_nothing_spun_names_no_word_map(repairer):
    """Every text fits some map best; only a spun one (or one with a spun
    paragraph) is said to come from it."""
    for path in sorted((SAMPLES / "clean-dev").glob("*.txt")) + [SAMPLES / "clean-literary" / "pd199801-00320.txt"]:
        assert repairer.repair(read(path)).profile is None
    assert repairer.repair("").profile is None
    assert repairer.repair(read(SAMPLES / "whitepaper-dev.spun.txt")).profile == "spinner-a"
