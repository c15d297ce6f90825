import { setTimeout as sleep } from 'node:timers/promises';

import { CommandPublisher } from '../../../src/publish/commandPublisher.ts';
import type { LatencyProbe, ProbeReport } from './latencyProbe.ts';
import type { OrderCycler } from './orderWorkload.ts';
import type { Stack } from './stack.ts';

/** Options of one closed-loop step. */
export interface ClosedLoopStepOptions {
  /** Orders waiting for allocation at once: each worker places its next order when its last one settles. */
  readonly inFlight: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Maximum wait for one order to settle before its worker moves on, in ms. Default 10,000. */
  readonly settleTimeoutMs?: number;
  /** Maximum wait after the window for measured orders to ship, in ms. Default 3,000. */
  readonly drainMs?: number;
}

/** Outcome of one closed-loop step. */
export interface ClosedLoopStepResult extends ProbeReport {
  readonly inFlight: number;
  /** `processing` events per second of the window. */
  readonly allocatedPerSec: number;
  readonly windowMs: number;
}

/**
 * Runs `inFlight` workers that each place an order, wait until it is allocated (or ends
 * without allocation), and place the next. Latency starts when the order is sent, so a
 * closed loop cannot show queueing beyond `inFlight` orders: it finds the throughput at
 * each concurrency, and the open loop checks that rate.
 */
export async function runClosedLoopStep(stack: Stack, probe: LatencyProbe, cycler: OrderCycler, options: ClosedLoopStepOptions): Promise<ClosedLoopStepResult> {
  if (!Number.isInteger(options.inFlight) || options.inFlight < 1) throw new RangeError(`inFlight must be a positive integer, got ${String(options.inFlight)}`);
  const publisher = new CommandPublisher(stack.nc, options.inFlight);
  const settleTimeoutMs = options.settleTimeoutMs ?? 10_000;
  probe.reset();

  const windowStartMs = performance.now() + options.warmupMs;
  const windowEndMs = windowStartMs + options.windowMs;
  // Orders still waiting when the window opens block their workers, so they are measured too.
  const windowTimer = setTimeout(() => probe.measureUnsettled(), options.warmupMs);
  const worker = async (): Promise<void> => {
    while (performance.now() < windowEndMs) {
      const order = cycler.next();
      const startMs = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const settled = new Promise<void>((resolve) => {
        probe.expect(order.orderId, startMs, startMs >= windowStartMs, resolve);
        timer = setTimeout(resolve, settleTimeoutMs);
      });
      const result = await publisher.placeOrder(order);
      if (!result.ok) throw new Error(`bundled order ${order.orderId} was rejected by the publisher: ${result.reason}`);
      await settled;
      clearTimeout(timer);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.inFlight }, worker));
  } finally {
    clearTimeout(windowTimer);
  }
  await publisher.drain();

  const drainDeadline = performance.now() + (options.drainMs ?? 3_000);
  while (performance.now() < drainDeadline) {
    const left = probe.unsettledMeasured();
    if (left.allocation === 0 && left.shipment === 0) break;
    await sleep(100);
  }
  return {
    ...probe.report(performance.now()),
    inFlight: options.inFlight,
    allocatedPerSec: Math.round((probe.allocationsBetween(windowStartMs, windowEndMs) / options.windowMs) * 1000),
    windowMs: options.windowMs,
  };
}

/** Options of {@link searchMaxSustained}. */
export interface SearchOptions {
  /** p99 placed-to-allocated limit, in us. */
  readonly p99LimitUs: number;
  /** Concurrency of the first step; each next step doubles it. Default 1. */
  readonly firstInFlight?: number;
  /** Largest concurrency tried. Default 256. */
  readonly maxInFlight?: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Total time budget of the search, in ms: no step starts after it. */
  readonly budgetMs: number;
  /** Called after each step, to print progress. */
  readonly onStep?: (step: ClosedLoopStepResult) => void;
}

/** Result of {@link searchMaxSustained}. */
export interface SearchResult {
  readonly steps: readonly ClosedLoopStepResult[];
  /** The step with the highest throughput whose p99 stayed under the limit, if any. */
  readonly best: ClosedLoopStepResult | undefined;
  /** The step with the highest throughput at any latency. */
  readonly peak: ClosedLoopStepResult | undefined;
  /** Why the search stopped. */
  readonly stoppedBecause: string;
}

/**
 * Doubles the closed-loop concurrency step by step until throughput stops growing by 5%,
 * `maxInFlight` is reached or the budget runs out, and keeps the highest throughput whose p99
 * placed-to-allocated latency stays under the limit, and the highest at any latency.
 */
export async function searchMaxSustained(stack: Stack, probe: LatencyProbe, cycler: OrderCycler, options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const steps: ClosedLoopStepResult[] = [];
  let best: ClosedLoopStepResult | undefined;
  let peak: ClosedLoopStepResult | undefined;
  const maxInFlight = options.maxInFlight ?? 256;
  let stoppedBecause = `reached ${maxInFlight} in flight`;
  for (let inFlight = options.firstInFlight ?? 1; inFlight <= maxInFlight; inFlight *= 2) {
    if (performance.now() - started + options.warmupMs + options.windowMs > options.budgetMs) {
      stoppedBecause = `time budget of ${Math.round(options.budgetMs / 1000)} s`;
      break;
    }
    const step = await runClosedLoopStep(stack, probe, cycler, { inFlight, warmupMs: options.warmupMs, windowMs: options.windowMs });
    steps.push(step);
    options.onStep?.(step);

    const grew = peak === undefined || step.allocatedPerSec >= peak.allocatedPerSec * 1.05;
    if (peak === undefined || step.allocatedPerSec > peak.allocatedPerSec) peak = step;
    if (step.allocated.p99 <= options.p99LimitUs && (best === undefined || step.allocatedPerSec > best.allocatedPerSec)) best = step;
    if (!grew) {
      stoppedBecause = `throughput stopped growing at ${inFlight} in flight`;
      break;
    }
  }
  return { steps, best, peak, stoppedBecause };
}
