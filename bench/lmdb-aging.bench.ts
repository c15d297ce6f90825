/**
 * LMDB aging study: per-batch commit latency and throughput of order snapshot rewrites on a
 * fresh store and after many rewrites, for several key designs and lmdb-js options.
 *
 *   npx tsx bench/lmdb-aging.bench.ts                      # bounded default: baseline and recommended
 *   npx tsx bench/lmdb-aging.bench.ts --variants all --writes 300000
 *   npx tsx bench/lmdb-aging.bench.ts --variants recommended --writes 1000000 --max-seconds 400
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { runAgingVariant, type AgingPlan, type AgingReport, type AgingVariant, type ProbeResult } from './lib/lmdbAgingRun.ts';
import { describeMachine } from './lib/machine.ts';
import { latencyMetrics, makeResult, throughputMetric, writeResult, type Figure } from './lib/results.ts';
import { printTable } from './lib/table.ts';

/** Free-list limits used by the tuned variants (lmdb-js 3.5 defaults: load 50,000, retain 75,000 entries). */
const LARGE_FREE_SPACE = { maxFreeSpaceToLoad: 1_000_000, maxFreeSpaceToRetain: 2_000_000 };

/** The configurations the study compares; `recommended` is the one proposed for the engine. */
export const AGING_VARIANTS: readonly AgingVariant[] = [
  { name: 'random-4k', description: 'random keys, default 4096-byte pages', open: {}, workload: { keyDesign: 'random' } },
  { name: 'ordered-4k', description: 'time-ordered keys, 4096-byte pages', open: {}, workload: { keyDesign: 'time-ordered' } },
  { name: 'random-16k', description: 'random keys, pageSize 16384', open: { pageSize: 16384 }, workload: { keyDesign: 'random' } },
  { name: 'random-32k', description: 'random keys, pageSize 32768', open: { pageSize: 32768 }, workload: { keyDesign: 'random' } },
  { name: 'random-4k-big', description: 'random keys, 4096-byte pages, 3-9 KB snapshots', open: {}, workload: { keyDesign: 'random', snapshotBytes: [3000, 9000] } },
  { name: 'random-16k-big', description: 'random keys, pageSize 16384, 3-9 KB snapshots', open: { pageSize: 16384 }, workload: { keyDesign: 'random', snapshotBytes: [3000, 9000] } },
  { name: 'random-4k-archive', description: 'random keys, finished orders moved to an archive db', open: {}, workload: { keyDesign: 'random', archiveFinished: true } },
  { name: 'random-4k-freespace', description: 'random keys, maxFreeSpaceToLoad 1e6 / maxFreeSpaceToRetain 2e6', open: LARGE_FREE_SPACE, workload: { keyDesign: 'random' } },
  { name: 'random-4k-nomeminit', description: 'random keys, noMemInit', open: { noMemInit: true }, workload: { keyDesign: 'random' } },
  { name: 'random-4k-nooverlap', description: 'random keys, overlappingSync false', open: { overlappingSync: false }, workload: { keyDesign: 'random' } },
  { name: 'random-4k-remap', description: 'random keys, remapChunks', open: { remapChunks: true }, workload: { keyDesign: 'random' } },
  {
    name: 'recommended',
    description: 'the proposed engine settings, the same as random-4k-archive: default 4096-byte pages and options, order-id keys, archive db',
    open: {},
    workload: { keyDesign: 'random', archiveFinished: true },
  },
  {
    name: 'ordered-16k-archive',
    description: 'time-ordered keys, pageSize 16384, archive db for finished orders',
    open: { pageSize: 16384 },
    workload: { keyDesign: 'time-ordered', archiveFinished: true },
  },
];

const DEFAULT_VARIANTS = ['random-4k', 'recommended'];

