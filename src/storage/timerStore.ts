import type { Database } from 'lmdb';

/** A command to publish when its deadline passes. */
export interface TimerRecord {
  id: string;
  dueAt: number;
  /** The command, with its idempotency `key` set, and its subject. */
  subject: string;
  command: Record<string, unknown>;
}

/**
 * Durable business deadlines. XState does not restore `after` timers from a persisted snapshot,
 * so deadlines live here, ordered by due time, and are delivered as commands through the
 * command stream when they pass. Keys are `[dueAt, id]`; a second database maps id to due time.
 */
export class TimerStore {
  constructor(
    private readonly byDue: Database<TimerRecord, [number, string]>,
    private readonly byId: Database<number, string>,
  ) {}

  /** Schedules (or moves) the deadline `id` to `dueAt` (epoch ms). */
  schedule(id: string, dueAt: number, subject: string, command: Record<string, unknown>): void {
    this.cancel(id);
    void this.byDue.put([dueAt, id], { id, dueAt, subject, command });
    void this.byId.put(id, dueAt);
  }

  /** Cancels the deadline `id`; unknown ids are ignored. */
  cancel(id: string): void {
    const dueAt = this.byId.get(id);
    if (dueAt === undefined) return;
    void this.byDue.remove([dueAt, id]);
    void this.byId.remove(id);
  }

  /** Removes a deadline that fired, unless it was moved to another time meanwhile. */
  fired(timer: TimerRecord): void {
    void this.byDue.remove([timer.dueAt, timer.id]);
    if (this.byId.get(timer.id) === timer.dueAt) void this.byId.remove(timer.id);
  }

  /** Reports whether a deadline `id` is scheduled. */
  has(id: string): boolean {
    return this.byId.get(id) !== undefined;
  }

  /** Deadlines due at `now` or earlier, oldest first, at most `limit`. */
  due(now: number, limit: number): TimerRecord[] {
    const due: TimerRecord[] = [];
    for (const { value } of this.byDue.getRange({ end: [now, '\uffff'], limit })) due.push(value);
    return due;
  }
}
