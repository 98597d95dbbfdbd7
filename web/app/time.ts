// Times in the user's chosen time zone (issue 18), not the browser's.
//
// A zone is what the snapshot's `settings.time_zone` holds: a name of the
// time-zone database ("Europe/Berlin", "UTC"), a fixed offset ("+05:30",
// "-03:00"), or null (never chosen: local times are UTC). Names go to
// Intl.DateTimeFormat's `timeZone`; fixed offsets are applied here (the
// instant shifted by the offset, then formatted as UTC), since engines
// differ on whether they take offset time-zone ids.

/** How the app shows an instant: a short date and a short time. */
export const SHORT: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short" };

const FIXED = /^([+-])(\d{2}):(\d{2})$/;

/** A fixed-offset zone `±HH:MM` as minutes east of UTC (-12:00..=+14:00,
 * as the service takes them); null for anything else (a name, or a
 * malformed or out-of-range offset). */
export function fixedOffset(zone: string): number | null {
  const m = FIXED.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (minutes > 59) return null;
  const east = (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  return east < -720 || east > 840 ? null : east;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locales: string | string[] | undefined, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locales ?? null, timeZone, opts]);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locales, { ...opts, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** How `zone` is formatted: the `timeZone` to give Intl and the shift (ms)
 * to add to an instant first. A name this browser does not know falls back
 * to `fallbackOffset` minutes east, formatted as UTC. */
function resolve(zone: string | null, fallbackOffset: number, locales: string | string[] | undefined, opts: Intl.DateTimeFormatOptions): { f: Intl.DateTimeFormat; shift: number } {
  let east = zone === null ? 0 : fixedOffset(zone);
  if (east === null) {
    try {
      return { f: formatter(locales, zone!, opts), shift: 0 };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      east = fallbackOffset;
    }
  }
  return { f: formatter(locales, "UTC", opts), shift: east * 60_000 };
}

/** `ms` (since the epoch) as a local date and time of `zone`, formatted
 * with `opts` (no `timeZoneName`: a fixed offset is formatted as UTC) in
 * `locales` (default: the browser's). A name this browser does not know
 * falls back to `fallbackOffset` minutes east (the snapshot's
 * `utc_offset_minutes`), else UTC. */
export function formatInZone(
  ms: number,
  zone: string | null,
  opts: Intl.DateTimeFormatOptions = SHORT,
  locales?: string | string[],
  fallbackOffset = 0,
): string {
  const { f, shift } = resolve(zone, fallbackOffset, locales, opts);
  return f.format(ms + shift);
}

/** The local date `YYYY-MM-DD` of `ms` in `zone` (see `formatInZone`). */
export function localDate(ms: number, zone: string | null, fallbackOffset = 0): string {
  const { f, shift } = resolve(zone, fallbackOffset, "en-US", { year: "numeric", month: "2-digit", day: "2-digit" });
  const parts = f.formatToParts(ms + shift);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

/** The browser's own zone, "UTC" when it names none. */
export function browserZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== "Etc/Unknown" ? zone : "UTC";
}

/** The zones to offer: every name this browser knows, "UTC" and the
 * browser's own zone, sorted, each once. */
export function zoneChoices(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: "timeZone") => string[] }).supportedValuesOf;
  let names: string[] = [];
  try {
    names = supported ? supported("timeZone") : [];
  } catch {}
  return [...new Set([...names, "UTC", browserZone()])].sort();
}
