import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { open, type RootDatabaseOptions } from 'lmdb';

import { LatencyHistogram, type LatencySummary } from './histogram.ts';
import { OrderWriteWorkload, openOrderStores, type OrderStores, type OrderWorkloadOptions } from './orderWriteWorkload.ts';

/** One store configuration of the aging study. */
export interface AgingVariant {
  readonly name: string;
  readonly description: string;
  /** lmdb-js root options; `maxFreeSpaceToLoad`/`maxFreeSpaceToRetain` are read by lmdb-js 3.5 but not typed. */
  readonly open: RootDatabaseOptions & { maxFreeSpaceToLoad?: number; maxFreeSpaceToRetain?: number };
  readonly workload: OrderWorkloadOptions;
}

/** Limits of one variant's run. */
export interface AgingPlan {
  /** Snapshot writes in the aging phase. */
  readonly agingWrites: number;
  /** The aging phase stops here even when `agingWrites` is not reached, in seconds. */
  readonly maxAgingSeconds: number;
  /** Snapshot writes per commit during aging. */
  readonly agingBatch: number;
  /** Batch sizes probed on the fresh and on the aged store. */
  readonly probeBatches: readonly number[];
  /** Duration of each probe, in seconds. */
  readonly probeSeconds: number;
  /** Writes between two progress rows of the aging phase. */
  readonly segmentWrites: number;
}

/** Throughput and per-batch latency (issue the batch, then `await flushed`) of one batch size. */
export interface ProbeResult {
  readonly batch: number;
  readonly writesPerSec: number;
  readonly commitLatencyUs: LatencySummary;
  /** Process CPU time (all threads) per snapshot write, in microseconds. */
  readonly cpuUsPerWrite: number;
  /** Bytes this process sent to storage per snapshot write, in KiB; -1 where /proc/self/io is missing. */
  readonly diskKiBPerWrite: number;
}

/** One progress row of the aging phase. */
export interface AgingSegment {
  readonly writesAtEnd: number;
  readonly writesPerSec: number;
  readonly commitLatencyUs: LatencySummary;
  /** Process CPU time (all threads) divided by wall time over the segment; 1.0 is one core busy. */
  readonly cpuCores: number;
  readonly cpuUsPerWrite: number;
  readonly diskKiBPerWrite: number;
  /** Entries and pages of LMDB's free-page database (the free list) at the end of the segment. */
  readonly freeListEntries: number;
  readonly freeListPages: number;
}

/** Everything measured for one variant. */
export interface AgingReport {
  readonly variant: string;
  readonly fresh: readonly ProbeResult[];
  readonly aging: readonly AgingSegment[];
  readonly aged: readonly ProbeResult[];
  readonly totalWrites: number;
  readonly ordersFinished: number;
  readonly agingSeconds: number;
  readonly fileMiB: number;
  readonly pageSize: number;
}

/** Returns `write_bytes` of /proc/self/io (bytes sent to the storage layer), or -1 where it is missing. */
function processWriteBytes(): number {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match?.[1] === undefined ? -1 : Number(match[1]);
  } catch {
    return -1;
  }
}

/** CPU and disk counters at one moment, to divide by the writes done since. */
interface CostCounters {
  readonly cpu: NodeJS.CpuUsage;
  readonly writeBytes: number;
  readonly writes: number;
}

function readCounters(workload: OrderWriteWorkload): CostCounters {
  return { cpu: process.cpuUsage(), writeBytes: processWriteBytes(), writes: workload.writes };
}

function costPerWrite(start: CostCounters, workload: OrderWriteWorkload): { cpuUsPerWrite: number; diskKiBPerWrite: number } {
  const writes = Math.max(1, workload.writes - start.writes);
  const cpu = process.cpuUsage(start.cpu);
  const bytes = processWriteBytes();
  return {
    cpuUsPerWrite: Math.round((cpu.user + cpu.system) / writes),
    diskKiBPerWrite: start.writeBytes < 0 || bytes < 0 ? -1 : Math.round(((bytes - start.writeBytes) / writes / 1024) * 100) / 100,
  };
}

interface FreeListStats {
  readonly entries: number;
  readonly pages: number;
  readonly pageSize: number;
}

