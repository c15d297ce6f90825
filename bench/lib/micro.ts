import { Bench } from 'tinybench';

import type { Figure, Metric } from './results.ts';

/** One micro benchmark: a synchronous or asynchronous function timed by tinybench. */
export interface MicroCase {
  readonly name: string;
  readonly fn: () => unknown;
}

/** Time budget per case, in milliseconds. */
export interface MicroOptions {
  /** Measured time per case. Default 1000. */
  readonly timeMs?: number;
  /** Warm-up time per case. Default 200. */
  readonly warmupMs?: number;
}

const latencyUs = (ms: number): Metric => ({ value: Math.round(ms * 1_000_000) / 1000, unit: 'us', better: 'lower' });

/**
 * Runs the cases with tinybench 6 and returns one figure per case: throughput (1000 / mean
 * period, ops/s) and the p50, p99 and p99.9 of tinybench's latency samples in microseconds.
 */
export async function runMicro(cases: readonly MicroCase[], options: MicroOptions = {}): Promise<Figure[]> {
  const bench = new Bench({ time: options.timeMs ?? 1000, warmupTime: options.warmupMs ?? 200 });
  for (const micro of cases) bench.add(micro.name, micro.fn);
  await bench.run();

  return bench.tasks.map((task): Figure => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`micro benchmark "${task.name}" ended in state ${result.state}, expected completed`);
    return {
      name: task.name,
      params: { samples: result.latency.samplesCount },
      metrics: {
        throughput: { value: Math.round(1000 / result.period), unit: 'ops/s', better: 'higher' },
        latencyP50Us: latencyUs(result.latency.p50),
        latencyP99Us: latencyUs(result.latency.p99),
        latencyP999Us: latencyUs(result.latency.p999),
      },
    };
  });
}
