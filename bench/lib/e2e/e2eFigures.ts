import { loadavg } from 'node:os';

import { latencyMetrics, throughputMetric, type Figure, type Metric } from '../results.ts';
import { printTable, type Cell } from '../table.ts';
import type { BatchSummary, StageSummary } from './batchLog.ts';
import type { ClosedLoopStepResult } from './closedLoop.ts';
import type { ProfileSummary } from './cpuProfile.ts';
import type { ProbeReport } from './latencyProbe.ts';
import type { OpenLoopResult } from './openLoop.ts';

/** Returns the 1-minute load average, rounded to 0.01: other work on the machine skews every figure. */
export function loadNow(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

const ms = (us: number): number => Math.round(us / 10) / 100;

function count(value: number, unit = 'orders'): Metric {
  return { value, unit, better: 'lower' };
}

function outcomeParams(report: ProbeReport): Record<string, number | string> {
  const unallocated = Object.entries(report.unallocated)
    .map(([status, orders]) => `${status} ${orders}`)
    .join(', ');
  return {
    measuredOrders: report.measuredOrders,
    allocatedOrders: report.allocatedOrders,
    shippedOrders: report.shippedOrders,
    unallocated: unallocated === '' ? 'none' : unallocated,
  };
}

/** Figure of one open-loop run: achieved throughput, placed-to-allocated and placed-to-shipped percentiles. */
export function openLoopFigure(name: string, result: OpenLoopResult, params: Figure['params'] = {}): Figure {
  return {
    name,
    params: { ...params, offeredPerSec: result.offeredPerSec, windowMs: result.windowMs, aborted: result.aborted, ...outcomeParams(result), latency: 'from the intended send time (corrected for coordinated omission)' },
    metrics: {
      throughput: throughputMetric(result.allocatedPerSec),
      sentPerSec: throughputMetric(result.sentPerSec),
      ...latencyMetrics(result.allocated),
      ...latencyMetrics(result.shipped, 'shippedLatency'),
      allocationCutOff: count(result.allocationCutOff),
      shipmentCutOff: count(result.shipmentCutOff),
      maxOutstanding: count(result.maxOutstandingSeen),
      maxSendLag: { value: result.maxSendLagMs, unit: 'ms', better: 'lower' },
    },
  };
}

/** Figure of one closed-loop step. */
export function closedLoopFigure(result: ClosedLoopStepResult, params: Figure['params'] = {}): Figure {
  return {
    name: `e2e closed loop, ${result.inFlight} in flight`,
    params: { ...params, inFlight: result.inFlight, windowMs: result.windowMs, ...outcomeParams(result), latency: 'from the actual send time' },
    metrics: { throughput: throughputMetric(result.allocatedPerSec), ...latencyMetrics(result.allocated), ...latencyMetrics(result.shipped, 'shippedLatency'), allocationCutOff: count(result.allocationCutOff) },
  };
}

/** Figures of a CPU profile: self time per area, as a share of busy time. */
export function profileFigures(prefix: string, summary: ProfileSummary): Figure[] {
  const entries = [...summary.byArea.map((entry) => ['area', entry] as const), ...summary.inclusive.map((entry) => ['total', entry] as const)];
  return entries.map(([kind, entry]) => ({
    name: `${prefix}, ${kind === 'area' ? 'self time in' : 'total time under'} ${entry.name}`,
    params: { busyMs: summary.busyMs, wallMs: summary.wallMs },
    metrics: { time: { value: entry.ms, unit: 'ms', better: 'lower' }, share: { value: entry.share, unit: 'share of busy time', better: 'lower' } },
  }));
}

/** Prints open-loop runs: offered, sent and achieved rates, latencies in ms, outcome counts. */
export function printOpenLoop(rows: readonly { label: string; result: OpenLoopResult; load: number }[], title: string): void {
  const cells: Cell[][] = rows.map(({ label, result, load }) => [
    label,
    result.offeredPerSec,
    result.sentPerSec,
    result.allocatedPerSec,
    ms(result.allocated.p50),
    ms(result.allocated.p99),
    ms(result.allocated.p999),
    ms(result.allocated.max),
    ms(result.shipped.p50),
    ms(result.shipped.p99),
    ms(result.shipped.max),
    result.measuredOrders,
    `${result.allocationCutOff}/${result.shipmentCutOff}`,
    load,
  ]);
  printTable(['run', 'offered/s', 'sent/s', 'alloc/s', 'alloc p50 ms', 'p99', 'p99.9', 'max', 'ship p50 ms', 'p99', 'max', 'measured', 'cut off a/s', 'load'], cells, title);
}

/** Prints the closed-loop steps. */
export function printClosedLoop(steps: readonly ClosedLoopStepResult[], title: string): void {
  const cells: Cell[][] = steps.map((step) => [step.inFlight, step.allocatedPerSec, ms(step.allocated.p50), ms(step.allocated.p99), ms(step.allocated.p999), ms(step.allocated.max), ms(step.shipped.p50), step.measuredOrders]);
  printTable(['in flight', 'alloc/s', 'alloc p50 ms', 'p99', 'p99.9', 'max', 'ship p50 ms', 'measured'], cells, title);
}

/** Prints a profile summary: busy time by area, the busiest functions and chosen totals. */
export function printProfile(summary: ProfileSummary, title: string): void {
  const share = (value: number): string => `${(value * 100).toFixed(1)}%`;
  console.log(`\n${title}: ${summary.busyMs} ms busy of ${summary.wallMs} ms`);
  printTable(['area (self time)', 'ms', 'share'], summary.byArea.map((entry) => [entry.name, entry.ms, share(entry.share)]));
  printTable(['function (self time)', 'ms', 'share'], summary.topSelf.map((entry) => [entry.name, entry.ms, share(entry.share)]));
  printTable(['function (total time)', 'ms', 'share'], summary.inclusive.map((entry) => [entry.name, entry.ms, share(entry.share)]));
}

/** Figures of the engine's batch stages (apply, LMDB flush, JetStream publish), in ms per batch. */
export function batchFigures(prefix: string, summary: BatchSummary): Figure[] {
  const stages = [
    ['messages per batch', summary.messagesPerBatch, 'commands'],
    ['published per batch', summary.publishedPerBatch, 'messages'],
    ['apply', summary.applyMs, 'ms'],
    ['LMDB flush', summary.flushMs, 'ms'],
    ['JetStream publish', summary.publishMs, 'ms'],
  ] as const;
  return stages.map(([stage, values, unit]) => ({
    name: `${prefix}, ${stage}`,
    params: { batches: summary.batches },
    metrics: {
      p50: { value: values.p50, unit, better: 'lower' },
      p99: { value: values.p99, unit, better: 'lower' },
      max: { value: values.max, unit, better: 'lower' },
      total: { value: values.total, unit, better: 'lower' },
    },
  }));
}

/** Prints the engine's batch stage times. */
export function printBatches(summary: BatchSummary, title: string): void {
  const row = (name: string, values: StageSummary): Cell[] => [name, values.p50, values.p99, values.max, values.total];
  printTable(
    ['per batch', 'p50', 'p99', 'max', 'sum'],
    [row('commands', summary.messagesPerBatch), row('messages published', summary.publishedPerBatch), row('apply ms', summary.applyMs), row('LMDB flush ms', summary.flushMs), row('JetStream publish ms', summary.publishMs)],
    `${title}: ${summary.batches} batches`,
  );
}
