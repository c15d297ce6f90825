import { build, type Histogram } from 'hdr-histogram-js';

/** Percentiles of one latency histogram, in microseconds, plus the sample count. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Options of a {@link LatencyHistogram}. */
export interface LatencyHistogramOptions {
  /**
   * Interval between two requests of an open-loop driver, in microseconds. When set, every
   * sample longer than it also records the samples that the stalled driver failed to send
   * (coordinated-omission correction). Omit it for closed-loop drivers.
   */
  readonly expectedIntervalUs?: number;
  /** Significant decimal digits kept per value (1 to 5). Default 3, so values are within 0.1%. */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5;
}

/**
 * Latency histogram that records durations in microseconds (hdr-histogram-js underneath).
 * Values below 1 us are recorded as 1 us.
 */
export class LatencyHistogram {
  readonly #histogram: Histogram;
  readonly #expectedIntervalUs: number;

  constructor(options: LatencyHistogramOptions = {}) {
    const interval = options.expectedIntervalUs ?? 0;
    if (!Number.isFinite(interval) || interval < 0) {
      throw new RangeError(`expectedIntervalUs must be a finite number >= 0, got ${String(interval)}`);
    }
    this.#expectedIntervalUs = Math.round(interval);
    this.#histogram = build({ numberOfSignificantValueDigits: options.significantDigits ?? 3 });
  }

  /** Records one duration in microseconds, with coordinated-omission correction when configured. */
  recordUs(durationUs: number): void {
    if (!Number.isFinite(durationUs) || durationUs < 0) {
      throw new RangeError(`durationUs must be a finite number >= 0, got ${String(durationUs)}`);
    }
    const value = Math.max(1, Math.round(durationUs));
    if (this.#expectedIntervalUs > 0) {
      this.#histogram.recordValueWithExpectedInterval(value, this.#expectedIntervalUs);
      return;
    }
    this.#histogram.recordValue(value);
  }

  /** Records one duration given in milliseconds (such as a `performance.now()` difference). */
  recordMs(durationMs: number): void {
    this.recordUs(durationMs * 1000);
  }

  /** Number of recorded samples, including the ones added by coordinated-omission correction. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /** Returns the value at `percentile` (0 to 100), in microseconds; 0 when the histogram is empty. */
  percentileUs(percentile: number): number {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new RangeError(`percentile must be between 0 and 100, got ${String(percentile)}`);
    }
    return this.#histogram.getValueAtPercentile(percentile);
  }

  /** Returns p50, p90, p99, p99.9, max and mean in microseconds. */
  summary(): LatencySummary {
    const h = this.#histogram;
    return {
      count: h.totalCount,
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
      mean: h.totalCount === 0 ? 0 : Math.round(h.mean * 10) / 10,
    };
  }

  /** Clears every sample. */
  reset(): void {
    this.#histogram.reset();
  }
}
