import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decode } from '../../../src/transport/codec.ts';
import { EVENT_STREAM } from '../../../src/transport/subjects.ts';
import { contentHash, MSG_ID_HEADER, type Conflict } from './messageAudit.ts';

/** One `order.status` event as stored in the event stream. */
export interface StoredStatusEvent {
  seq: number;
  msgId: string;
  orderId: string;
  status: string;
  previous: string | undefined;
}

/** Contents of the whole event stream, read once from its first message to its last. */
export interface EventStreamContents {
  messages: number;
  /** Message ids stored more than once (published again after the duplicate window). */
  storedTwice: number;
  /** Message ids stored more than once with different subject or payload. */
  conflicts: Conflict[];
  /** Messages stored without a message id. */
  withoutId: number;
  /** Every message id in the stream. */
  msgIds: Set<string>;
  /** Status events by order id, first copy of each message id only, in stream order. */
  statusByOrder: Map<string, StoredStatusEvent[]>;
  /** `command.rejected` events by the state they name (`exists`, `unknown`, ...). */
  refusalsByState: Map<string, number>;
  /** The first 20 refusals of a command for an unknown order or node, as `command id`. */
  unknownTargets: string[];
}

/**
 * Reads the event stream from its first to its last message with an ordered consumer and
 * groups it by `Nats-Msg-Id`. Bounded by `timeoutMs` (default 120,000).
 */
export async function readEventStream(nc: NatsConnection, timeoutMs = 120_000): Promise<EventStreamContents> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(EVENT_STREAM);
  const contents: EventStreamContents = {
    messages: 0,
    storedTwice: 0,
    conflicts: [],
    withoutId: 0,
    msgIds: new Set(),
    statusByOrder: new Map(),
    refusalsByState: new Map(),
    unknownTargets: [],
  };
  const lastSeq = info.state.last_seq;
  if (info.state.messages === 0) return contents;

  const hashes = new Map<string, string>();
  const consumer = await jetstream(nc).consumers.get(EVENT_STREAM);
  const messages = await consumer.consume({ max_messages: 1_000 });
  const timer = setTimeout(() => void messages.close(), timeoutMs);
  try {
    for await (const message of messages) {
      contents.messages++;
      const msgId = message.headers?.get(MSG_ID_HEADER) ?? '';
      const hash = contentHash(message.subject, message.data);
      if (msgId === '') contents.withoutId++;
      const known = msgId === '' ? undefined : hashes.get(msgId);
      if (known !== undefined) {
        contents.storedTwice++;
        if (known !== hash) contents.conflicts.push({ msgId, first: known, second: `${message.subject} ${hash}` });
      } else {
        if (msgId !== '') hashes.set(msgId, hash);
        contents.msgIds.add(msgId);
        collect(contents, message.seq, msgId, decode(message.data, message.headers));
      }
      if (message.seq >= lastSeq) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
  if (contents.messages === 0) throw new Error(`reading ${EVENT_STREAM} returned no message; expected ${info.state.messages}`);
  return contents;
}

function collect(contents: EventStreamContents, seq: number, msgId: string, payload: unknown): void {
  const event = payload as { type?: string; orderId?: string; status?: string; previous?: string | null; state?: string; command?: string; id?: string };
  if (event.type === 'order.status' && event.orderId !== undefined && event.status !== undefined) {
    let list = contents.statusByOrder.get(event.orderId);
    if (list === undefined) contents.statusByOrder.set(event.orderId, (list = []));
    // The codec sends an absent `previous` as nil, which decodes as null.
    list.push({ seq, msgId, orderId: event.orderId, status: event.status, previous: event.previous ?? undefined });
  } else if (event.type === 'command.rejected') {
    const state = event.state ?? '(none)';
    contents.refusalsByState.set(state, (contents.refusalsByState.get(state) ?? 0) + 1);
    if (state === 'unknown' && contents.unknownTargets.length < 20) contents.unknownTargets.push(`${event.command ?? '?'} ${event.id ?? '?'}`);
  }
}

/**
 * Checks that an order's status events form one unbroken chain of transitions from `created`
 * to `finalStatus`: every transition leaves the status the previous one entered, none is
 * missing and none is repeated. Uses degree counting, so events republished out of stream
 * order still pass. Returns a description of the break, or undefined when the chain holds.
 */
export function checkStatusChain(events: readonly StoredStatusEvent[], finalStatus: string): string | undefined {
  const created = events.filter((event) => event.previous === undefined);
  if (created.length !== 1) return `${created.length} events without a previous status; expected exactly one "created"`;
  if (created[0]?.status !== 'created') return `first status is "${created[0]?.status}"; expected "created"`;

  const balance = new Map<string, number>();
  const add = (status: string, delta: number): void => {
    balance.set(status, (balance.get(status) ?? 0) + delta);
  };
  for (const event of events) {
    add(event.status, 1);
    if (event.previous !== undefined) add(event.previous, -1);
  }
  add(finalStatus, -1);
  const unbalanced = [...balance].filter(([, count]) => count !== 0);
  if (unbalanced.length > 0) {
    const path = events.map((event) => `${event.previous ?? '-'}>${event.status}`).join(' ');
    return `transitions do not chain to "${finalStatus}" (${unbalanced.map(([status, count]) => `${status}:${count}`).join(', ')}): ${path}`;
  }
  return undefined;
}
