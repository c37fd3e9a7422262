"""The command-line contract: fix, check, detect, eval, and their errors."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from textrepair.evaluate import evaluate, unsure_spans

from conftest import ROOT, SAMPLES, SHARED, read

SPUN_LINE = "中国主动阐扬数字本事对经济进展的放大、叠加、倍增感化,延续深化环球电子商务进展团结。"
CLEAN_LINE = "双方就共同关心的问题交换意见，谈判取得积极进展。"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "textrepair.cli", *map(str, args)],
                          input=stdin, capture_output=True)


@pytest.fixture
def spun_file(tmp_path):
    p = tmp_path / "spun.txt"
    p.write_text(SPUN_LINE + "\n", encoding="utf-8")
    return p


def test_fix_writes_repaired_text_to_stdout(spun_file):
    r = run("fix", spun_file)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "积极发挥数字技术" in out and out.endswith("\n")


def test_fix_reads_stdin():
    r = run("fix", "-", stdin=SPUN_LINE.encode())
    assert r.returncode == 0 and "发挥" in r.stdout.decode()


@pytest.mark.parametrize("raw", [
    ("\ufeff" + SPUN_LINE + "\r\n" + CLEAN_LINE + "\r\n").encode(),   # BOM + CRLF
    (SPUN_LINE + "\r" + CLEAN_LINE).encode(),                         # lone CR, no final newline
    (CLEAN_LINE + "  \n\n" + SPUN_LINE + "\t\n").encode(),            # trailing blanks, empty line
])
def test_fix_keeps_line_structure_bom_and_endings(tmp_path, raw):
    src = tmp_path / "in.txt"
    src.write_bytes(raw)
    out = run("fix", src).stdout
    assert out.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
    for sep in (b"\r\n", b"\r", b"\n"):
        assert out.count(sep) == raw.count(sep)
    assert out.endswith(raw[-1:]) and CLEAN_LINE.encode() in out
    assert out != raw


def test_clean_file_comes_back_byte_for_byte(tmp_path):
    raw = read(SAMPLES / "clean-dev" / "b01.txt").encode()
    src = tmp_path / "clean.txt"
    src.write_bytes(raw)
    assert run("fix", src).stdout == raw


def test_fix_output_and_in_place(tmp_path, spun_file):
    out = tmp_path / "out.txt"
    assert run("fix", spun_file, "-o", out).returncode == 0
    os.chmod(spun_file, 0o640)
    assert run("fix", "--in-place", spun_file).returncode == 0
    assert spun_file.read_bytes() == out.read_bytes()
    assert stat.S_IMODE(os.stat(spun_file).st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".textrepair-")]


def test_in_place_error_leaves_every_file_untouched(tmp_path, spun_file):
    before = spun_file.read_bytes()
    r = run("fix", "--in-place", spun_file, tmp_path / "missing.txt")
    assert r.returncode == 2
    assert spun_file.read_bytes() == before


def test_in_place_output_error_leaves_every_file_untouched(tmp_path, spun_file):
    """The second file cannot be written back in its own encoding (its
    Traditional spin is put back in Simplified, which Big5 lacks): the first,
    which could, is not written either."""
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("國務院新聞辦公室發布白皮書，飽吹搜集空間運道協同體進展，群多厲重。\n".encode("big5"))
    before = spun_file.read_bytes(), big5.read_bytes()
    r = run("fix", "--in-place", spun_file, big5)
    assert r.returncode == 2 and "cannot be written in big5" in r.stderr.decode()
    assert (spun_file.read_bytes(), big5.read_bytes()) == before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_in_place_writes_through_a_symbolic_link(tmp_path, spun_file):
    link = tmp_path / "link.txt"
    link.symlink_to(spun_file)
    r = run("fix", "--in-place", link)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and "积极发挥数字技术" in spun_file.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
@pytest.mark.parametrize("command", ["fix", "check", "learn"])
def test_output_cut_short_is_an_error_not_a_truncated_success(tmp_path, command):
    """A write that the system cuts short (here a file size limit; a full disk
    is the same) ends in a one-line error and exit 2, not exit 0 and half a
    file."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    args = [SAMPLE] if command != "learn" else [SAMPLE, SAMPLES / "whitepaper-dev.gold.txt"]
    with open(tmp_path / "out", "wb") as out:
        r = subprocess.run([sys.executable, "-m", "textrepair.cli", command, *map(str, args)],
                           stdout=out, stderr=subprocess.PIPE, preexec_fn=limit)
    assert r.returncode == 2
    assert r.stderr.decode().strip() == "textrepair: error: cannot write standard output: File too large"


