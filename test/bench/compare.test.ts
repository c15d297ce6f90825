import { describe, expect, it } from 'vitest';

import { compareMetric, compareResults, noiseThreshold, relativeSpread, DEFAULT_NOISE_THRESHOLD } from '../../bench/lib/compare.ts';
import type { BenchResult, Metric } from '../../bench/lib/results.ts';

const machine = { cores: 2, cpuModel: 'test cpu', memoryMiB: 1024, os: 'linux', node: 'v20', natsServer: 'v2.9.10', libraries: {}, loadAverage: [0, 0, 0] };

function result(throughput: Metric, p99: Metric): BenchResult {
  return { name: 'case', date: '2025-01-01T00:00:00.000Z', command: 'test', machine, figures: [{ name: 'rr', metrics: { throughput, latencyP99Us: p99 } }] };
}

const ops = (value: number, runs?: number[]): Metric => (runs === undefined ? { value, unit: 'ops/s', better: 'higher' } : { value, unit: 'ops/s', better: 'higher', runs });
const us = (value: number, runs?: number[]): Metric => (runs === undefined ? { value, unit: 'us', better: 'lower' } : { value, unit: 'us', better: 'lower', runs });

describe('compare', () => {
  it('throughput drop flagged', () => {
    const comparison = compareMetric('rr', 'throughput', ops(10_000), ops(6_000));

    expect(comparison.verdict).toBe('regression');
    expect(comparison.change).toBeCloseTo(-0.4, 5);
  });

  it('latency rise flagged', () => {
    expect(compareMetric('rr', 'p99', us(200), us(400)).verdict).toBe('regression');
  });

  it('latency drop is improvement', () => {
    expect(compareMetric('rr', 'p99', us(400), us(200)).verdict).toBe('improvement');
  });

  it('small change within default noise', () => {
    expect(compareMetric('rr', 'throughput', ops(10_000), ops(9_500)).verdict).toBe('within noise');
  });

  it('noise from runs widens threshold', () => {
    const a = ops(10_000, [8_000, 10_000, 12_000]);
    const b = ops(7_500, [7_000, 7_500, 8_500]);

    expect(relativeSpread(a.runs)).toBeCloseTo(0.4, 5);
    expect(noiseThreshold(a, b)).toBeCloseTo(0.8, 5);
    expect(compareMetric('rr', 'throughput', a, b).verdict).toBe('within noise');
  });

  it('steady runs narrow threshold', () => {
    const a = ops(10_000, [9_990, 10_000, 10_010]);
    const b = ops(9_000, [8_990, 9_000, 9_010]);

    expect(noiseThreshold(a, b)).toBe(DEFAULT_NOISE_THRESHOLD / 2);
    expect(compareMetric('rr', 'throughput', a, b).verdict).toBe('regression');
  });

  it('missing metric reported', () => {
    expect(compareMetric('rr', 'throughput', ops(1), undefined).verdict).toBe('only in A');
    expect(compareMetric('rr', 'throughput', undefined, ops(1)).verdict).toBe('only in B');
  });

  it('results matched by figure', () => {
    const before = result(ops(10_000), us(300));
    const after = result(ops(10_200), us(900));
    const comparisons = compareResults(before, after);

    expect(comparisons).toHaveLength(2);
    expect(comparisons.find((c) => c.metric === 'throughput')?.verdict).toBe('within noise');
    expect(comparisons.find((c) => c.metric === 'latencyP99Us')?.verdict).toBe('regression');
  });
});
