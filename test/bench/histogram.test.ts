import { describe, expect, it } from 'vitest';

import { LatencyHistogram } from '../../bench/lib/histogram.ts';

describe('LatencyHistogram', () => {
  it('percentiles of 1..1000 us', () => {
    const histogram = new LatencyHistogram();
    for (let value = 1; value <= 1000; value++) histogram.recordUs(value);

    const summary = histogram.summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBe(500);
    expect(summary.p90).toBe(900);
    expect(summary.p99).toBe(990);
    expect(summary.p999).toBe(999);
    expect(summary.max).toBe(1000);
    expect(summary.mean).toBeCloseTo(500.5, 1);
  });

  it('recordMs converts to microseconds', () => {
    const histogram = new LatencyHistogram();
    histogram.recordMs(2.5);

    // Three significant digits: values above 2048 us fall in buckets 2 us wide.
    expect(histogram.percentileUs(100)).toBeGreaterThanOrEqual(2500);
    expect(histogram.percentileUs(100)).toBeLessThanOrEqual(2502);
  });

  it('sub-microsecond values count as 1 us', () => {
    const histogram = new LatencyHistogram();
    histogram.recordUs(0.2);

    expect(histogram.summary().max).toBe(1);
  });

  it('coordinated-omission correction adds samples', () => {
    const corrected = new LatencyHistogram({ expectedIntervalUs: 100 });
    const plain = new LatencyHistogram();
    for (const histogram of [corrected, plain]) {
      for (let i = 0; i < 99; i++) histogram.recordUs(50);
      histogram.recordUs(1000);
    }

    // The 1000 us stall hid the requests due at 900, 800, ..., 100 us.
    expect(plain.count).toBe(100);
    expect(corrected.count).toBe(109);
    expect(plain.percentileUs(95)).toBe(50);
    expect(corrected.percentileUs(95)).toBeGreaterThanOrEqual(500);
  });

  it('samples within the interval are not corrected', () => {
    const histogram = new LatencyHistogram({ expectedIntervalUs: 100 });
    for (let i = 0; i < 10; i++) histogram.recordUs(80);

    expect(histogram.count).toBe(10);
  });

  it('empty histogram summary is zero', () => {
    const summary = new LatencyHistogram().summary();

    expect(summary.count).toBe(0);
    expect(summary.p99).toBe(0);
    expect(summary.mean).toBe(0);
  });

  it('invalid input is rejected', () => {
    const histogram = new LatencyHistogram();

    expect(() => histogram.recordUs(-1)).toThrow(/durationUs/);
    expect(() => histogram.recordUs(Number.NaN)).toThrow(/durationUs/);
    expect(() => histogram.percentileUs(101)).toThrow(/percentile/);
    expect(() => new LatencyHistogram({ expectedIntervalUs: -5 })).toThrow(/expectedIntervalUs/);
  });

  it('reset clears samples', () => {
    const histogram = new LatencyHistogram();
    histogram.recordUs(10);
    histogram.reset();

    expect(histogram.count).toBe(0);
  });
});
