import { Bench } from 'tinybench';

import { median } from '../drivers.ts';
import type { Figure, Metric } from '../results.ts';

/** A micro benchmark whose per-iteration setup runs outside the timed call. */
export interface HookedCase {
  readonly name: string;
  /** The timed call. */
  readonly fn: () => unknown;
  /** Runs before every iteration, untimed (tinybench `beforeEach`). */
  readonly beforeEach?: () => unknown;
  /** Operations one call performs, so that figures can be read per operation. Default 1. */
  readonly opsPerCall?: number;
}

/** Time budget of {@link runHookedMicro}. */
export interface HookedOptions {
  /** Measured time per case and run, in ms. */
  readonly timeMs: number;
  /** Warm-up time per case and run, in ms. */
  readonly warmupMs: number;
  /** Repeated runs of the whole set, for the noise estimate. */
  readonly runs: number;
}

interface Sample {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly samples: number;
}

const toUs = (ms: number): number => Math.round(ms * 1_000_000) / 1000;

async function runOnce(cases: readonly HookedCase[], options: HookedOptions): Promise<Map<string, Sample>> {
  const bench = new Bench({ time: options.timeMs, warmupTime: options.warmupMs });
  for (const micro of cases) {
    const hook = micro.beforeEach;
    bench.add(micro.name, micro.fn, hook === undefined ? {} : { beforeEach: async () => void (await hook()) });
  }
  await bench.run();

  const samples = new Map<string, Sample>();
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

function metric(values: readonly number[], unit: string, better: Metric['better']): Metric {
  const base: Metric = { value: median(values), unit, better };
  return values.length > 1 ? { ...base, runs: values } : base;
}

/**
 * Runs the cases with tinybench 6, `runs` times, and returns one figure per case. A figure has
 * calls per second (1000 / mean period) and the p50, p99 and p99.9 of the per-call latency in
 * us, each the median over the runs. Its `opsPerCall` parameter lets a reader divide.
 */
export async function runHookedMicro(cases: readonly HookedCase[], options: HookedOptions): Promise<Figure[]> {
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new RangeError(`runs must be a positive integer, got ${String(options.runs)}`);
  const results: Map<string, Sample>[] = [];
  for (let run = 0; run < options.runs; run++) results.push(await runOnce(cases, options));

  return cases.map((micro): Figure => {
    const samples = results.map((result) => result.get(micro.name)).filter((sample): sample is Sample => sample !== undefined);
    return {
      name: micro.name,
      params: { runs: options.runs, samplesPerRun: median(samples.map((sample) => sample.samples)), opsPerCall: micro.opsPerCall ?? 1 },
      metrics: {
        throughput: metric(samples.map((sample) => sample.throughput), 'calls/s', 'higher'),
        latencyP50Us: metric(samples.map((sample) => sample.p50), 'us', 'lower'),
        latencyP99Us: metric(samples.map((sample) => sample.p99), 'us', 'lower'),
        latencyP999Us: metric(samples.map((sample) => sample.p999), 'us', 'lower'),
      },
    };
  });
}
