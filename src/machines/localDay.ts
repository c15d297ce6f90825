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

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local date and minutes after midnight of an instant in a time zone. */
export function localDateTime(instant: number, timeZone: string): { date: string; minutes: number } {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
