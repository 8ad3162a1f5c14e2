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


def main():
    print(f"{'case':42} {'cronsim ns':>12} {'croniter ns':>12}")
    for expression, zone_name in NEXT_CASES:
        start = datetime(2026, 1, 1, tzinfo=zone(zone_name))
        cronsim = median_ns(lambda: CronSim(expression, start), next)
        croniter_ns = median_ns(lambda: croniter(expression, start), lambda it: it.get_next(datetime))
        print(f"{'next ' + expression + ' ' + zone_name:42} {cronsim:12.0f} {croniter_ns:12.0f}")
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for expression in sorted({e for e, _ in NEXT_CASES}):
        cronsim = median_ns(lambda: None, lambda _: CronSim(expression, start))
        croniter_ns = median_ns(lambda: None, lambda _: croniter(expression, start))
        print(f"{'parse ' + expression:42} {cronsim:12.0f} {croniter_ns:12.0f}")


if __name__ == "__main__":
    main()
