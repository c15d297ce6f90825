import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { figureFromRuns } from '../../bench/lib/figures.ts';
import { makeResult, readResult, writeResult } from '../../bench/lib/results.ts';
import { formatTable } from '../../bench/lib/table.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const latency = (p50: number) => ({ count: 10, p50, p90: p50 * 2, p99: p50 * 3, p999: p50 * 4, max: p50 * 5, mean: p50 });

describe('results', () => {
  it('write and read round trip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-bench-test-'));
    dirs.push(dir);
    const result = makeResult('roundtrip', [{ name: 'case', metrics: { throughput: { value: 5, unit: 'ops/s', better: 'higher' } } }]);

    const path = await writeResult(result, dir);
    const read = await readResult(path);

    expect(path).toBe(join(dir, 'roundtrip.json'));
    expect(read).toEqual(result);
    expect(read.machine.cores).toBeGreaterThan(0);
    expect(read.machine.libraries.lmdb).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('unsafe result name rejected', async () => {
    await expect(writeResult(makeResult('../escape', []), tmpdir())).rejects.toThrow(/result name/);
  });

  it('figure takes medians of runs', () => {
    const runs = [
      { ops: 100, seconds: 1, opsPerSec: 100, latency: latency(30) },
      { ops: 300, seconds: 1, opsPerSec: 300, latency: latency(10) },
      { ops: 200, seconds: 1, opsPerSec: 200, latency: latency(20) },
    ];
    const figure = figureFromRuns('case', runs);

    expect(figure.metrics.throughput?.value).toBe(200);
    expect(figure.metrics.throughput?.runs).toEqual([100, 300, 200]);
    expect(figure.metrics.latencyP50Us?.value).toBe(20);
    expect(figure.metrics.latencyP99Us?.better).toBe('lower');
    expect(figure.params?.runs).toBe(3);
  });

  it('table aligns numbers right', () => {
    const table = formatTable(['case', 'ops/s'], [['a', 5], ['long name', 12_345]]);

    expect(table.split('\n')).toEqual(['case        ops/s', '---------  ------', 'a               5', 'long name  12,345']);
  });
});