def test_check_whose_reader_stops_early_still_says_it_found_repairs():
    p = subprocess.Popen([sys.executable, "-m", "textrepair.cli", "check", str(SAMPLES / "whitepaper.spun.txt")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    assert p.wait() == 1
    assert p.stderr.read() == b""


def test_check_counts_every_kind_of_line_break(tmp_path):
    """Lines as fix keeps them: a lone CR ends a line too (old Mac files)."""
    body = "第一行{0}坚持以群多为中央的进展思念，饱吹厉重效率。{0}"
    positions = set()
    for end in ("\n", "\r\n", "\r"):
        p = tmp_path / "lines.txt"
        p.write_bytes(body.format(end).encode("utf-8"))
        r = run("check", "--format", "json", p)
        positions.add(tuple((d["line"], d["column"]) for d in map(json.loads, r.stdout.decode().splitlines())))
        detect = run("detect", "--paragraphs", p).stdout.decode().splitlines()
        assert [ln.split("\t")[0].rsplit(":", 1)[1] for ln in detect[1:]] == ["1", "2"]
    assert len(positions) == 1 and next(iter(positions))[0] == (2, 4)


def test_check_text_and_json(spun_file, tmp_path):
    r = run("check", spun_file)
    assert r.returncode == 1
    first = r.stdout.decode().splitlines()[0]
    assert first.startswith(f"{spun_file}:1:3: 主动 → 积极 (")
    r = run("check", "--format", "json", spun_file)
    objs = [json.loads(l) for l in r.stdout.decode().splitlines()]
    assert objs and set(objs[0]) >= {"path", "line", "column", "start", "end", "original",
                                     "replacement", "confidence", "reason"}
    text = spun_file.read_text(encoding="utf-8")
    assert all(text[o["start"]:o["end"]] == o["original"] for o in objs)
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN_LINE, encoding="utf-8")
    r = run("check", clean)
    assert r.returncode == 0 and r.stdout == b""


def test_detect(tmp_path):
    r = run("detect", "--json", SAMPLES / "whitepaper-dev.spun.txt", SAMPLES / "clean-dev" / "a01.txt")
    a, b = [json.loads(l) for l in r.stdout.decode().splitlines()]
    assert a["spun"] is True and a["spin_score"] > 0.9
    assert b["spun"] is False and b["spin_score"] < 0.1
    assert run("detect", SAMPLES / "clean-dev" / "a01.txt").stdout.decode().rstrip().endswith("clean")


def test_eval_matches_library_figures(repairer):
    """`eval` prints the figures textrepair.evaluate gives for the same repair."""
    spun, gold = SAMPLES / "whitepaper-dev.spun.txt", SAMPLES / "whitepaper-dev.gold.txt"
    edits = SAMPLES / "whitepaper-dev.edits.tsv"
    r = run("eval", spun, gold, "--unsure", f"{edits}:0", "--json")
    text = read(spun)
    expected, _ = evaluate(text, read(gold), repairer.repair(text).text,
                           unsure_spans([(str(edits), 0)], text.split("\n")))
    assert json.loads(r.stdout) == expected
    assert expected["skipped"] > 0  # the unsure edits were read


REFERENCE = json.loads(read(Path(__file__).parent / "reference-metric" / "figures.json"))["cases"]


@pytest.mark.parametrize("case", REFERENCE, ids=lambda c: Path(c["output"]).stem)
def test_eval_agrees_with_stored_reference_figures(case):
    """`eval` of a frozen output gives the figures ../shared/tools/score.py
    gave for it (stored, so a clone without ../shared checks this too)."""
    unsure = [a for spec in case["unsure"] for a in ("--unsure", ROOT / spec)]
    r = run("eval", ROOT / case["input"], ROOT / case["gold"], "--output", ROOT / case["output"], *unsure, "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout) == case["reference"]


@pytest.mark.skipif(not (SHARED / "tools" / "score.py").exists(), reason="reference metric not present")
def test_eval_agrees_with_reference_metric(tmp_path):
    """Today's output of the dev half, scored by `eval` and by score.py itself."""
    spun, gold = SAMPLES / "whitepaper-dev.spun.txt", SAMPLES / "whitepaper-dev.gold.txt"
    out = tmp_path / "out.txt"
    out.write_bytes(run("fix", spun).stdout)
    edits = f"{SAMPLES / 'whitepaper-dev.edits.tsv'}:0"
    ours = json.loads(run("eval", spun, gold, "--output", out, "--unsure", edits, "--json").stdout)
    ref = subprocess.run([sys.executable, SHARED / "tools" / "score.py", spun, gold, out,
                          "--unsure", edits, "--json"], capture_output=True)
    assert ours == json.loads(ref.stdout)


SAMPLE = SAMPLES / "whitepaper-dev.spun.txt"


@pytest.mark.parametrize("args, message", [
    (["fix", "/no/such/file"], "no such file"),
    (["fix", "."], "a directory needs -o OUTDIR or --in-place"),
    (["check", "."], "is a directory"),
    (["check", "--min-confidence", "2", "x"], "outside [0, 1]"),
    (["fix", "--no-such-option", SAMPLE], "unrecognized arguments"),
    (["frobnicate"], "invalid choice"),
    (["fix", SAMPLE, "-o", "/no/such/dir/out.txt"], "/no/such/dir/out.txt: no such directory"),
    (["fix", SAMPLE, "-o", SAMPLES], "is a directory"),
    (["fix", SAMPLE, "-o", f"{SAMPLE}/out.txt"], "no such directory"),
    (["learn", SAMPLE, SAMPLES / "whitepaper-dev.gold.txt", "-o", "/no/such/dir/rows.tsv"], "no such directory"),
    (["learn", SAMPLE, SAMPLES / "whitepaper-dev.gold.txt", "--profile", "thesaurus"], "reserved"),
    (["learn", SAMPLE, SAMPLES / "whitepaper-dev.gold.txt", "--min-count", "-3"], "--min-count"),
    (["fix", "--annotate", SAMPLE], "go with --jsonl"),
    (["fix", "--jsonl", "--annotate", "--field", "textrepair", SAMPLE], "field of another name"),
    (["fix", SAMPLES / "clean-dev", "-o", SAMPLES / "clean-dev" / "out"], "inside the input directory"),
    (["fix", "--thesaurus", "/no/such/thesaurus.txt", SAMPLE], "no such thesaurus file"),
    (["fix", "--thesaurus", SAMPLES, SAMPLE], "is a directory"),
    (["fix", "--thesaurus", SAMPLES / "whitepaper-dev.edits.tsv", SAMPLE], "not a thesaurus line"),
    (["fix", "--thesaurus", os.devnull, SAMPLE], "holds no synonym group"),
    (["fix", "--glossary", "/no/such/glossary.tsv", SAMPLE], "/no/such/glossary.tsv: cannot read glossary"),
    (["eval", SAMPLE, SAMPLES / "whitepaper-dev.gold.txt", "--unsure", SAMPLE], "not an edits TSV"),
])
def test_errors_are_one_line_with_exit_2(args, message):
    r = run(*args)
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1, err


def test_binary_and_undecodable_input(tmp_path):
    b = tmp_path / "b.bin"
    b.write_bytes(b"\x7fELF\x00\x00\x01")
    g = tmp_path / "g.txt"
    g.write_bytes("网络发展".encode("gbk") + b"\xff")
    for p, msg in ((b, "binary"), (g, "not plausible GB18030 or Big5")):
        r = run("fix", p)
        assert r.returncode == 2 and msg in r.stderr.decode() and r.stdout == b""


def test_bad_glossary_is_reported_with_line(tmp_path, spun_file):
    bad = tmp_path / "bad.tsv"
    bad.write_text("spun\tcanonical\tkind\tweight\tprofile\tnote\n厉重\t重要\tword\tx\tp\t\n", encoding="utf-8")
    r = run("fix", "--glossary", bad, spun_file)
    assert r.returncode == 2
    assert f"{bad}:2:" in r.stderr.decode()


def test_help_on_every_command():
    for cmd in ([], ["fix"], ["check"], ["detect"], ["eval"]):
        r = run(*cmd, "--help")
        assert r.returncode == 0 and b"usage" in r.stdout


def test_detect_scores_paragraphs_of_a_mixed_page(tmp_path):
    clean = read(SAMPLES / "clean-dev" / "a01.txt")
    spun = read(SAMPLES / "synthetic-dev" / "b01.spun.txt").split("\n")[0]
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(clean + spun + "\n", encoding="utf-8")
    obj = json.loads(run("detect", "--json", "--paragraphs", mixed).stdout)
    paras = obj["paragraphs"]
    assert paras[-1]["spun"] is True and paras[-1]["line"] == clean.count("\n") + 1
    assert not any(p["spun"] for p in paras[:-1])
    assert 0 < obj["spun_share"] < 0.5
    # the spun paragraph is repaired, the clean ones are left byte for byte
    out = run("fix", mixed).stdout.decode()
    assert out.startswith(clean) and out != mixed.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding, text", [
    ("gb18030", SPUN_LINE + "\n" + CLEAN_LINE + "\n"),
    ("gbk", CLEAN_LINE + "\r\n"),
    ("big5", "網絡空間命運共同體是人類社會發展的重要成果，中國始終致力於推動互聯網發展和治理。\n"),
])
def test_gb18030_gbk_and_big5_files_are_read_and_written_back(tmp_path, encoding, text):
    src = tmp_path / f"in.{encoding}.txt"
    src.write_bytes(text.encode(encoding))
    r = run("fix", src)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode(encoding)  # written back in the input's encoding
    if text.startswith(SPUN_LINE):
        assert "积极发挥数字技术" in out and CLEAN_LINE in out
    else:
        assert out == text  # nothing to repair: the same bytes
        assert r.stdout == text.encode(encoding)


