"""Ray Data integration: repair a dataset of documents on a cluster.

Ray Data is the engine that data-juicer and NeMo Curator run their Chinese
and web-corpus cleaning on, so textrepair plugs in as one more map step::

    import ray
    from textrepair.distributed import repair_dataset

    ds = ray.data.read_json("shards/*.jsonl")
    ds = repair_dataset(ds, column="text", annotate=True)
    ds.write_json("repaired/")

Each Ray actor loads the glossary and models once (from the disk cache) and
repairs whole batches; a document's result is the same as
``textrepair.repair`` gives on one machine.  Install with
``pip install 'textrepair[ray]'``.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Optional

from .pipeline import DEFAULT_MIN_CONFIDENCE, SPUN_THRESHOLD


class RepairBatch:
    """A Ray Data callable class: one Repairer per actor, reused for every batch."""

    def __init__(self, column: str = "text", annotate: bool = False, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                 glossaries: Optional[Iterable[str]] = None, to_simplified: bool = False):
        from .pipeline import Repairer
        self.column = column
        self.annotate = annotate
        self.to_simplified = to_simplified
        self.repairer = Repairer(list(glossaries) if glossaries else None, min_confidence=min_confidence)

    def __call__(self, batch: Dict[str, Any]) -> Dict[str, Any]:
        import numpy as np
        texts = batch[self.column]
        out, scores, spun, repairs = [], [], [], []
        for value in texts:
            if not isinstance(value, str):  # missing or non-text: passed through as it is
                out.append(value)
                scores.append(float("nan"))
                spun.append(False)
                repairs.append("[]")
                continue
            result = self.repairer.repair(value, to_simplified=self.to_simplified)
            out.append(result.text)
            scores.append(result.spin_score)
            spun.append(result.spin_score >= SPUN_THRESHOLD)
            repairs.append(json.dumps([r.as_dict() for r in result.repairs], ensure_ascii=False))
        batch = dict(batch)
        batch[self.column] = np.array(out, dtype=object)
        if self.annotate:
            batch["textrepair_spin_score"] = np.array(scores, dtype=float)
            batch["textrepair_spun"] = np.array(spun, dtype=bool)
            batch["textrepair_repairs"] = np.array(repairs, dtype=object)  # JSON text, one list per row
        return batch


def repair_dataset(ds, *, column: str = "text", annotate: bool = False,
                   min_confidence: float = DEFAULT_MIN_CONFIDENCE, glossaries: Optional[Iterable[str]] = None,
                   to_simplified: bool = False, concurrency: Optional[int] = None, batch_size: int = 64):
    """A Ray Dataset with ``column`` repaired (and, with ``annotate``, the
    columns textrepair_spin_score, textrepair_spun and textrepair_repairs)."""
    return ds.map_batches(
        RepairBatch,
        fn_constructor_kwargs={"column": column, "annotate": annotate, "min_confidence": min_confidence,
                               "glossaries": list(glossaries) if glossaries else None,
                               "to_simplified": to_simplified},
        batch_format="numpy",
        batch_size=batch_size,
        concurrency=concurrency or 1,
    )
