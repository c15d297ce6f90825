import { setTimeout as sleep } from 'node:timers/promises';

import { CommandPublisher } from '../../../src/publish/commandPublisher.ts';
import type { LatencyProbe, ProbeReport } from './latencyProbe.ts';
import type { OrderCycler } from './orderWorkload.ts';
import type { Stack } from './stack.ts';

/** Options of {@link runOpenLoop}. */
export interface OpenLoopOptions {
  /** Offered orders per second. */
  readonly ratePerSec: number;
  /** Unmeasured time at the offered rate before the window, in ms. */
  readonly warmupMs: number;
  /** Measured window, in ms: orders whose intended send time falls in it are measured. */
  readonly windowMs: number;
  /** Maximum wait after the window for measured orders to allocate and ship, in ms. */
  readonly drainMs: number;
  /**
   * Orders waiting for allocation at which the run gives up on the offered rate: it stops
   * sending and ends the window early, which bounds the generator's memory. Default 200,000.
   */
  readonly maxOutstanding?: number;
  /** Place commands awaiting their JetStream ack at once (`CommandPublisher`). Default 256. */
  readonly publishInFlight?: number;
}

/** Outcome of one open-loop run. */
export interface OpenLoopResult extends ProbeReport {
  readonly offeredPerSec: number;
  /** Orders the generator handed to the publisher per second during the window (wall clock). */
  readonly sentPerSec: number;
  /** Maximum delay between an order's intended and actual send time, in ms. */
  readonly maxSendLagMs: number;
  /** `processing` events received per second of the window (any order): the achieved throughput. */
  readonly allocatedPerSec: number;
  readonly windowMs: number;
  /** Whether the run stopped early because `maxOutstanding` orders were waiting. */
  readonly aborted: boolean;
  /** Largest number of orders waiting for allocation during the run. */
  readonly maxOutstandingSeen: number;
}

/**
 * Offers orders at a fixed rate from the benchmark process through `CommandPublisher`, each a
 * fresh copy of a bundled order, for a warm-up and a measured window, then waits for the
 * measured orders to allocate and ship. The schedule is fixed in advance: when the generator
 * falls behind it sends the late orders at once, and their latency still starts at their
 * intended time.
 */
export async function runOpenLoop(stack: Stack, probe: LatencyProbe, cycler: OrderCycler, options: OpenLoopOptions): Promise<OpenLoopResult> {
  if (!(options.ratePerSec > 0)) throw new RangeError(`ratePerSec must be positive, got ${String(options.ratePerSec)}`);
  const maxOutstanding = options.maxOutstanding ?? 200_000;
  const publisher = new CommandPublisher(stack.nc, options.publishInFlight ?? 256);
  probe.reset();

  const intervalMs = 1000 / options.ratePerSec;
  const startMs = performance.now() + 20;
  const windowStartMs = startMs + options.warmupMs;
  let windowEndMs = windowStartMs + options.windowMs;
  let sent = 0;
  let sentInWindow = 0;
  let maxSendLagMs = 0;
  let aborted = false;
  let maxOutstandingSeen = 0;

  for (let index = 0; ; index++) {
    const intendedMs = startMs + index * intervalMs;
    if (intendedMs >= windowEndMs) break;
    const waitMs = intendedMs - performance.now();
    // Timers fire in steps of about 1 ms, so orders due within the next step go out at once.
    if (waitMs > 1) await sleep(waitMs);

    maxOutstandingSeen = Math.max(maxOutstandingSeen, probe.outstanding);
    if (probe.outstanding >= maxOutstanding) {
      aborted = true;
      windowEndMs = Math.max(windowStartMs, intendedMs);
      break;
    }
    const order = cycler.next();
    probe.expect(order.orderId, intendedMs, intendedMs >= windowStartMs);
    const sendMs = performance.now();
    maxSendLagMs = Math.max(maxSendLagMs, sendMs - intendedMs);
    const result = await publisher.placeOrder(order);
    if (!result.ok) throw new Error(`bundled order ${order.orderId} was rejected by the publisher: ${result.reason}`);
    sent += 1;
    if (sendMs >= windowStartMs && sendMs < windowEndMs) sentInWindow += 1;
  }
  await publisher.drain();
  const windowMs = Math.max(1, windowEndMs - windowStartMs);

  const drainDeadline = performance.now() + options.drainMs;
  while (performance.now() < drainDeadline && !aborted) {
    const left = probe.unsettledMeasured();
    if (left.allocation === 0 && left.shipment === 0) break;
    await sleep(100);
  }
  const report = probe.report(performance.now());
  return {
    ...report,
    offeredPerSec: options.ratePerSec,
    sentPerSec: Math.round((sentInWindow / windowMs) * 1000),
    allocatedPerSec: Math.round((probe.allocationsBetween(windowStartMs, windowEndMs) / windowMs) * 1000),
    maxSendLagMs: Math.round(maxSendLagMs),
    windowMs: Math.round(windowMs),
    aborted,
    maxOutstandingSeen: Math.max(maxOutstandingSeen, sent - probe.completed),
  };
}
