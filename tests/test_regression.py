"""Accuracy on the shipped dev data, with the issue's figures as floors."""

from textrepair.evaluate import evaluate, unsure_spans

from conftest import SAMPLES, read


def pooled(figs):
    tp = sum(f["TP"] for f in figs)
    fp = sum(f["FP"] for f in figs)
    fn = sum(f["FN"] for f in figs)
    wr = sum(f["WRONG"] for f in figs)
    chars = sum(f["chars"] for f in figs)
    return tp / max(1, tp + fp + wr), tp / max(1, tp + fn + wr), 1000 * (fp + wr) / chars


def test_sample_dev_half(repairer):
    spun = read(SAMPLES / "whitepaper-dev.spun.txt")
    gold = read(SAMPLES / "whitepaper-dev.gold.txt")
    uns = unsure_spans([(str(SAMPLES / "whitepaper-dev.edits.tsv"), 0)], spun.split("\n"))
    figs, _ = evaluate(spun, gold, repairer.repair(spun).text, uns)
    assert figs["precision"] >= 0.97
    assert figs["recall"] >= 0.90


def test_clean_dev_texts_stay_clean(repairer):
    figs = []
    for p in sorted((SAMPLES / "clean-dev").glob("*.txt")):
        text = read(p)
        out = repairer.repair(text).text
        assert out.count("\n") == text.count("\n")
        figs.append(evaluate(text, text, out)[0])
    assert pooled(figs)[2] <= 0.2


def test_synthetic_dev(repairer):
    figs = []
    for p in sorted((SAMPLES / "synthetic-dev").glob("*.spun.txt")):
        spun, gold = read(p), read(str(p).replace(".spun.", ".gold."))
        figs.append(evaluate(spun, gold, repairer.repair(spun).text)[0])
    precision, recall, _ = pooled(figs)
    # Issue 2 asks for precision >= 0.95 and recall >= 0.90 here; we measure
    # 0.952 and 0.961 (see the README's accuracy table).
    assert precision >= 0.95
    assert recall >= 0.95
