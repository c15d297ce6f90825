import type { NatsConnection, Subscription } from '@nats-io/transport-node';

import { LatencyHistogram, type LatencySummary } from '../histogram.ts';

/** Where an order got to, as seen from its status events. */
interface Tracked {
  /** `performance.now()` at which the order was meant to be sent (its intended start). */
  readonly startMs: number;
  /** Whether the order belongs to the measured window. */
  measured: boolean;
  allocatedMs?: number;
  shippedMs?: number;
  /** First status that ends the wait for allocation without one (backordered, rejected, ...). */
  unallocated?: string;
  /** Called once when the wait for allocation ends, either way. */
  onSettled?: () => void;
}

/** Latencies and outcomes of the measured orders. */
export interface ProbeReport {
  /** Placed (intended send time) to the order's `processing` event, in us. */
  readonly allocated: LatencySummary;
  /** Placed to its first shipped event (`shipment.shipped`, `partially_shipped` or `shipped`), in us. */
  readonly shipped: LatencySummary;
  readonly measuredOrders: number;
  readonly allocatedOrders: number;
  readonly shippedOrders: number;
  /** Measured orders that ended without allocation, by status. */
  readonly unallocated: Readonly<Record<string, number>>;
  /** Measured orders still waiting for allocation at the cut-off, recorded at the cut-off as lower bounds. */
  readonly allocationCutOff: number;
  /** Allocated measured orders still waiting for a shipment at the cut-off, recorded as lower bounds. */
  readonly shipmentCutOff: number;
}

/** Statuses that end an order's wait for `processing` without it. */
const UNALLOCATED_STATUSES = ['backordered', 'rejected', 'cancelled', 'on_hold'] as const;

function orderIdOf(subject: string): string {
  return subject.split('.')[3] ?? '';
}

/**
 * Follows orders from the load generator's side through their status events on core NATS.
 * Per order, it records the time from the intended send time to allocation, which is the
 * `processing` event (every allocation confirmed by its node), and to the first shipment.
 * Latencies start at the intended send time, so a stalled generator cannot hide queueing
 * (coordinated omission).
 */
export class LatencyProbe {
  readonly #orders = new Map<string, Tracked>();
  readonly #subscriptions: Subscription[] = [];
  #allocatedEvents: number[] = [];
  #completed = 0;