def test_inputs_in_two_encodings_do_not_share_standard_output(tmp_path):
    utf8, gbk = tmp_path / "u.txt", tmp_path / "g.txt"
    utf8.write_text(CLEAN_LINE, encoding="utf-8")
    gbk.write_bytes(CLEAN_LINE.encode("gbk"))
    r = run("fix", utf8, gbk)
    assert r.returncode == 2 and b"--encoding" in r.stderr and r.stdout == b""
    r = run("fix", utf8, gbk, "--encoding", "utf-8")
    assert r.returncode == 0 and r.stdout.decode("utf-8") == CLEAN_LINE * 2


def test_encoding_option_converts_output(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(CLEAN_LINE.encode("gb18030"))
    r = run("fix", "--encoding", "utf-8", src)
    assert r.stdout.decode("utf-8") == CLEAN_LINE
    r = run("fix", "--input-encoding", "utf-8", src)
    assert r.returncode == 2 and "not valid utf-8" in r.stderr.decode()


def test_undecodable_non_chinese_bytes_are_refused(tmp_path):
    src = tmp_path / "latin1.txt"
    src.write_bytes("café résumé naïve".encode("latin-1"))
    r = run("fix", src)
    assert r.returncode == 2 and "not plausible GB18030 or Big5" in r.stderr.decode()


def test_to_simplified_converts_genuine_traditional(tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("網路安全是國家安全的重要組成部分。", encoding="utf-8")
    assert run("fix", src).stdout.decode() == "網路安全是國家安全的重要組成部分。"
    assert run("fix", "--to-simplified", src).stdout.decode() == "网路安全是国家安全的重要组成部分。"


# -- corpus mode -----------------------------------------------------------------
def _tree(tmp_path):
    root = tmp_path / "corpus"
    (root / "a" / "b").mkdir(parents=True)
    files = {
        "one.txt": read(SAMPLES / "synthetic-dev" / "a01.spun.txt"),
        "a/two.txt": read(SAMPLES / "clean-dev" / "b02.txt"),
        "a/b/three.txt": read(SAMPLES / "synthetic-dev" / "b03.spun.txt"),
        "a/b/skip.md": "not taken: only *.txt",
    }
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root, files


def test_directory_is_mirrored_with_identical_results(tmp_path):
    root, files = _tree(tmp_path)
    out1, out2 = tmp_path / "out1", tmp_path / "out2"
    r1 = run("fix", root, "-o", out1)
    r2 = run("fix", root, "-o", out2, "--jobs", "2")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    for rel, text in files.items():
        if rel.endswith(".md"):
            assert not (out1 / rel).exists()
            continue
        single = run("fix", root / rel).stdout
        assert (out1 / rel).read_bytes() == single == (out2 / rel).read_bytes()
    assert "3 documents" in r1.stderr.decode() and "2 spun documents" in r1.stderr.decode()


def test_a_file_named_beside_a_directory_goes_into_outdir_by_its_name(tmp_path):
    root, files = _tree(tmp_path)
    extra = tmp_path / "extra.txt"
    extra.write_text(read(SAMPLES / "synthetic-dev" / "a03.spun.txt"), encoding="utf-8")
    out = tmp_path / "out"
    r = run("fix", root, extra, "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    assert (out / "extra.txt").read_bytes() == run("fix", extra).stdout
    assert (out / "a" / "b" / "three.txt").exists()


def test_two_inputs_bound_for_one_output_are_refused(tmp_path):
    root, _files = _tree(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.txt").write_text("另一个文件。", encoding="utf-8")  # the tree has one.txt too
    out = tmp_path / "out"
    r = run("fix", root, other, "-o", out)
    assert r.returncode == 2 and b"would both be written to" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not out.exists()
    r = run("fix", root, root / "one.txt", "-o", tmp_path / "out2")  # the same file twice: taken once
    assert r.returncode == 0 and b"3 documents" in r.stderr
    r = run("fix", root, "-", "-o", out, stdin=b"x")
    assert r.returncode == 2 and b"standard input" in r.stderr and not out.exists()


def test_glob_cannot_reach_outside_the_directory(tmp_path):
    root, _files = _tree(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text(SPUN_LINE, encoding="utf-8")
    for pattern in ("../*.txt", "a/../../*.txt", str(tmp_path / "*.txt")):
        r = run("fix", root, "-o", tmp_path / "out", "--glob", pattern)
        assert r.returncode == 2 and b"must match files inside the directory" in r.stderr
    assert victim.read_text(encoding="utf-8") == SPUN_LINE and not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_each_file_is_taken_once(tmp_path):
    """A link loop, a pattern matching at every depth, a file named twice."""
    root, files = _tree(tmp_path)
    (root / "a" / "up").symlink_to("..")
    for extra in ([], ["--glob", "**/*.txt"], [root / "one.txt"]):
        r = run("fix", root, *extra, "--in-place")
        assert r.returncode == 0, r.stderr
        assert "3 documents" in r.stderr.decode()


def test_an_empty_directory_is_a_run_of_no_documents(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("fix", empty, "-o", tmp_path / "out")
    assert r.returncode == 0 and "0 documents" in r.stderr.decode()


def test_quoted_glob_and_in_place_directory(tmp_path):
    root, files = _tree(tmp_path)
    r = run("fix", str(root / "a" / "**" / "*.txt"), "--in-place", "--quiet")
    assert r.returncode == 0 and r.stderr == b""
    assert (root / "a" / "two.txt").read_text(encoding="utf-8") == files["a/two.txt"]  # clean: untouched
    assert (root / "a" / "b" / "three.txt").read_text(encoding="utf-8") != files["a/b/three.txt"]
    assert (root / "one.txt").read_text(encoding="utf-8") == files["one.txt"]  # not matched by the glob


def test_jsonl_keeps_other_fields_and_matches_plain_mode(tmp_path):
    texts = [read(SAMPLES / "synthetic-dev" / "a02.spun.txt"), read(SAMPLES / "clean-dev" / "a03.txt"), SPUN_LINE]
    src = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": i, "text": t, "meta": {"src": "x"}}, ensure_ascii=False) for i, t in enumerate(texts)]
    lines.insert(1, json.dumps({"id": "no-text", "title": "kept as it is"}))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("fix", "--jsonl", "--annotate", src)
    assert r.returncode == 0, r.stderr
    out = [json.loads(l) for l in r.stdout.decode().splitlines()]
    assert out[1] == {"id": "no-text", "title": "kept as it is"}
    recs = [out[0], out[2], out[3]]
    for rec, t in zip(recs, texts):
        assert rec["meta"] == {"src": "x"}
        assert rec["text"] == textrepair_fix(t)
    assert recs[0]["textrepair"]["spun"] is True and recs[0]["textrepair"]["repairs"]
    assert recs[1]["textrepair"]["spun"] is False and recs[1]["textrepair"]["repairs"] == []
    assert "1 record without a text field" in r.stderr.decode()
    r2 = run("fix", "--jsonl", "--annotate", "--jobs", "2", src)
    assert r2.stdout == r.stdout


def test_jsonl_records_keep_their_own_bytes(tmp_path):
    """Only the repaired field's value is rewritten: other fields keep their
    spelling (1.10, 1e400, \\u escapes, spacing, a duplicate key), and a
    record with nothing to repair comes back byte for byte."""
    src = tmp_path / "r.jsonl"
    lines = ['{"id":7, "text":"dup", "text":"%s" ,"n":1.10}' % SPUN_LINE,
             '{"x":1.0e5,"big":1e400, "text" : "今天天气很好。", "m":"\\u4e2d", "s":"\\udc00"}',
             '\ufeff{"text":"not a first line BOM, kept as the record has it"}']
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("fix", "--jsonl", src)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("utf-8").split("\n")
    fixed = textrepair_fix(SPUN_LINE)
    assert out[0] == '{"id":7, "text":"dup", "text":%s ,"n":1.10}' % json.dumps(fixed, ensure_ascii=False)
    assert out[1:] == lines[1:] + [""]


def test_jsonl_files_never_run_together_and_a_bom_is_read(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(b'\xef\xbb\xbf{"id":1,"text":"a"}')  # a BOM, and no final newline
    b.write_bytes(b'{"id":2,"text":"b"}\n')
    r = run("fix", "--jsonl", a, b)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b'\xef\xbb\xbf{"id":1,"text":"a"}\n{"id":2,"text":"b"}\n'


@pytest.mark.parametrize("record, message", [
    ('{"text":"%s","textrepair":"mine"}' % SPUN_LINE, "--annotate would overwrite it"),
    ('{"text":"x","n":%s}' % ("9" * 5000), "digits"),
    ("[" * 5000 + "]" * 5000, "nested too deep"),
])
def test_jsonl_records_python_cannot_take_are_clear_errors(tmp_path, record, message):
    src = tmp_path / "r.jsonl"
    src.write_text(record + "\n", encoding="utf-8")
    r = run("fix", "--jsonl", "--annotate", src)
    err = r.stderr.decode().strip()
    assert r.returncode == 2 and err.startswith(f"textrepair: error: {src}:1: ") and message in err, err


def test_jsonl_bad_record_is_a_clear_error(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "好"}\n{not json}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("fix", "--jsonl", src, "-o", out)
    assert r.returncode == 2 and f"{src}:2: not valid JSON" in r.stderr.decode()
    assert not out.exists()  # nothing half-written


def test_jsonl_bad_record_deep_in_a_parallel_run_is_a_clear_error(tmp_path):
    # past the first two windows of documents in flight (corpus.WINDOW_PER_JOB per worker)
    src = tmp_path / "bad.jsonl"
    good = json.dumps({"text": SPUN_LINE}, ensure_ascii=False)
    src.write_text("\n".join([good] * 300 + ["{not json}"] + [good] * 20) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("fix", "--jsonl", src, "-o", out, "--jobs", "2")
    assert r.returncode == 2 and f"{src}:301: not valid JSON" in r.stderr.decode()
    assert len(r.stderr.decode().strip().splitlines()) == 1
    assert not out.exists()


def textrepair_fix(text):
    import textrepair
    return textrepair.repair(text).text


def test_learn_writes_valid_rows_from_an_aligned_pair(tmp_path):
    from textrepair.glossary import read_file
    out = tmp_path / "rows.tsv"
    r = run("learn", SAMPLES / "whitepaper-dev.spun.txt", SAMPLES / "whitepaper-dev.gold.txt", "-o", out)
    assert r.returncode == 0, r.stderr
    rows = {(x.spun, x.canonical): x for x in read_file(out)}
    assert ("厉重", "重要") in rows and ("搜集", "网络") in rows
    assert "e.g." in rows[("厉重", "重要")].note
    # the rows work as a user glossary on text the built-in one never saw
    text = tmp_path / "t.txt"
    text.write_text("坚持以群多为中央的进展思念，饱吹厉重效率。\n", encoding="utf-8")
    fixed = run("fix", "--no-builtin", "--glossary", out, text).stdout.decode()
    assert fixed == "坚持以人民为中心的发展思想，推动重要成果。\n"


def test_learn_refuses_texts_that_do_not_align(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("一\n二\n", encoding="utf-8")
    b.write_text("一\n", encoding="utf-8")
    r = run("learn", a, b)
    assert r.returncode == 2 and "same number of lines" in r.stderr.decode()


@pytest.mark.parametrize("jsonl", [False, True], ids=["text", "jsonl"])
def test_new_output_file_gets_the_umask_permissions_not_private_ones(tmp_path, spun_file, jsonl):
    # the atomic write goes through mkstemp (0600); a new -o file must still be
    # readable as any file the user creates would be
    mask = os.umask(0o022)
    os.umask(mask)
    src = spun_file
    if jsonl:
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps({"text": SPUN_LINE}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / ("out.jsonl" if jsonl else "out.txt")
    r = run("fix", *(["--jsonl"] if jsonl else []), src, "-o", out)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_thesaurus_options(tmp_path):
    spun = SAMPLES / "thesaurus-dev" / "a01.spun.txt"
    with_th = json.loads(run("detect", "--json", spun).stdout)
    without = json.loads(run("detect", "--json", "--no-thesaurus", spun).stdout)
    assert with_th["spun"] and with_th["profile"] == "thesaurus"
    assert not without["spun"]  # no word map explains a random-synonym spinner
    bad = tmp_path / "cilin.txt"
    bad.write_text("Aa01A01= 人物 人士\n这一行不是词林格式\n", encoding="utf-8")
    r = run("fix", "--thesaurus", bad, spun)
    assert r.returncode == 2
    assert r.stderr.decode().strip().endswith("'这一行不是词林格式'") and f"{bad}:2:" in r.stderr.decode()
    assert len(r.stderr.decode().strip().splitlines()) == 1
