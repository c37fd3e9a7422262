"""Types of the optional C module ``_scoring.c`` (the signatures its docstrings
and argument parsing give)."""
from typing import Any, Callable, Optional, Sequence, final

from .candidates import Candidate

# The context model's lookups as tables of code points (context.c_table_parts):
# each part None, or the buffers of a _route.Table and its records.
@final
class Tables:
    def __new__(cls, collocations: Optional[tuple[Any, ...]], compounds: Optional[tuple[Any, ...]],
                counts: Optional[tuple[Any, ...]], total: float) -> "Tables": ...

# A ContextScorer bound to one block (context.ContextScorer.bind makes it).
# Not subclassable (no Py_TPFLAGS_BASETYPE).
@final
class Context:
    def __new__(cls, constants: tuple[Any, ...], text: str, starts: Sequence[int], ends: Sequence[int],
                replacements: list[str], tokens: Sequence[tuple[int, int, str]], token_repl: dict[int, str],
                names: Sequence[tuple[int, int]], tables: Tables, freq: Optional[Callable[[str], int]],
                search_compound: Callable[[str, str, str], Optional[str]]) -> "Context": ...
    def fit_evidences(self, start: int, end: int, token_index: Optional[int], original: str,
                      words: Sequence[str], /) -> list[tuple[float, Optional[str], float]]: ...

def score_tokens(context: Context, by_token: dict[int, list[Candidate]], token_spin: dict[int, float],
                 posteriors: dict[str, dict[str, float]], page_forms: Optional[dict[str, dict[str, float]]],
                 profile_name: str, pseudo: float, max_spin_share: float, choice_odds: float, /) -> None: ...

def choose(candidates: Sequence[Candidate], min_confidence: float, /) -> list[Candidate]: ...

# why: (prior, spin, (score, phrase, bigram fit), the same of the word kept, profile name)
def describe_reading(original: str, replacement: str, thesaurus: bool, why: tuple[Any, ...], /) -> str: ...

# the Repair of each chosen candidate, as pipeline._repair_words writes them
def make_repairs(chosen: list[Candidate], text: str, offset: int, shared: dict[str, str],
                 confidences: dict[float, float], render: Optional[Callable[[str], str]],
                 repair_type: type[Any], /) -> list[Any]: ...
