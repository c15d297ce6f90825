import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import * as hdr from 'hdr-histogram-js';
import { decode } from '../transport/codec.ts';

/**
 * Watches the event subjects as any subscriber would and measures, per order, the time from
 * publishing its place command to its first `processing` status (every allocation confirmed
 * by its node).
 */
export class EventObserver {
  /** Placed-to-allocated latency in microseconds. */
  readonly placedToAllocated = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  readonly rejectedCommands = new Map<string, number>();
  events = 0;
  private readonly publishedAt = new Map<string, number>();
  private readonly subscriptions: Subscription[] = [];

  constructor(nc: NatsConnection) {
    this.subscriptions.push(
      nc.subscribe('sy.evt.order.*.processing', {
        callback: (error, message) => {
          if (error !== null) return;
          this.events++;
          const orderId = message.subject.split('.')[3] ?? '';
          const started = this.publishedAt.get(orderId);
          if (started === undefined) return;
          this.publishedAt.delete(orderId);
          this.placedToAllocated.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
        },
      }),
      nc.subscribe('sy.evt.error.command', {
        callback: (error, message) => {
          if (error !== null) return;
          const event = decode(message.data) as { command?: string };
          const command = event.command ?? 'unknown';
          this.rejectedCommands.set(command, (this.rejectedCommands.get(command) ?? 0) + 1);
        },
      }),
    );
  }

  /** Records when the place command of an order was published. */
  placed(orderId: string): void {
    this.publishedAt.set(orderId, performance.now());
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
