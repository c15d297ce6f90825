/**
 * Conversion of wall-clock times in an IANA time zone to ISO 8601 timestamps with an offset,
 * using the time zone data built into Node (Intl), so that no extra package is needed.
 */

import { utcOffsetMinutes } from '../domain/localTime.ts';

/** A wall-clock date and time without a zone; months count from 1. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Returns the zone's offset from UTC in minutes at the instant `epochMs`. */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  return utcOffsetMinutes(timeZone, epochMs);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatIso(epochMs: number, offsetMinutes: number): string {
  const wall = new Date(epochMs + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`
  );
}

/**
 * Converts a wall-clock time in `timeZone` to an ISO 8601 timestamp with that zone's offset,
 * such as `2011-04-18T10:00:00+01:00`. A time that occurs twice (clocks going back) takes the
 * earlier instant. A time that does not exist (clocks going forward) is moved forward by the
 * length of the gap, as most date libraries do.
 */
export function localTimeToIso(local: LocalDateTime, timeZone: string): string {
  const wallAsUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const twelveHoursMs = 12 * 3_600_000;
  const offsetBefore = zoneOffsetMinutes(wallAsUtc - twelveHoursMs, timeZone);
  const offsetAfter = zoneOffsetMinutes(wallAsUtc + twelveHoursMs, timeZone);

  // Try each offset in force around that day: an offset fits when the instant it gives has it.
  const fitting: number[] = [];
  for (const offset of new Set([offsetBefore, offsetAfter])) {
    const instant = wallAsUtc - offset * 60_000;
    if (zoneOffsetMinutes(instant, timeZone) === offset) fitting.push(instant);
  }
  if (fitting.length > 0) {
    const earliest = Math.min(...fitting);
    return formatIso(earliest, zoneOffsetMinutes(earliest, timeZone));
  }

  const shifted = wallAsUtc - offsetBefore * 60_000;
  return formatIso(shifted, zoneOffsetMinutes(shifted, timeZone));
}
