import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { OrderInput } from '../domain/order.ts';
import { encode } from '../transport/codec.ts';
import { CancelOrderSchema, MESSAGE_VERSION, PlaceOrderSchema, describeIssues } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';
import { publishWithRetry } from '../transport/publishWithRetry.ts';

/** Result of handing one record to the publisher. */
export type PublishResult = { ok: true } | { ok: false; reason: string };

/**
 * Publishes order commands to JetStream: validates each at the boundary, encodes it as
 * msgpack and publishes it with its idempotency key as `Nats-Msg-Id`, retrying with the same
 * id while the server is unreachable (for up to a minute). Up to `maxInFlight`
 * publishes wait for their acknowledgement at once; `drain()` waits for all.
 */
export class CommandPublisher {
  private readonly js: JetStreamClient;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;

  constructor(
    nc: NatsConnection,
    private readonly maxInFlight = 256,
  ) {
    this.js = jetstream(nc);
  }

  /** Validates and publishes a place command; the key defaults to `place:<orderId>`. */
  async placeOrder(order: OrderInput, key = `place:${String(order.orderId)}`): Promise<PublishResult> {
    const message = { type: 'order.place', v: MESSAGE_VERSION, key, order };
    const parsed = PlaceOrderSchema.safeParse(message);
    if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error, message) };
    await this.send(subjects.orderCommand(parsed.data.order.orderId, 'place'), message, key);
    return { ok: true };
  }

  /** Validates and publishes a cancel command for the given SKU quantities, or the whole order. */
  async cancelOrder(orderId: string, reason: string, lines: { sku: string; quantity: number }[] | undefined, key: string): Promise<PublishResult> {
    const message = { type: 'order.cancel', v: MESSAGE_VERSION, key, orderId, reason, ...(lines === undefined ? {} : { lines }) };
    const parsed = CancelOrderSchema.safeParse(message);
    if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error, message) };
    await this.send(subjects.orderCommand(orderId, 'cancel'), message, key);
    return { ok: true };
  }

  /** Waits until every publish so far is acknowledged; raises the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }

  private async send(subject: string, message: unknown, key: string): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const publish = publishWithRetry(this.js, subject, encode(message), key)
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= new Error(`publish of ${key} to ${subject} failed: ${(error as Error).message}`, { cause: error });
        },
      )
      .finally(() => this.inFlight.delete(publish));
    this.inFlight.add(publish);
  }
}
