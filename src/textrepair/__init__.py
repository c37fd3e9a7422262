"""textrepair – repair Chinese text garbled by synonym spinners and keyword spam.

    >>> import textrepair
    >>> result = textrepair.repair(text)
    >>> result.text, result.repairs, result.spin_score
"""
__version__ = "0.1.0"  # before the imports: the cache keys on it

from .glossary import Glossary, GlossaryError, GlossaryRow
from .pipeline import DEFAULT_MIN_CONFIDENCE, SPUN_THRESHOLD, Repairer, repair
from .render import apply_repairs
from .result import Repair, Result

__all__ = [
    "DEFAULT_MIN_CONFIDENCE", "SPUN_THRESHOLD", "Glossary", "GlossaryError", "GlossaryRow",
    "Repair", "Repairer", "Result", "apply_repairs", "repair", "__version__",
]
