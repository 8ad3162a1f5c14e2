#!/usr/bin/env python3
"""Reference fire times from the oncalendar library (Healthchecks's) for Keepwatch's differential test.

Input (argv[1]): JSON list of {"expr", "zone", "after" (unix seconds), "count"}.
Output (stdout): JSON list, one per case: {"fires": [unix seconds…]} or {"error": "…"}.
A case that runs out of dates gives the fires it had.
"""
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from oncalendar import OnCalendar, OnCalendarError


def fires(case):
    start = datetime.fromtimestamp(case["after"], ZoneInfo(case["zone"]))
    try:
        iterator = OnCalendar(case["expr"], start)
        result = []
        for _ in range(case["count"]):
            try:
                result.append(int(next(iterator).timestamp()))
            except StopIteration:
                break
        return {"fires": result}
    except OnCalendarError as error:
        return {"error": str(error) or "invalid"}


def main():
    with open(sys.argv[1]) as handle:
        cases = json.load(handle)
    json.dump([fires(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
