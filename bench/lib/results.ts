import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { LatencySummary } from './histogram.ts';
import { collectMachineInfo, type MachineInfo } from './machine.ts';

/** Direction of change that counts as an improvement. */
export type Better = 'higher' | 'lower';

/** One measured number. `runs` contains the value of each repeated run when there were several. */
export interface Metric {
  readonly value: number;
  /** Such as `ops/s`, `us`, `MiB`. */
  readonly unit: string;
  readonly better: Better;
  readonly runs?: readonly number[];
}

/** One measured case, such as `nats request/reply, 64 in flight`, with its metrics by name. */
export interface Figure {
  readonly name: string;
  readonly metrics: Readonly<Record<string, Metric>>;
  /** Parameters of the case (payload size, batch size, options), recorded as given. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

/** Content of `bench/results/<name>.json`. */
export interface BenchResult {
  readonly name: string;
  /** ISO 8601 start time of the run. */
  readonly date: string;
  /** The command that produced the file. */
  readonly command: string;
  readonly machine: MachineInfo;
  readonly figures: readonly Figure[];
  readonly notes?: readonly string[];
}

/** Folder that `writeResult` writes to: `bench/results` in the repository. */
export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

/** Returns a throughput metric in operations per second (higher is better), rounded to 1 op/s. */
export function throughputMetric(opsPerSec: number, runs?: readonly number[]): Metric {
  const metric: Metric = { value: Math.round(opsPerSec), unit: 'ops/s', better: 'higher' };
  return runs === undefined ? metric : { ...metric, runs: runs.map((run) => Math.round(run)) };
}

/** Returns `latencyP50Us`, `latencyP90Us`, ... metrics (lower is better) from a histogram summary. */
export function latencyMetrics(summary: LatencySummary, prefix = 'latency'): Record<string, Metric> {
  const metric = (value: number): Metric => ({ value, unit: 'us', better: 'lower' });
  return {
    [`${prefix}P50Us`]: metric(summary.p50),
    [`${prefix}P90Us`]: metric(summary.p90),
    [`${prefix}P99Us`]: metric(summary.p99),
    [`${prefix}P999Us`]: metric(summary.p999),
    [`${prefix}MaxUs`]: metric(summary.max),
  };
}

/** Builds a result with the machine info, the current command line and `date` (default now). */
export function makeResult(name: string, figures: readonly Figure[], options: { date?: Date; notes?: readonly string[] } = {}): BenchResult {
  const command = ['npx', 'tsx', ...process.argv.slice(1).map((arg) => arg.replace(`${process.cwd()}/`, ''))].join(' ');
  const base: BenchResult = {
    name,
    date: (options.date ?? new Date()).toISOString(),
    command,
    machine: collectMachineInfo(),
    figures,
  };
  return options.notes === undefined ? base : { ...base, notes: options.notes };
}

/** Writes `result` to `DIR/<name>.json` (DIR defaults to bench/results) and returns the path. */
export async function writeResult(result: BenchResult, dir: string = RESULTS_DIR): Promise<string> {
  if (!/^[\w.-]+$/.test(result.name)) {
    throw new Error(`result name must contain only letters, digits, '.', '_' or '-', got "${result.name}"`);
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${result.name}.json`);
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** Reads a result file and checks its top-level shape. */
export async function readResult(path: string): Promise<BenchResult> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<BenchResult>;
  if (typeof parsed.name !== 'string' || !Array.isArray(parsed.figures)) {
    throw new Error(`${path} is not a benchmark result: expected "name" and "figures" fields`);
  }
  return parsed as BenchResult;
}
