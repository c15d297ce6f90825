import { Bench } from 'tinybench';

import { median } from './drivers.ts';
import type { Figure, Metric } from './results.ts';

/** One micro benchmark: a synchronous or asynchronous function timed by tinybench. */
export interface MicroCase {
  readonly name: string;
  readonly fn: () => unknown;
}

/** Time budget and repeats of {@link runMicro}. */
export interface MicroOptions {
  /** Measured time per case, in milliseconds. Default 1000. */
  readonly timeMs?: number;
  /** Warm-up time per case, in milliseconds. Default 200. */
  readonly warmupMs?: number;
  /** Repeated runs of the whole set, for the noise estimate. Default 1. */
  readonly runs?: number;
}

interface MicroSample {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly samples: number;
}

async function runOnce(cases: readonly MicroCase[], options: MicroOptions): Promise<Map<string, MicroSample>> {
  const bench = new Bench({ time: options.timeMs ?? 1000, warmupTime: options.warmupMs ?? 200 });
  for (const micro of cases) bench.add(micro.name, micro.fn);
  await bench.run();

  const samples = new Map<string, MicroSample>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`micro benchmark "${task.name}" ended in state ${result.state}, expected completed`);
    samples.set(task.name, {
      throughput: Math.round(1000 / result.period),
      p50: toUs(result.latency.p50),
      p99: toUs(result.latency.p99),
      p999: toUs(result.latency.p999),
      samples: result.latency.samplesCount,
    });
  }
  return samples;
}

const toUs = (ms: number): number => Math.round(ms * 1_000_000) / 1000;

function metric(values: readonly number[], unit: string, better: Metric['better']): Metric {
  const base: Metric = { value: median(values), unit, better };
  return values.length > 1 ? { ...base, runs: values } : base;
}

/**
 * Runs the cases with tinybench 6 `runs` times and returns one figure per case: throughput
 * (1000 / mean period, ops/s) and the p50, p99 and p99.9 of tinybench's latency samples in
 * microseconds, each the median over the runs.
 */
export async function runMicro(cases: readonly MicroCase[], options: MicroOptions = {}): Promise<Figure[]> {
  const runs = options.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${String(runs)}`);

  const results: Map<string, MicroSample>[] = [];
  for (let run = 0; run < runs; run++) results.push(await runOnce(cases, options));

  return cases.map((micro): Figure => {
    const samples = results.map((result) => result.get(micro.name)).filter((sample): sample is MicroSample => sample !== undefined);
    return {
      name: micro.name,
      params: { runs, samplesPerRun: median(samples.map((sample) => sample.samples)) },
      metrics: {
        throughput: metric(samples.map((sample) => sample.throughput), 'ops/s', 'higher'),
        latencyP50Us: metric(samples.map((sample) => sample.p50), 'us', 'lower'),
        latencyP99Us: metric(samples.map((sample) => sample.p99), 'us', 'lower'),
        latencyP999Us: metric(samples.map((sample) => sample.p999), 'us', 'lower'),
      },
    };
  });
}
