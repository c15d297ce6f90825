import { createHash } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjects } from '../../../src/transport/subjects.ts';

/** JetStream's message id header. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

/** Two publishes under one message id whose subject or payload differ. */
export interface Conflict {
  msgId: string;
  first: string;
  second: string;
}

/** Returns the SHA-1 of a message's subject and payload, to compare copies without keeping them. */
export function contentHash(subject: string, data: Uint8Array): string {
  return createHash('sha1').update(subject).update('\n').update(data).digest('base64');
}

/**
 * Watches every publish on the command, event and work subjects with core NATS subscriptions,
 * which see each publish even when JetStream later drops it as a duplicate of its message id.
 * It records one content hash per message id and every id published again with other content.
 * Only the engine's own messages must repeat identically: events, work and the commands of its
 * outbox (ids `<source key>/<index>`). Agents and publishers may rebuild a retried message with
 * a new timestamp under the same id; those are counted apart.
 */
export class MessageAudit {
  /** Message id to the content hash of its first publish. */
  readonly firstSeen = new Map<string, string>();
  /** Message ids of events (`sy.evt.>`) seen. */
  readonly eventIds = new Set<string>();
  readonly conflicts: Conflict[] = [];
  /** Messages of agents and publishers sent again under the same id with other content, by subject prefix. */
  readonly rebuiltRetries = new Map<string, number>();
  /** Publishes seen again with the same id and identical content. */
  repeats = 0;
  /** Publishes without a message id, by subject prefix. */
  readonly withoutId = new Map<string, number>();
  /** `performance.now()` of every event seen on `sy.evt.>`, in arrival order. */
  readonly eventTimes: number[] = [];
  private readonly subscriptions: Subscription[];
  private readonly eventWaiters: { after: number; resolve: (at: number) => void }[] = [];

  constructor(nc: NatsConnection) {
    this.subscriptions = [subjects.eventsAll, subjects.commandsAll, subjects.workAll].map((subject) =>
      nc.subscribe(subject, {
        callback: (error, message) => {
          if (error !== null) return;
          this.record(message.subject, message.data, message.headers?.get(MSG_ID_HEADER) ?? '');
        },
      }),
    );
  }

  /** Resolves with `performance.now()` of the first event seen at or after `after`, which may already have arrived. */
  firstEventAfter(after: number): Promise<number> {
    let first: number | undefined;
    for (let index = this.eventTimes.length - 1; index >= 0; index--) {
      const at = this.eventTimes[index] ?? 0;
      if (at < after) break;
      first = at;
    }
    if (first !== undefined) return Promise.resolve(first);
    return new Promise((resolve) => this.eventWaiters.push({ after, resolve }));
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private record(subject: string, data: Uint8Array, msgId: string): void {
    if (subject.startsWith('sy.evt.')) this.onEvent();
    if (msgId === '') {
      const prefix = subject.split('.').slice(0, 3).join('.');
      this.withoutId.set(prefix, (this.withoutId.get(prefix) ?? 0) + 1);
      return;
    }
    if (subject.startsWith('sy.evt.')) this.eventIds.add(msgId);
    const hash = contentHash(subject, data);
    const known = this.firstSeen.get(msgId);
    if (known === undefined) this.firstSeen.set(msgId, hash);
    else if (known === hash) this.repeats++;
    else if (isEngineMessage(subject, msgId)) this.conflicts.push({ msgId, first: known, second: `${subject} ${hash}` });
    else {
      const prefix = subject.split('.').slice(0, 3).join('.');
      this.rebuiltRetries.set(prefix, (this.rebuiltRetries.get(prefix) ?? 0) + 1);
    }
  }

  private onEvent(): void {
    const now = performance.now();
    this.eventTimes.push(now);
    for (let index = this.eventWaiters.length - 1; index >= 0; index--) {
      const waiter = this.eventWaiters[index];
      if (waiter === undefined || now < waiter.after) continue;
      this.eventWaiters.splice(index, 1);
      waiter.resolve(now);
    }
  }
}

/** Returns whether the engine published this message: an event, work, or a command from its outbox. */
function isEngineMessage(subject: string, msgId: string): boolean {
  return subject.startsWith('sy.evt.') || subject.startsWith('sy.work.') || msgId.includes('/');
}
