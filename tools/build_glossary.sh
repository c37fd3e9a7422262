#!/usr/bin/env bash
# Rebuild data/glossary.tsv from the annotated sources (run from the repo root;
# needs the shared dev data at ../shared or SHARED=...).
set -euo pipefail
SHARED=${SHARED:-../shared}
S=$SHARED/data/sample
src=("dev gold=$S/whitepaper-dev.spun.txt:$S/whitepaper-dev.gold.txt:$S/whitepaper-dev.edits.tsv"
     "test-half reading=$S/whitepaper-test.spun.txt:curation/whitepaper-test.reading.txt:curation/whitepaper-test.reading.tsv")
for f in "$SHARED"/data/synthetic-dev/*.spun.txt; do src+=("synthetic dev=$f:${f%.spun.txt}.gold.txt"); done
python tools/build_glossary.py --profile spinner-a "${src[@]}" > data/glossary.tsv.new
mv data/glossary.tsv.new data/glossary.tsv
