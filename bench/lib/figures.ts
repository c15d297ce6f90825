import { median, type DriveResult } from './drivers.ts';
import type { LatencySummary } from './histogram.ts';
import type { Figure, Metric } from './results.ts';

const LATENCY_FIELDS = [
  ['p50', 'latencyP50Us'],
  ['p90', 'latencyP90Us'],
  ['p99', 'latencyP99Us'],
  ['p999', 'latencyP999Us'],
  ['max', 'latencyMaxUs'],
] as const satisfies readonly (readonly [keyof LatencySummary, string])[];

/**
 * Builds a figure from repeated runs of one case: every metric is the median over the runs and
 * keeps each run's value in `runs`, so a comparison can estimate the noise.
 */
export function figureFromRuns(name: string, results: readonly DriveResult[], params: Figure['params'] = {}): Figure {
  if (results.length === 0) throw new Error(`figure "${name}" has no runs`);

  const metrics: Record<string, Metric> = {};
  const throughputs = results.map((result) => Math.round(result.opsPerSec));
  metrics.throughput = { value: median(throughputs), unit: 'ops/s', better: 'higher', runs: throughputs };
  for (const [field, metricName] of LATENCY_FIELDS) {
    const values = results.map((result) => result.latency[field]);
    metrics[metricName] = { value: median(values), unit: 'us', better: 'lower', runs: values };
  }
  return { name, metrics, params: { ...params, runs: results.length, opsPerRun: median(results.map((result) => result.ops)) } };
}
