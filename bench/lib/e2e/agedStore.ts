import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { Order } from '../../../src/domain/order.ts';
import type { RuleSet } from '../../../src/sourcing/types.ts';
import { openEngineStore } from '../../../src/storage/engineStore.ts';
import type { BenchNetwork } from './orderWorkload.ts';
import { recordWriteLog, replayWriteLog } from './storeAging.ts';

/** Options of {@link ageEngineStore}. */
export interface AgeOptions {
  /** Engine data folder; the store is `<dataDir>/lmdb`, as `switchyard engine` opens it. */
  readonly dataDir: string;
  readonly orders: readonly Order[];
  /** Network to register; the engine that opens the store later must register the same one. */
  readonly network: BenchNetwork;
  readonly rules: RuleSet;
  /** Real orders driven through the engine's command path while recording. */
  readonly recordOrders: number;
  /** Order snapshot writes to reach in total. */
  readonly snapshotWrites: number;
  readonly onProgress?: (written: number, seconds: number) => void;
}

/** What aging did to the store. */
export interface AgeReport {
  readonly recordedOrders: number;
  readonly recordedCommits: number;
  /** Puts and removes per replayed cycle, and order snapshot writes among the puts. */
  readonly perCycle: { readonly puts: number; readonly removes: number; readonly snapshotWrites: number };
  readonly cycles: number;
  /** Order snapshot writes in total, recording included. */
  readonly snapshotWrites: number;
  readonly puts: number;
  readonly removes: number;
  readonly seconds: number;
  /** Size of `data.mdb` after aging, in MiB. */
  readonly fileMiB: number;
  /** Entries in LMDB's free-page database after aging. */
  readonly freeListEntries: number;
}

/**
 * Ages an engine store before a run: records the writes of `recordOrders` real orders going
 * through the engine's command path, then replays that log with fresh order ids until the
 * store has taken `snapshotWrites` order snapshot writes, and closes it.
 */
export async function ageEngineStore(options: AgeOptions): Promise<AgeReport> {
  const started = performance.now();
  const path = join(options.dataDir, 'lmdb');
  const store = openEngineStore({ path });
  try {
    const log = await recordWriteLog({ store, rules: options.rules, network: options.network, orders: options.orders, count: options.recordOrders });
    const remaining = Math.max(0, options.snapshotWrites - log.snapshotWrites);
    const replay = remaining === 0 ? { cycles: 0, snapshotWrites: 0, puts: 0, removes: 0 } : await replayWriteLog(store, log, remaining, (_cycle, written) => options.onProgress?.(log.snapshotWrites + written, (performance.now() - started) / 1000));
    const free = (store.root.getStats() as { free?: { entryCount?: number } }).free;
    await store.flushed();
    return {
      recordedOrders: log.orders,
      recordedCommits: log.batches.length,
      perCycle: { puts: log.puts, removes: log.removes, snapshotWrites: log.snapshotWrites },
      cycles: replay.cycles,
      snapshotWrites: log.snapshotWrites + replay.snapshotWrites,
      puts: log.puts + replay.puts,
      removes: log.removes + replay.removes,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      fileMiB: Math.round((await stat(join(path, 'data.mdb'))).size / 1024 / 1024),
      freeListEntries: free?.entryCount ?? 0,
    };
  } finally {
    await store.close();
  }
}