function freeListStats(stores: OrderStores): FreeListStats {
  const stats = stores.root.getStats() as { pageSize?: number; free?: { entryCount?: number; treeLeafPageCount?: number; treeBranchPageCount?: number; overflowPages?: number } };
  const free = stats.free ?? {};
  return {
    entries: free.entryCount ?? 0,
    pages: (free.treeLeafPageCount ?? 0) + (free.treeBranchPageCount ?? 0) + (free.overflowPages ?? 0),
    pageSize: stats.pageSize ?? 0,
  };
}

async function commitBatch(stores: OrderStores, workload: OrderWriteWorkload, batch: number, histogram: LatencyHistogram): Promise<void> {
  const started = performance.now();
  workload.writeBatch(batch);
  await stores.snapshots.flushed;
  histogram.recordMs(performance.now() - started);
}

async function probe(stores: OrderStores, workload: OrderWriteWorkload, batch: number, seconds: number): Promise<ProbeResult> {
  const histogram = new LatencyHistogram();
  const counters = readCounters(workload);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) await commitBatch(stores, workload, batch, histogram);

  const elapsedSec = (performance.now() - started) / 1000;
  return {
    batch,
    writesPerSec: Math.round((workload.writes - counters.writes) / elapsedSec),
    commitLatencyUs: histogram.summary(),
    ...costPerWrite(counters, workload),
  };
}

async function age(stores: OrderStores, workload: OrderWriteWorkload, plan: AgingPlan, onSegment: (segment: AgingSegment) => void): Promise<AgingSegment[]> {
  const segments: AgingSegment[] = [];
  const started = performance.now();
  const deadline = started + plan.maxAgingSeconds * 1000;
  const target = workload.writes + plan.agingWrites;

  while (workload.writes < target && performance.now() < deadline) {
    const histogram = new LatencyHistogram();
    const segmentStart = performance.now();
    const counters = readCounters(workload);
    const writesStart = workload.writes;
    const segmentEnd = Math.min(target, writesStart + plan.segmentWrites);
    while (workload.writes < segmentEnd && performance.now() < deadline) await commitBatch(stores, workload, plan.agingBatch, histogram);

    const wallUs = (performance.now() - segmentStart) * 1000;
    const cpu = process.cpuUsage(counters.cpu);
    const free = freeListStats(stores);
    const segment: AgingSegment = {
      writesAtEnd: workload.writes,
      writesPerSec: Math.round((workload.writes - writesStart) / (wallUs / 1e6)),
      commitLatencyUs: histogram.summary(),
      cpuCores: Math.round(((cpu.user + cpu.system) / wallUs) * 100) / 100,
      ...costPerWrite(counters, workload),
      freeListEntries: free.entries,
      freeListPages: free.pages,
    };
    segments.push(segment);
    onSegment(segment);
  }
  return segments;
}

/**
 * Runs one variant in a new temp folder: probes the fresh store, ages it, probes it again,
 * then closes it and deletes the folder.
 */
export async function runAgingVariant(variant: AgingVariant, plan: AgingPlan, onSegment: (segment: AgingSegment) => void = () => {}): Promise<AgingReport> {
  const dir = await mkdtemp(join(tmpdir(), `switchyard-lmdb-aging-${variant.name}-`));
  const root = open({ path: dir, ...variant.open });
  try {
    const stores = openOrderStores(root);
    const workload = new OrderWriteWorkload(stores, variant.workload);
    await root.flushed;

    const fresh: ProbeResult[] = [];
    for (const batch of plan.probeBatches) fresh.push(await probe(stores, workload, batch, plan.probeSeconds));

    const agingStart = performance.now();
    const aging = await age(stores, workload, plan, onSegment);
    const agingSeconds = Math.round((performance.now() - agingStart) / 100) / 10;

    const aged: ProbeResult[] = [];
    for (const batch of plan.probeBatches) aged.push(await probe(stores, workload, batch, plan.probeSeconds));

    const fileBytes = (await stat(join(dir, 'data.mdb'))).size;
    return {
      variant: variant.name,
      fresh,
      aging,
      aged,
      totalWrites: workload.writes,
      ordersFinished: workload.ordersFinished,
      agingSeconds,
      fileMiB: Math.round(fileBytes / 1024 / 1024),
      pageSize: freeListStats(stores).pageSize,
    };
  } finally {
    await root.close();
    await rm(dir, { recursive: true, force: true });
  }
}
