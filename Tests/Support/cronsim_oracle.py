#!/usr/bin/env python3
"""Reference fire times from cronsim for Keepwatch's differential test.

Input (argv[1]): JSON list of {"expr", "zone", "after" (unix seconds), "count"}.
Output (stdout): JSON list, one per case: {"fires": [unix seconds…]} or {"error": "…"}.

With --check, the input is a JSON list of {"expr", "zone", "instants"} and the output a list of
lists of booleans: whether each instant's local wall-clock time satisfies every field of the
expression, by cronsim's own field parser and day matcher (used to adjudicate disagreements).
cronsim may yield the same instant twice around a spring-forward gap; consecutive duplicates
are collapsed, since a schedule fires once per instant.
"""
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError


def fires(case):
    start = datetime.fromtimestamp(case["after"], ZoneInfo(case["zone"]))
    try:
        iterator = CronSim(case["expr"], start)
    except CronSimError as error:
        return {"error": str(error)}
    result = []
    for _ in range(case["count"] * 4):
        try:
            value = int(next(iterator).timestamp())
        except StopIteration:
            break
        if result and value == result[-1]:
            continue
        result.append(value)
        if len(result) == case["count"]:
            break
    return {"fires": result}


def matches(case):
    zone = ZoneInfo(case["zone"])
    spec = CronSim(case["expr"], datetime.fromtimestamp(0, zone))
    result = []
    for instant in case["instants"]:
        local = datetime.fromtimestamp(instant, zone)
        result.append(
            local.second in spec.seconds
            and local.minute in spec.minutes
            and local.hour in spec.hours
            and local.month in spec.months
            and spec.match_day(local.date())
        )
    return result


def main():
    check = sys.argv[1] == "--check"
    with open(sys.argv[-1]) as handle:
        cases = json.load(handle)
    json.dump([matches(case) if check else fires(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
