"""Repair JSON Lines shards on Ray Data (the README's example, run by the tests).

usage: python examples/ray_repair.py SHARD_DIR OUT_DIR
"""
import sys

import ray

from textrepair.distributed import repair_dataset

src, out = sys.argv[1], sys.argv[2]
ray.init(num_cpus=4, include_dashboard=False)          # or ray.init(address="auto") on a cluster
ds = ray.data.read_json(src)                           # one record per line: {"id": ..., "text": ...}
ds = repair_dataset(ds, column="text", annotate=True, concurrency=2)
ds.write_json(out)                                     # adds textrepair_spin_score, _spun, _repairs
print(ds.count(), "documents repaired into", out)
