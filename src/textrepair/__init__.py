"""textrepair – repair Chinese text garbled by synonym spinners and keyword spam.

    >>> import textrepair
    >>> result = textrepair.repair(text)
    >>> result.text, result.repairs, result.spin_score
"""
from .glossary import Glossary, GlossaryError, GlossaryRow
from .pipeline import DEFAULT_MIN_CONFIDENCE, SPUN_THRESHOLD, Repairer, repair
from .render import apply_repairs
from .result import Repair, Result

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MIN_CONFIDENCE", "SPUN_THRESHOLD", "Glossary", "GlossaryError", "GlossaryRow",
    "Repair", "Repairer", "Result", "apply_repairs", "repair", "__version__",
]
