import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { LatencyHistogram, type LatencySummary } from './histogram.ts';

/** Operation under test; it resolves when the operation is complete (reply received, ack, flush). */
export type Operation = () => Promise<unknown>;

/** Outcome of one driver run. */
export interface DriveResult {
  /** Operations completed in the measured window (warm-up excluded). */
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  /** Per-operation latency in microseconds. */
  readonly latency: LatencySummary;
}

/** Options of {@link runClosedLoop}. */
export interface ClosedLoopOptions {
  /** Operations kept in flight; each worker starts its next operation when the previous one ends. */
  readonly inFlight: number;
  /** Measured window in milliseconds. */
  readonly durationMs: number;
  /** Unmeasured run before the window, in milliseconds. Default 300. */
  readonly warmupMs?: number;
}

/** Options of {@link runPaced}. */
export interface PacedOptions {
  /** Target operations per second; one operation runs at a time. */
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** Default 300 ms. */
  readonly warmupMs?: number;
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
}

async function closedLoopWindow(op: Operation, inFlight: number, durationMs: number, histogram: LatencyHistogram | undefined): Promise<number> {
  let ops = 0;
  const deadline = performance.now() + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await op();
      histogram?.recordMs(performance.now() - started);
      ops += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return ops;
}

/**
 * Runs `op` with `inFlight` concurrent workers (closed loop) and returns throughput and latency.
 * Closed-loop latency leaves out the time a request would have waited had it been sent on
 * schedule, so it understates latency under load; use {@link runPaced} for that.
 */
export async function runClosedLoop(op: Operation, options: ClosedLoopOptions): Promise<DriveResult> {
  assertPositive('inFlight', options.inFlight);
  assertPositive('durationMs', options.durationMs);

  await closedLoopWindow(op, options.inFlight, options.warmupMs ?? 300, undefined);
  const histogram = new LatencyHistogram();
  const started = performance.now();
  const ops = await closedLoopWindow(op, options.inFlight, options.durationMs, histogram);
  const seconds = (performance.now() - started) / 1000;
  return { ops, seconds, opsPerSec: ops / seconds, latency: histogram.summary() };
}

/**
 * Runs `op` one at a time on a fixed schedule of `ratePerSec`. When an operation overruns its
 * slot, the following ones start without waiting until the schedule is met again, and the
 * histogram adds the samples the stall hid (coordinated-omission correction with the interval
 * `1 / ratePerSec`).
 */
export async function runPaced(op: Operation, options: PacedOptions): Promise<DriveResult> {
  assertPositive('ratePerSec', options.ratePerSec);
  assertPositive('durationMs', options.durationMs);

  const intervalMs = 1000 / options.ratePerSec;
  const warmupEnd = performance.now() + (options.warmupMs ?? 300);
  while (performance.now() < warmupEnd) await op();

  const histogram = new LatencyHistogram({ expectedIntervalUs: intervalMs * 1000 });
  const started = performance.now();
  const deadline = started + options.durationMs;
  let ops = 0;
  let nextStart = started;
  while (performance.now() < deadline) {
    // NOTE: timers fire with about 1 ms granularity, so rates above about 1,000/s run in bursts
    // that catch up with the schedule. The correction still uses the nominal interval.
    const waitMs = nextStart - performance.now();
    if (waitMs > 0) await sleep(waitMs);

    const opStart = performance.now();
    await op();
    histogram.recordMs(performance.now() - opStart);
    ops += 1;
    nextStart += intervalMs;
  }
  const seconds = (performance.now() - started) / 1000;
  return { ops, seconds, opsPerSec: ops / seconds, latency: histogram.summary() };
}

/** Runs `measure` `runs` times and returns every result; the caller reports the median and the spread. */
export async function repeatRuns<T>(runs: number, measure: () => Promise<T>): Promise<T[]> {
  assertPositive('runs', runs);
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure());
  return results;
}

/** Returns the median of `values` (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}
