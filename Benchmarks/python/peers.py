#!/usr/bin/env python3
"""Times cronsim and croniter on the cases of ScheduleBenchmarks, per call, for BENCHMARKS.md.

Each `next` case walks forward from 2026-01-01T00:00:00Z like the Swift benchmark; `parse` builds
the iterator (which parses the expression). Prints one line per case: median nanoseconds per call.
"""
import statistics
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from cronsim import CronSim
from croniter import croniter

NEXT_CASES = [
    ("*/15 9-17 * * 1-5", "UTC"), ("*/15 9-17 * * 1-5", "Europe/Riga"),
    ("0 3 * * *", "UTC"), ("0 3 * * *", "Europe/Riga"),
    ("0 4 * * 5L", "UTC"), ("0 4 * * 5L", "Europe/Riga"),
    ("30 2 * * *", "UTC"), ("30 2 * * *", "Europe/Riga"),
]
# croniter spells "last Friday" L5 rather than 5L.
CRONITER_SPELLING = {"0 4 * * 5L": "0 4 * * L5"}
BATCHES = 15
CALLS = 2000


def median_ns(make_iterator, step):
    samples = []
    for _ in range(BATCHES):
        iterator = make_iterator()
        began = time.perf_counter_ns()
        for _ in range(CALLS):
            step(iterator)
        samples.append((time.perf_counter_ns() - began) / CALLS)
    return statistics.median(samples)


def zone(name):
    return timezone.utc if name == "UTC" else ZoneInfo(name)


def measure():
    """{case name as the Swift benchmark names it: (cronsim ns, croniter ns)}"""
    results = {}
    for expression, zone_name in NEXT_CASES:
        start = datetime(2026, 1, 1, tzinfo=zone(zone_name))
        cronsim = median_ns(lambda: CronSim(expression, start), next)
        spelled = CRONITER_SPELLING.get(expression, expression)
        croniter_ns = median_ns(lambda: croniter(spelled, start), lambda it: it.get_next(datetime))
        results[f"next {expression} {zone_name}"] = (cronsim, croniter_ns)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for expression in sorted({e for e, _ in NEXT_CASES}):
        cronsim = median_ns(lambda: None, lambda _: CronSim(expression, start))
        spelled = CRONITER_SPELLING.get(expression, expression)
        croniter_ns = median_ns(lambda: None, lambda _: croniter(spelled, start))
        results[f"parse {expression}"] = (cronsim, croniter_ns)
    return results


def main():
    print(f"{'case':42} {'cronsim ns':>12} {'croniter ns':>12}")
    for case, (cronsim, croniter_ns) in measure().items():
        print(f"{case:42} {cronsim:12.0f} {croniter_ns:12.0f}")


if __name__ == "__main__":
    main()
