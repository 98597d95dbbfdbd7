#!/usr/bin/env python3
"""Writes core/testdata/tz-offsets.txt and tz-locals.txt: what Python's
zoneinfo (another implementation, on the system's time-zone database) says
around each change of five zones, for core/src/tz.rs's tests to agree with.

  zone instant_ms offset_s                every 30 min across each change day
  zone YYYY-MM-DD second_of_day instant_ms  every half hour of those local days
                                            (fold=0: gaps forward, overlaps earlier)
"""
import datetime as d
import pathlib
from zoneinfo import ZoneInfo

UTC = d.timezone.utc
DAYS = {
    "Europe/Berlin": [(2027, 3, 28), (2027, 10, 31), (2027, 1, 1)],
    "America/New_York": [(2027, 3, 14), (2027, 11, 7), (2027, 1, 1)],
    "Australia/Sydney": [(2027, 4, 4), (2027, 10, 3), (2027, 1, 1), (2026, 12, 31)],
    "Asia/Kolkata": [(2027, 3, 28)],
    "UTC": [(2027, 3, 28)],
}
out = pathlib.Path(__file__).resolve().parent.parent / "core" / "testdata"
offsets, locals_ = [], []
for zone, days in DAYS.items():
    tz = ZoneInfo(zone)
    for y, m, day in days:
        base = d.datetime(y, m, day, tzinfo=UTC) - d.timedelta(hours=14)
        for i in range(76):
            t = base + d.timedelta(minutes=30 * i)
            offsets.append(f"{zone} {int(t.timestamp() * 1000)} {int(t.astimezone(tz).utcoffset().total_seconds())}")
        for i in range(48):
            h, mi = divmod(30 * i, 60)
            local = d.datetime(y, m, day, h, mi, tzinfo=tz, fold=0)
            instant = int(local.astimezone(UTC).timestamp() * 1000)
            locals_.append(f"{zone} {y:04}-{m:02}-{day:02} {h * 3600 + mi * 60} {instant}")
(out / "tz-offsets.txt").write_text("\n".join(offsets) + "\n")
(out / "tz-locals.txt").write_text("\n".join(locals_) + "\n")
print(f"{len(offsets)} offsets, {len(locals_)} local times")
