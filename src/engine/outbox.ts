import { encode } from '../transport/codec.ts';
import { MESSAGE_VERSION, type CommandInput, type WorkOrder } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';
import type { OutboxEntry } from '../storage/engineStore.ts';

/**
 * Collects the messages one command's effects produce. Message ids derive from the command's
 * idempotency key and the message's position, so re-applying the same command yields the same
 * ids and JetStream drops the copies.
 */
export class Outbox {
  readonly entries: OutboxEntry[] = [];

  constructor(private readonly sourceKey: string) {}

  /** Adds a command for an order or node actor, keyed `<source key>/<index>`. */
  command(message: CommandInput & { key?: string }): void {
    const key = `${this.sourceKey}/${this.entries.length}`;
    const subject =
      message.type.startsWith('order.')
        ? subjects.orderCommand(String((message as { orderId: string }).orderId), message.type.slice('order.'.length))
        : subjects.nodeCommand(String((message as { nodeId: string }).nodeId), message.type.slice('node.'.length));
    this.entries.push({ subject, data: encode({ ...message, v: MESSAGE_VERSION, key }), msgId: key });
  }

  /** Adds a status event. */
  event(subject: string, payload: Record<string, unknown>): void {
    const msgId = `${this.sourceKey}/${this.entries.length}`;
    this.entries.push({ subject, data: encode({ v: MESSAGE_VERSION, ...payload }), msgId });
  }

  /** Adds work for a node agent. */
  work(nodeId: string, work: Omit<WorkOrder, 'v'>): void {
    const msgId = `${this.sourceKey}/${this.entries.length}`;
    this.entries.push({ subject: subjects.work(nodeId), data: encode({ v: MESSAGE_VERSION, ...work }), msgId });
  }
}
