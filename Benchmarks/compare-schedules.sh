#!/usr/bin/env bash
# Runs the schedule benchmarks and times cronsim and croniter on the same cases, in one run,
# then prints the table recorded in BENCHMARKS.md. Needs: ../scripts/install-deps && ../scripts/install-test-deps (cronsim, croniter)
set -euo pipefail
cd "$(dirname "$0")"
output=$(mktemp)
trap 'rm -f "$output"' EXIT
swift package --disable-sandbox benchmark --format markdown --no-progress > "$output"
python3 python/compare.py "$output"
