"""Ray Data integration, on a local Ray instance (installed by .ci/run through
the [ray] extra; skipped where Ray is not installed)."""
import json

import pytest

from conftest import SAMPLES, read

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    # logical CPUs: the read tasks and the two repair actors must all fit at once
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield
    ray.shutdown()


def test_dataset_from_jsonl_shards_matches_single_machine(local_ray, tmp_path, repairer):
    from textrepair.distributed import repair_dataset
    texts = [read(p) for p in sorted((SAMPLES / "synthetic-dev").glob("*.spun.txt"))[:4]]
    texts += [read(p) for p in sorted((SAMPLES / "clean-dev").glob("*.txt"))[:4]]
    shards = tmp_path / "shards"
    shards.mkdir()
    for k in range(2):
        with open(shards / f"part-{k}.jsonl", "w", encoding="utf-8") as fh:
            for i, t in enumerate(texts[k::2]):
                fh.write(json.dumps({"id": f"{k}-{i}", "text": t}, ensure_ascii=False) + "\n")
    ds = ray.data.read_json(str(shards))
    rows = repair_dataset(ds, annotate=True, concurrency=2).take_all()
    assert len(rows) == len(texts)
    by_id = {r["id"]: r for r in rows}
    for k in range(2):
        for i, t in enumerate(texts[k::2]):
            row = by_id[f"{k}-{i}"]
            expected = repairer.repair(t)
            assert row["text"] == expected.text
            assert row["textrepair_spun"] == (expected.spin_score >= 0.5)
            assert json.loads(row["textrepair_repairs"]) == [r.as_dict() for r in expected.repairs]


def test_readme_example_runs_as_written(tmp_path):
    import subprocess
    import sys
    from conftest import ROOT
    shards = tmp_path / "shards"
    shards.mkdir()
    spun = read(SAMPLES / "synthetic-dev" / "a01.spun.txt")
    (shards / "part-0.jsonl").write_text(json.dumps({"id": 1, "text": spun}, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "ray_repair.py"), str(shards), str(out)],
                       capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    rows = [json.loads(line) for p in sorted(out.glob("*.json*")) for line in p.read_text().splitlines()]
    import textrepair
    assert rows[0]["text"] == textrepair.repair(spun).text and rows[0]["textrepair_spun"] is True
