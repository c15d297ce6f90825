/**
 * Local time of day in IANA time zones, computed from an epoch instant passed in (never the clock).
 * UTC offsets are memoized per zone and 15-minute interval, because zone offsets and
 * daylight-saving transitions in current tz data fall on quarter-hour boundaries.
 */

const MINUTE_MS = 60_000;
const OFFSET_BUCKET_MS = 15 * MINUTE_MS;
const DAY_MINUTES = 24 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Memoized offsets per zone, keyed by 15-minute interval; a zone's map is cleared when it reaches this size. */
const MAX_CACHED_INTERVALS = 8192;
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime supports the IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function computeOffsetMinutes(timeZone: string, epochMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const read = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(read('year'), read('month') - 1, read('day'), read('hour'), read('minute'));
  const truncated = Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
  return Math.round((asUtc - truncated) / MINUTE_MS);
}

/** UTC offset of a zone at an instant, in minutes east of UTC. Throws RangeError for an unknown zone. */
export function utcOffsetMinutes(timeZone: string, epochMs: number): number {
  const bucket = Math.floor(epochMs / OFFSET_BUCKET_MS);
  let zone = offsetCache.get(timeZone);
  const cached = zone?.get(bucket);
  if (cached !== undefined) return cached;

  const offsetMinutes = computeOffsetMinutes(timeZone, bucket * OFFSET_BUCKET_MS);
  if (zone === undefined) offsetCache.set(timeZone, (zone = new Map<number, number>()));
  if (zone.size >= MAX_CACHED_INTERVALS) zone.clear();
  zone.set(bucket, offsetMinutes);
  return offsetMinutes;
}

/** Minutes since local midnight (0-1439) in a zone at an instant. Throws RangeError for an unknown zone. */
export function localMinutesOfDay(timeZone: string, epochMs: number): number {
  const localMinutes = Math.floor(epochMs / MINUTE_MS) + utcOffsetMinutes(timeZone, epochMs);
  return ((localMinutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

/** Parses `HH:MM` (00:00-23:59) to minutes since midnight; undefined when malformed. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}
