"""Names hit by a single spinner swap (连合国, 中幼微企业, 一带一同) are
repaired; real names are never turned into other names."""
import pytest

from textrepair.terms import read_terms
from textrepair.glossary import data_path

# a spun context, so the document model knows the page is spun
CONTEXT = "饱吹厉重进展，{}揭橥了新的举措。"
TERMS = read_terms(data_path("terms.tsv"))


def corrupted_names(repairer):
    """Each curated term with one character swapped the way the spinner swaps
    characters (pairs learned from the glossary's spinner-a rows: CONTEXT is
    a spinner-a page), where the result is not a word or a name itself."""
    by_canonical = {}
    pairs = [pair for pair, profiles in repairer.terms.pair_profiles.items() if "spinner-a" in profiles]
    for (spun, canonical) in sorted(pairs):
        by_canonical.setdefault(canonical, []).append(spun)
    out = []
    for term in TERMS:
        for i, ch in enumerate(term):
            swaps = [s for s in by_canonical.get(ch, [])
                     if term[:i] + s + term[i + 1:] not in repairer.terms.terms
                     and not repairer.tokenizer.freq(term[:i] + s + term[i + 1:])]
            if swaps:
                out.append((term, term[:i] + swaps[0] + term[i + 1:]))
                break
    return out


def test_corrupted_names_are_repaired(repairer):
    cases = corrupted_names(repairer)
    assert len(cases) >= 40
    repaired = [t for t, w in cases if t in repairer.repair(CONTEXT.format(w)).text]
    assert len(repaired) / len(cases) >= 0.9


@pytest.mark.parametrize("term", TERMS)
def test_real_names_stay_in_spun_text(repairer, term):
    assert term in repairer.repair(CONTEXT.format(term)).text


def test_a_swap_counts_only_on_pages_of_a_map_that_makes_it(repairer):
    # a character swap only spinner-b's rows make is no evidence on a spinner-a page
    profiles = repairer.terms.pair_profiles
    only_b = sorted(p for p, prof in profiles.items() if prof == ("spinner-b",))
    assert only_b
    by_canonical = {}
    for spun, canonical in only_b:
        by_canonical.setdefault(canonical, []).append(spun)
    for term in TERMS:
        for i, ch in enumerate(term):
            for s in by_canonical.get(ch, []):
                window = term[:i] + s + term[i + 1:]
                if window not in repairer.terms.terms and not repairer.tokenizer.freq(window):
                    out = repairer.repair(CONTEXT.format(window)).text
                    assert window in out, (term, window)  # a spinner-a page: not this map's swap
                    return
    pytest.skip("no term is one spinner-b-only swap from a non-word")


@pytest.mark.parametrize("text", [
    "美国银行和中国银行今天公布财报。",      # two real names one character apart
    "中国坚定维护以联合国为核心的国际体系。",
])
def test_names_in_clean_text_untouched(repairer, text):
    assert repairer.repair(text).text == text
