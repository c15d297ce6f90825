import type { BenchResult, Metric } from './results.ts';

/**
 * Relative change below which a difference counts as noise when neither file has repeated runs
 * for the metric: 10%. It is a stated default, not a measured one: between two back-to-back
 * baseline runs on a shared 2-core machine, NATS throughputs moved by 1-15%.
 */
export const DEFAULT_NOISE_THRESHOLD = 0.1;

/** How many noise widths a change must exceed to be flagged. */
export const NOISE_MULTIPLIER = 2;

/** Verdict on one metric of one figure. */
export type Verdict = 'regression' | 'improvement' | 'within noise' | 'only in A' | 'only in B';

/** One metric compared between result A (before) and result B (after). */
export interface MetricComparison {
  readonly figure: string;
  readonly metric: string;
  readonly unit: string;
  readonly a: number | undefined;
  readonly b: number | undefined;
  /** (B - A) / A; undefined when either side is missing or A is 0. */
  readonly change: number | undefined;
  /** Relative change that counts as noise for this metric. */
  readonly threshold: number;
  readonly verdict: Verdict;
}

/**
 * Returns the relative spread of repeated runs, (max - min) / median, or undefined with fewer
 * than two runs.
 */
export function relativeSpread(runs: readonly number[] | undefined): number | undefined {
  if (runs === undefined || runs.length < 2) return undefined;
  const sorted = [...runs].sort((x, y) => x - y);
  const middle = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const low = sorted[0] ?? 0;
  const high = sorted[sorted.length - 1] ?? 0;
  if (middle === 0) return undefined;
  return (high - low) / Math.abs(middle);
}

/**
 * Returns the noise threshold of a metric: NOISE_MULTIPLIER times the larger run spread of A
 * and B when either has repeated runs (never below half the default), else `defaultThreshold`.
 */
export function noiseThreshold(a: Metric | undefined, b: Metric | undefined, defaultThreshold = DEFAULT_NOISE_THRESHOLD): number {
  const spreads = [relativeSpread(a?.runs), relativeSpread(b?.runs)].filter((spread): spread is number => spread !== undefined);
  if (spreads.length === 0) return defaultThreshold;
  return Math.max(defaultThreshold / 2, NOISE_MULTIPLIER * Math.max(...spreads));
}

/** Compares one metric; `better` decides whether a rise is an improvement or a regression. */
export function compareMetric(figure: string, metric: string, a: Metric | undefined, b: Metric | undefined, defaultThreshold = DEFAULT_NOISE_THRESHOLD): MetricComparison {
  const unit = a?.unit ?? b?.unit ?? '';
  const threshold = noiseThreshold(a, b, defaultThreshold);
  const base = { figure, metric, unit, a: a?.value, b: b?.value, threshold };
  if (a === undefined) return { ...base, change: undefined, verdict: 'only in B' };
  if (b === undefined) return { ...base, change: undefined, verdict: 'only in A' };
  if (a.value === 0) {
    if (b.value === 0) return { ...base, change: undefined, verdict: 'within noise' };
    return { ...base, change: undefined, verdict: a.better === 'lower' ? 'regression' : 'improvement' };
  }

  const change = (b.value - a.value) / Math.abs(a.value);
  if (Math.abs(change) <= threshold) return { ...base, change, verdict: 'within noise' };
  const worse = a.better === 'higher' ? change < 0 : change > 0;
  return { ...base, change, verdict: worse ? 'regression' : 'improvement' };
}

/** Compares every metric of every figure of A and B, matched by figure name and metric name. */
export function compareResults(a: BenchResult, b: BenchResult, defaultThreshold = DEFAULT_NOISE_THRESHOLD): MetricComparison[] {
  const figuresB = new Map(b.figures.map((figure) => [figure.name, figure]));
  const figureNames = [...a.figures.map((figure) => figure.name), ...b.figures.map((figure) => figure.name).filter((name) => !a.figures.some((figure) => figure.name === name))];

  const comparisons: MetricComparison[] = [];
  for (const name of figureNames) {
    const metricsA = a.figures.find((figure) => figure.name === name)?.metrics ?? {};
    const metricsB = figuresB.get(name)?.metrics ?? {};
    const metricNames = new Set([...Object.keys(metricsA), ...Object.keys(metricsB)]);
    for (const metric of metricNames) comparisons.push(compareMetric(name, metric, metricsA[metric], metricsB[metric], defaultThreshold));
  }
  return comparisons;
}
