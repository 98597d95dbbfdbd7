// Unit tests of app/time.ts (times in the user's zone). Run by
// web/client/test/run.mjs (scripts/test's web step), or alone:
//
//   node web/client/test/run-ts.mjs web/app/time.test.ts
//
// It throws at the first failure; `checks` counts what passed.

import { browserZone, fixedOffset, formatInZone, localDate, zoneChoices } from "./time.js";

export let checks = 0;
function eq(what: string, got: unknown, want: unknown): void {
  checks++;
  if (got !== want) throw new Error(`FAIL time: ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

// 2027-01-15 16:00 UTC (winter: Berlin +01:00, New York -05:00), and
// 2027-07-15 16:00 UTC (summer: Berlin +02:00, New York -04:00).
const winter = Date.UTC(2027, 0, 15, 16, 0);
const summer = Date.UTC(2027, 6, 15, 16, 0);
eq("the winter instant", winter, 1_800_028_800_000);
const hm: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const at = (ms: number, zone: string | null, fallback?: number) => formatInZone(ms, zone, hm, "en-GB", fallback);

// Fixed offsets, as the service takes them (-12:00..=+14:00).
eq("+05:30", fixedOffset("+05:30"), 330);
eq("-03:00", fixedOffset("-03:00"), -180);
eq("+00:00", fixedOffset("+00:00"), 0);
eq("+14:00", fixedOffset("+14:00"), 840);
eq("-12:00", fixedOffset("-12:00"), -720);
eq("+14:30 is out of range", fixedOffset("+14:30"), null);
eq("-12:30 is out of range", fixedOffset("-12:30"), null);
eq("+05:60 is no offset", fixedOffset("+05:60"), null);
eq("+5:30 is no offset", fixedOffset("+5:30"), null);
eq("05:30 is no offset", fixedOffset("05:30"), null);
eq("a name is no offset", fixedOffset("Europe/Berlin"), null);

// Names of the database, through Intl, across daylight-saving time.
eq("Berlin in winter", at(winter, "Europe/Berlin"), "17:00");
eq("Berlin in summer", at(summer, "Europe/Berlin"), "18:00");
eq("New York in winter", at(winter, "America/New_York"), "11:00");
eq("New York in summer", at(summer, "America/New_York"), "12:00");
eq("Kolkata", at(winter, "Asia/Kolkata"), "21:30");
eq("UTC", at(winter, "UTC"), "16:00");
// Fixed offsets and no zone, computed here.
eq("+05:30", at(winter, "+05:30"), "21:30");
eq("-03:00", at(winter, "-03:00"), "13:00");
eq("+14:00", at(winter, "+14:00"), "06:00");
eq("no zone chosen yet is UTC", at(winter, null), "16:00");
// A name this browser does not know: the snapshot's offset, else UTC.
eq("an unknown name with the snapshot's offset", at(winter, "Mars/Olympus", 60), "17:00");
eq("an unknown name without one", at(winter, "Mars/Olympus"), "16:00");
// The date moves with the zone.
const late = Date.UTC(2027, 0, 15, 20, 0);
const dt: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
eq("+05:30 past midnight", formatInZone(late, "+05:30", dt, "en-GB"), "16/01/2027, 01:30");
eq("Tokyo past midnight", formatInZone(late, "Asia/Tokyo", dt, "en-GB"), "16/01/2027, 05:00");
eq("-03:00 the same day", formatInZone(late, "-03:00", dt, "en-GB"), "15/01/2027, 17:00");
eq("the default format names date and time", formatInZone(winter, "Europe/Berlin", undefined, "en-GB"), "15/01/2027, 17:00");
eq("the local date in +05:30", localDate(late, "+05:30"), "2027-01-16");
eq("the local date in Tokyo", localDate(late, "Asia/Tokyo"), "2027-01-16");
eq("the local date in Los Angeles", localDate(Date.UTC(2027, 0, 16, 3, 0), "America/Los_Angeles"), "2027-01-15");
eq("the local date with no zone", localDate(late, null), "2027-01-15");

// What the picker offers.
const zones = zoneChoices();
eq("UTC is offered", zones.includes("UTC"), true);
eq("Europe/Berlin is offered", zones.includes("Europe/Berlin"), true);
eq("the browser's zone is offered", zones.includes(browserZone()), true);
eq("each zone once", new Set(zones).size, zones.length);
eq("sorted", zones.every((z, i) => i === 0 || zones[i - 1] < z), true);
eq("the browser's zone is a name", typeof browserZone() === "string" && browserZone().length > 0, true);
