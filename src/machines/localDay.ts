import { utcOffsetMinutes } from '../domain/localTime.ts';

const MINUTE_MS = 60_000;

/**
 * Local calendar day (`YYYY-MM-DD`) on which work placed at `at` counts against a node's
 * capacity: the day itself before the node's cut-off, the next day from the cut-off on.
 */
export function capacityDay(at: string | number, timeZone: string, cutoffLocal: string): string {
  const instant = typeof at === 'number' ? at : Date.parse(at);
  const { date, minutes } = localDateTime(instant, timeZone);
  const [hours, mins] = cutoffLocal.split(':').map(Number);
  const cutoffMinutes = (hours ?? 0) * 60 + (mins ?? 0);
  return minutes >= cutoffMinutes ? nextDay(date) : date;
}

/** Returns the local date and minutes after midnight of an instant in a time zone. */
export function localDateTime(instant: number, timeZone: string): { date: string; minutes: number } {
  const wall = new Date(instant + utcOffsetMinutes(timeZone, instant) * MINUTE_MS);
  return { date: wall.toISOString().slice(0, 10), minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
