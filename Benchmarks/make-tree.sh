#!/usr/bin/env bash
# Builds the 1 GiB mixed tree the fs backup benchmarks archive (once; reused while it exists):
# 400 MiB of base64 text in 40 files, 300 MiB of random bytes in 3 files, ~300 MiB of 10 KiB log-like files.
set -euo pipefail
tree=${1:-/tmp/keepwatch-bench/tree-1g}
[ -f "$tree/.complete" ] && exit 0
rm -rf "$tree" && mkdir -p "$tree/text" "$tree/binary" "$tree/small"
for i in $(seq 1 40); do head -c 7864320 /dev/urandom | base64 -w 120 > "$tree/text/part-$i.txt"; done
for i in 1 2 3; do head -c 104857600 /dev/urandom > "$tree/binary/blob-$i.bin"; done
for d in $(seq 1 100); do
  mkdir -p "$tree/small/d$d"
  for f in $(seq 1 300); do
    printf '%s level=info msg="request served" path=/api/%d status=200 bytes=%d\n' "2026-11-23T09:00:$f" "$d" "$f" > "$tree/small/d$d/f$f.log"
    head -c 9800 /dev/urandom | base64 -w 100 >> "$tree/small/d$d/f$f.log"
  done
done
touch "$tree/.complete"
du -sh "$tree"