  constructor(nc: NatsConnection) {
    const on = (subject: string, handle: (tracked: Tracked, nowMs: number, status: string) => void): void => {
      this.#subscriptions.push(
        nc.subscribe(subject, {
          callback: (error, message) => {
            if (error !== null) return;
            const tracked = this.#orders.get(orderIdOf(message.subject));
            if (tracked !== undefined) handle(tracked, performance.now(), message.subject.split('.').slice(4).join('.'));
          },
        }),
      );
    };
    on('sy.evt.order.*.processing', (tracked, nowMs) => {
      if (tracked.allocatedMs !== undefined) return;
      tracked.allocatedMs = nowMs;
      this.#allocatedEvents.push(nowMs);
      if (tracked.unallocated === undefined) this.#settle(tracked);
    });
    for (const subject of ['sy.evt.order.*.shipment.shipped', 'sy.evt.order.*.partially_shipped', 'sy.evt.order.*.shipped']) {
      on(subject, (tracked, nowMs) => {
        tracked.shippedMs ??= nowMs;
      });
    }
    for (const status of UNALLOCATED_STATUSES) {
      on(`sy.evt.order.*.${status}`, (tracked, _nowMs, name) => {
        if (tracked.allocatedMs !== undefined || tracked.unallocated !== undefined) return;
        tracked.unallocated = name;
        this.#settle(tracked);
      });
    }
  }

  /**
   * Starts following an order sent for `startMs` (its intended send time); `onSettled` runs
   * once its wait for allocation ends.
   */
  expect(orderId: string, startMs: number, measured: boolean, onSettled?: () => void): void {
    this.#orders.set(orderId, onSettled === undefined ? { startMs, measured } : { startMs, measured, onSettled });
  }

  /**
   * Adds every order still waiting for allocation to the measured ones, so an order sent
   * before the window that stalls into it is counted, with the latency from its send time.
   */
  measureUnsettled(): void {
    for (const tracked of this.#orders.values()) {
      if (tracked.allocatedMs === undefined && tracked.unallocated === undefined) tracked.measured = true;
    }
  }

  #settle(tracked: Tracked): void {
    this.#completed += 1;
    tracked.onSettled?.();
  }

  /** Orders whose wait for allocation has ended (allocated or not), measured or not. */
  get completed(): number {
    return this.#completed;
  }

  /** Orders followed so far whose wait for allocation has not ended. */
  get outstanding(): number {
    return this.#orders.size - this.#completed;
  }

  /** Returns whether the order's wait for allocation has ended. */
  isSettled(orderId: string): boolean {
    const tracked = this.#orders.get(orderId);
    return tracked !== undefined && (tracked.allocatedMs !== undefined || tracked.unallocated !== undefined);
  }

  /** Allocation events received between `fromMs` and `toMs` (`performance.now()` values). */
  allocationsBetween(fromMs: number, toMs: number): number {
    let count = 0;
    for (const at of this.#allocatedEvents) if (at >= fromMs && at < toMs) count += 1;
    return count;
  }

  /** Measured orders that have not yet allocated or shipped, for a drain loop. */
  unsettledMeasured(): { allocation: number; shipment: number } {
    let allocation = 0;
    let shipment = 0;
    for (const tracked of this.#orders.values()) {
      if (!tracked.measured) continue;
      if (tracked.allocatedMs === undefined && tracked.unallocated === undefined) allocation += 1;
      else if (tracked.allocatedMs !== undefined && tracked.shippedMs === undefined) shipment += 1;
    }
    return { allocation, shipment };
  }

  /**
   * Builds the report of the measured orders. Orders still waiting at `cutOffMs` are recorded
   * with the latency they had reached by then, a lower bound, and counted apart.
   */
  report(cutOffMs: number): ProbeReport {
    const allocated = new LatencyHistogram();
    const shipped = new LatencyHistogram();
    const unallocated: Record<string, number> = {};
    let measuredOrders = 0;
    let allocatedOrders = 0;
    let shippedOrders = 0;
    let allocationCutOff = 0;
    let shipmentCutOff = 0;
    for (const tracked of this.#orders.values()) {
      if (!tracked.measured) continue;
      measuredOrders += 1;
      if (tracked.unallocated !== undefined && tracked.allocatedMs === undefined) {
        unallocated[tracked.unallocated] = (unallocated[tracked.unallocated] ?? 0) + 1;
        continue;
      }
      if (tracked.allocatedMs === undefined) {
        allocationCutOff += 1;
        allocated.recordMs(Math.max(0, cutOffMs - tracked.startMs));
        continue;
      }
      allocatedOrders += 1;
      allocated.recordMs(Math.max(0, tracked.allocatedMs - tracked.startMs));
      if (tracked.shippedMs === undefined) {
        shipmentCutOff += 1;
        shipped.recordMs(Math.max(0, cutOffMs - tracked.startMs));
        continue;
      }
      shippedOrders += 1;
      shipped.recordMs(Math.max(0, tracked.shippedMs - tracked.startMs));
    }
    return { allocated: allocated.summary(), shipped: shipped.summary(), measuredOrders, allocatedOrders, shippedOrders, unallocated, allocationCutOff, shipmentCutOff };
  }

  /** Forgets every order and event, to reuse the subscriptions for another run. */
  reset(): void {
    this.#orders.clear();
    this.#allocatedEvents = [];
    this.#completed = 0;
  }

  stop(): void {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
  }
}
