import pytest

from textrepair import Glossary, GlossaryError, Repairer
from textrepair.glossary import HEADER, builtin_paths, parse_rows, read_file

HEAD = "\t".join(HEADER) + "\n"


def test_builtin_glossary_loads_and_is_valid():
    g = Glossary.load()
    assert len(g) > 500
    kinds = {r.kind for r in g.rows}
    assert kinds == {"word", "phrase", "spam"}
    # known true pairs of the sample page
    assert "发展" in {r.canonical for r in g.by_spun["进展"]}
    assert "重要" in {r.canonical for r in g.by_spun["厉重"]}
    for path in builtin_paths():
        assert read_file(path)


@pytest.mark.parametrize("body, message", [
    ("厉重\t重要\tword\t0.9\tp\n", None),
    ("厉重\t重要\tword\n", "expected 6 tab-separated fields, found 3"),
    ("厉重\t重要\tword\t0.9\tp\tnote\textra\n", "expected 6 tab-separated fields, found 7"),
    ("\t重要\tword\t0.9\tp\t\n", "empty 'spun'"),
    ("厉重\t\tword\t0.9\tp\t\n", "empty 'canonical'"),
    ("厉重\t重要\tverb\t0.9\tp\t\n", "kind must be one of"),
    ("厉重\t重要\tword\theavy\tp\t\n", "is not a number"),
    ("厉重\t重要\tword\t1.5\tp\t\n", "outside [0, 1]"),
    ("厉重\t重要\tword\t０.５\tp\t\n", "is not a number"),   # float() would take full-width digits
    ("厉重\t重要\tword\tnan\tp\t\n", "is not a number"),
    ("厉重\t重要\tword\t.5\tp\t\n", None),
    ("厉重\t重要\tword\t0.9\t p\t\n", "surrounding spaces"),
    ("厉重\t重要\tword\t0.9\t\t\n", "empty 'profile'"),
    ("厉重\t重要\tword\t0.9\tthesaurus\t\n", "reserved for the thesaurus spinner"),
    ("垃圾\t不该\tspam\t0.9\tp\t\n", "spam row must have an empty 'canonical'"),
    ("重要\t重要\tword\t0.9\tp\t\n", "are the same"),
    ("厉重\t重要\tword\t0.9\tp\t\n厉重\t重要\tword\t0.5\tp\t\n", "duplicate row"),
])
def test_validation_names_file_and_line(body, message):
    text = "# comment\n" + HEAD + body
    if message is None:
        assert parse_rows(text, "g.tsv")[0].spun == "厉重"
        return
    with pytest.raises(GlossaryError) as exc:
        parse_rows(text, "g.tsv")
    assert str(exc.value).startswith("g.tsv:")
    assert message in str(exc.value)
    line = int(str(exc.value).split(":")[1])
    assert line == text.count("\n") if "duplicate" in message else line == 3


def test_missing_header_is_an_error():
    with pytest.raises(GlossaryError, match="g.tsv:1: .*header"):
        parse_rows("厉重\t重要\tword\t0.9\tp\t\n", "g.tsv")


def test_swapped_pairs_are_legal():
    rows = parse_rows(HEAD + "体系\t系统\tword\t0.9\tp\t\n系统\t体系\tword\t0.9\tp\t\n")
    assert len(Glossary(rows).rows) == 2


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(GlossaryError, match="cannot read"):
        read_file(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(HEAD.encode() + "厉重\t重要\tword\t0.9\tp\t\n".encode("gbk"))
    with pytest.raises(GlossaryError, match="bad.tsv:2: .*UTF-8"):
        read_file(bad)


def test_one_glossary_path_is_taken_whole(tmp_path):
    """Repairer("rows.tsv") reads that file, not files named r, o, w, ..."""
    extra = tmp_path / "rows.tsv"
    extra.write_text("\t".join(HEADER) + "\n厉重\t严重\tword\t0.9\tmine\t\n", encoding="utf-8")
    for path in (str(extra), extra):
        rep = Repairer(path, builtin=False, thesaurus=False)
        assert [r.canonical for r in rep.glossary.by_spun["厉重"]] == ["严重"]


def test_user_file_extends_and_overrides(tmp_path):
    extra = tmp_path / "extra.tsv"
    # a new pair, and the built-in 厉重→重要 switched off with weight 0
    extra.write_text(HEAD + "瞎编词\t真词语\tword\t0.99\tspinner-a\tuser row\n"
                     "厉重\t重要\tword\t0\tspinner-a\tswitched off\n", encoding="utf-8")
    rep = Repairer([extra])
    assert "厉重" not in rep.glossary.by_spun
    text = "坚持以群多为中央的进展思念，这是瞎编词，也是厉重的。"
    out = rep.repair(text).text
    assert "真词语" in out and "厉重" in out and "人民" in out
