import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { median, repeatRuns, runClosedLoop, runPaced } from '../../bench/lib/drivers.ts';

describe('drivers', () => {
  it('closed loop counts every op', async () => {
    let calls = 0;
    const result = await runClosedLoop(
      async () => {
        calls += 1;
        await sleep(1);
      },
      { inFlight: 4, durationMs: 50, warmupMs: 0 },
    );

    expect(result.ops).toBeGreaterThan(0);
    expect(result.ops).toBeLessThanOrEqual(calls);
    expect(result.latency.count).toBe(result.ops);
  });

  it('paced run corrects slow ops', async () => {
    // Each op takes at least 5 ms against a 1 ms schedule, so the histogram adds missed samples.
    const result = await runPaced(() => sleep(5), { ratePerSec: 1000, durationMs: 60, warmupMs: 0 });

    expect(result.ops).toBeGreaterThan(0);
    expect(result.latency.count).toBeGreaterThan(result.ops);
  });

  it('invalid options rejected', async () => {
    await expect(runClosedLoop(() => Promise.resolve(), { inFlight: 0, durationMs: 10 })).rejects.toThrow(/inFlight/);
    await expect(runPaced(() => Promise.resolve(), { ratePerSec: -1, durationMs: 10 })).rejects.toThrow(/ratePerSec/);
  });

  it('repeatRuns returns each run', async () => {
    let run = 0;
    const results = await repeatRuns(3, () => Promise.resolve(++run));

    expect(results).toEqual([1, 2, 3]);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