function parsePlan(): { names: string[]; plan: AgingPlan } {
  const { values } = parseArgs({
    options: {
      variants: { type: 'string' },
      writes: { type: 'string', default: '200000' },
      'max-seconds': { type: 'string', default: '90' },
      batch: { type: 'string', default: '128' },
      'probe-seconds': { type: 'string', default: '2' },
      probes: { type: 'string', default: '1,16,128,512' },
    },
  });
  const positive = (name: string, text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
    return value;
  };

  let requested = DEFAULT_VARIANTS;
  if (values.variants === 'all') requested = AGING_VARIANTS.map((variant) => variant.name);
  else if (values.variants !== undefined) requested = values.variants.split(',');
  const known = new Set(AGING_VARIANTS.map((variant) => variant.name));
  const unknown = requested.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`unknown variant(s) ${unknown.join(', ')}; expected some of: ${[...known].join(', ')}, or all`);

  const agingWrites = positive('writes', values.writes);
  return {
    names: requested,
    plan: {
      agingWrites,
      maxAgingSeconds: positive('max-seconds', values['max-seconds']),
      agingBatch: positive('batch', values.batch),
      probeBatches: values.probes.split(',').map((text) => positive('probes', text)),
      probeSeconds: positive('probe-seconds', values['probe-seconds']),
      segmentWrites: Math.max(50_000, Math.round(agingWrites / 10)),
    },
  };
}

function probeFigures(report: AgingReport, phase: 'fresh' | 'aged', probes: readonly ProbeResult[]): Figure[] {
  return probes.map((probe) => ({
    name: `${report.variant}, ${phase}, batch ${probe.batch}`,
    params: { variant: report.variant, phase, batch: probe.batch, writesBefore: phase === 'fresh' ? 0 : report.totalWrites },
    metrics: {
      throughput: throughputMetric(probe.writesPerSec),
      ...latencyMetrics(probe.commitLatencyUs, 'commit'),
      cpuPerWrite: { value: probe.cpuUsPerWrite, unit: 'us', better: 'lower' },
      diskPerWrite: { value: probe.diskKiBPerWrite, unit: 'KiB', better: 'lower' },
    },
  }));
}

function printReport(report: AgingReport): void {
  const rows = [...report.fresh.map((p) => ['fresh', p] as const), ...report.aged.map((p) => ['aged', p] as const)].map(([phase, p]) => [
    phase,
    p.batch,
    p.writesPerSec,
    p.commitLatencyUs.p50 / 1000,
    p.commitLatencyUs.p99 / 1000,
    p.commitLatencyUs.max / 1000,
    p.cpuUsPerWrite,
    p.diskKiBPerWrite,
  ]);
  printTable(['phase', 'batch', 'writes/s', 'p50 ms', 'p99 ms', 'max ms', 'cpu us/write', 'disk KiB/write'], rows, `${report.variant}: ${report.totalWrites} writes, ${report.ordersFinished} orders finished, ${report.fileMiB} MiB, page ${report.pageSize}`);
}

/** Runs the named variants (default: `random-4k` and `recommended`) and writes `bench/results/lmdb-aging.json`. */
export async function runLmdbAging(): Promise<AgingReport[]> {
  const { names, plan } = parsePlan();
  const result = makeResult('lmdb-aging', []);
  console.log(`lmdb aging study on ${describeMachine(result.machine)}`);
  console.log(`plan: ${JSON.stringify(plan)}`);

  const reports: AgingReport[] = [];
  for (const name of names) {
    const variant = AGING_VARIANTS.find((candidate) => candidate.name === name);
    if (variant === undefined) continue;
    console.log(`\n== ${variant.name}: ${variant.description}`);
    const report = await runAgingVariant(variant, plan, (segment) => {
      const latency = segment.commitLatencyUs;
      console.log(
        `  ${segment.writesAtEnd} writes: ${segment.writesPerSec} writes/s, batch p50 ${latency.p50 / 1000} ms, p99 ${latency.p99 / 1000} ms, ` +
          `cpu ${segment.cpuCores} cores, ${segment.cpuUsPerWrite} us/write, ${segment.diskKiBPerWrite} KiB/write, free list ${segment.freeListEntries} entries / ${segment.freeListPages} pages`,
      );
    });
    printReport(report);
    reports.push(report);
  }

  const figures = reports.flatMap((report) => [...probeFigures(report, 'fresh', report.fresh), ...probeFigures(report, 'aged', report.aged)]);
  const notes = [`plan ${JSON.stringify(plan)}`, `load average at end ${loadavg().map((load) => load.toFixed(2)).join('/')}`, ...reports.map((report) => `${report.variant} aging segments ${JSON.stringify(report.aging)}`)];
  const path = await writeResult({ ...result, figures, notes });
  console.log(`\nwrote ${path}`);
  return reports;
}

if (import.meta.url === `file://${process.argv[1]}`) await runLmdbAging();
