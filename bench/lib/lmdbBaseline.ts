import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { open } from 'lmdb';

import { runClosedLoop, type DriveResult } from './drivers.ts';

/** Settings of {@link measureLmdbBatchedPut}. */
export interface LmdbBatchOptions {
  readonly payload: Uint8Array;
  /** Puts issued in one event-loop turn, so lmdb-js commits them in one transaction. */
  readonly batch: number;
  readonly durationMs: number;
}

/**
 * Measures batched puts on a fresh store in a temp folder (deleted after): each operation issues
 * `batch` puts of `payload` under random keys, then awaits `flushed` (durable on disk).
 * `opsPerSec` counts puts; `latency` is per batch.
 */
export async function measureLmdbBatchedPut(options: LmdbBatchOptions): Promise<DriveResult> {
  if (!Number.isInteger(options.batch) || options.batch < 1) throw new RangeError(`batch must be a positive integer, got ${String(options.batch)}`);

  const dir = await mkdtemp(join(tmpdir(), 'switchyard-lmdb-baseline-'));
  const root = open({ path: dir });
  try {
    const db = root.openDB<Uint8Array, string>({ name: 'baseline', encoding: 'binary' });
    const value = Buffer.from(options.payload);
    const batchOnce = async (): Promise<void> => {
      for (let i = 0; i < options.batch; i++) void db.put(randomBytes(9).toString('base64url'), value);
      await db.flushed;
    };
    const result = await runClosedLoop(batchOnce, { inFlight: 1, durationMs: options.durationMs });
    return { ...result, ops: result.ops * options.batch, opsPerSec: result.opsPerSec * options.batch };
  } finally {
    await root.close();
    await rm(dir, { recursive: true, force: true });
  }
}
