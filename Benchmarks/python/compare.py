#!/usr/bin/env python3
"""Reads the markdown that `swift package benchmark --format markdown` printed (argv[1]), times cronsim
and croniter on the same cases (peers.py), and prints one markdown table with the ratios."""
import re
import sys

import peers


def keepwatch_results(path):
    results = {}
    name = None
    with open(path) as handle:
        for line in handle:
            header = re.match(r"^### (.+?)\s*$", line)
            if header:
                name = header.group(1)
                continue
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if name and cells and cells[0].startswith("Time (wall clock)"):
                results.setdefault(name, {})["ns"] = float(cells[3])
            if name and cells and cells[0].startswith("Malloc (total)"):
                results.setdefault(name, {})["mallocs"] = int(cells[3])
    return results


def main():
    ours = keepwatch_results(sys.argv[1])
    theirs = peers.measure()
    print("| case | Keepwatch p50 ns | Keepwatch mallocs | cronsim ns | croniter ns | cronsim ÷ Keepwatch | croniter ÷ Keepwatch |")
    print("|:--|--:|--:|--:|--:|--:|--:|")
    for case, (cronsim_ns, croniter_ns) in theirs.items():
        mine = ours.get(case)
        if not mine:
            print(f"| {case} | missing | | {cronsim_ns:.0f} | {croniter_ns:.0f} | | |")
            continue
        print(f"| `{case}` | {mine['ns']:.0f} | {mine.get('mallocs', '?')} | {cronsim_ns:.0f} | {croniter_ns:.0f} "
              f"| {cronsim_ns / mine['ns']:.0f}× | {croniter_ns / mine['ns']:.0f}× |")


if __name__ == "__main__":
    main()
