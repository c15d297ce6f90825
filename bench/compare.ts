/**
 * Prints two benchmark result files side by side and flags changes beyond the noise.
 *
 *   npx tsx bench/compare.ts A.json B.json [--threshold 0.1] [--all]
 *
 * A is the reference, B the new run. For a metric with repeated runs in either file (a `runs`
 * array), a change within twice the larger relative run spread, (max - min) / median, is noise.
 * A metric without runs uses --threshold (default 0.1, that is 10%).
 * Exits with status 1 when a regression is flagged.
 */
import { parseArgs } from 'node:util';

import { compareResults, DEFAULT_NOISE_THRESHOLD, type MetricComparison } from './lib/compare.ts';
import { describeMachine } from './lib/machine.ts';
import { readResult } from './lib/results.ts';
import { printTable } from './lib/table.ts';

function percent(value: number | undefined): string {
  if (value === undefined) return '';
  const sign = value > 0 ? '+' : '';
  return `${sign}${(value * 100).toFixed(1)}%`;
}

function row(comparison: MetricComparison): (string | number)[] {
  const flag = comparison.verdict === 'regression' ? 'REGRESSION' : comparison.verdict;
  return [comparison.figure, comparison.metric, comparison.a ?? '', comparison.b ?? '', comparison.unit, percent(comparison.change), `±${(comparison.threshold * 100).toFixed(0)}%`, flag];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { threshold: { type: 'string', default: String(DEFAULT_NOISE_THRESHOLD) }, all: { type: 'boolean', default: false } },
  });
  const [pathA, pathB] = positionals;
  if (pathA === undefined || pathB === undefined || positionals.length !== 2) {
    throw new Error(`expected two result files (A.json B.json), got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const threshold = Number(values.threshold);
  if (!(threshold > 0 && threshold < 10)) throw new Error(`--threshold must be a fraction such as 0.1, got "${values.threshold}"`);

  const [a, b] = await Promise.all([readResult(pathA), readResult(pathB)]);
  console.log(`A: ${pathA} (${a.date}) on ${describeMachine(a.machine)}`);
  console.log(`B: ${pathB} (${b.date}) on ${describeMachine(b.machine)}`);
  if (a.machine.cpuModel !== b.machine.cpuModel || a.machine.cores !== b.machine.cores) console.log('NOTE: the two files come from different machines.');
  const busiest = Math.max(a.machine.loadAverage?.[0] ?? 0, b.machine.loadAverage?.[0] ?? 0);
  if (busiest > b.machine.cores) {
    console.log(`NOTE: 1-minute load average reached ${busiest} on ${b.machine.cores} cores; tail latencies (p99 and above) are unreliable.`);
  }

  const comparisons = compareResults(a, b, threshold);
  const shown = values.all ? comparisons : comparisons.filter((comparison) => comparison.metric === 'throughput' || comparison.metric.includes('P50') || comparison.metric.includes('P99') || comparison.verdict !== 'within noise');
  printTable(['figure', 'metric', 'A', 'B', 'unit', 'change', 'noise', 'verdict'], shown.map(row));

  const regressions = comparisons.filter((comparison) => comparison.verdict === 'regression');
  console.log(`\n${regressions.length} regression(s) beyond the noise in ${comparisons.length} metrics.`);
  if (regressions.length > 0) process.exitCode = 1;
}

await main();
