import type { Database, Key } from 'lmdb';

import type { Order } from '../../../src/domain/order.ts';
import type { RuleSet } from '../../../src/sourcing/types.ts';
import type { EngineStore } from '../../../src/storage/engineStore.ts';
import { InProcessEngine } from './inProcessEngine.ts';
import { OrderCycler, type BenchNetwork } from './orderWorkload.ts';

/** An lmdb-js database handle; every handle carries the name it was opened with. */
type NamedDatabase = Database<unknown, Key> & { readonly name?: string | null };

/** One recorded write: a put or a remove on a named database. */
interface WriteOp {
  readonly db: string;
  readonly remove: boolean;
  readonly key: Key;
  readonly value?: unknown;
}

/** Writes recorded from a real engine run, batch by batch (one LMDB commit each). */
export interface WriteLog {
  readonly batches: readonly (readonly WriteOp[])[];
  /** The recording store's database handles by name, which replays write through. */
  readonly databases: ReadonlyMap<string, NamedDatabase>;
  /** Order id prefix of the recorded orders; replays rename it in keys. */
  readonly prefix: string;
  readonly orders: number;
  /** Puts to the `orders` database (order snapshots) per replay of the log. */
  readonly snapshotWrites: number;
  readonly puts: number;
  readonly removes: number;
}

/** Options of {@link recordWriteLog}. */
export interface RecordOptions {
  readonly store: EngineStore;
  readonly rules: RuleSet;
  readonly network: BenchNetwork;
  readonly orders: readonly Order[];
  /** Orders to record, placed `ordersPerBatch` at a time. */
  readonly count: number;
  /** New orders placed before each batch, so batches mix orders at every stage. Default 50. */
  readonly ordersPerBatch?: number;
  /** Reference of the node registration, as `startStack` uses. Default `bench`. */
  readonly registerReference?: string;
}

/** Length-preserving order id prefix of replay `cycle` (cycle 0 is the recording). */
export function cyclePrefix(cycle: number): string {
  if (!Number.isInteger(cycle) || cycle < 0 || cycle > 9999) throw new RangeError(`cycle must be an integer from 0 to 9999, got ${String(cycle)}`);
  return `age${String(cycle).padStart(4, '0')}`;
}

/**
 * Database whose written values the engine keeps mutating: node actors write their live
 * reservation objects. Its values are cloned when recorded; every other value is a fresh
 * object or an immutable XState context.
 */
const MUTATED_DATABASE = 'reservations';

type LmdbPrototype = { put: (...args: unknown[]) => unknown; remove: (...args: unknown[]) => unknown };

/**
 * Registers the network and drives `count` real orders through the engine's command path
 * (`InProcessEngine`, every node agent running the full lifecycle) on `store`, recording every
 * put and remove of every database per commit.
 */
export async function recordWriteLog(options: RecordOptions): Promise<WriteLog> {
  const engine = new InProcessEngine({ store: options.store, rules: options.rules, agents: 'full-lifecycle' });
  engine.register(options.network, options.registerReference ?? 'bench');
  await engine.runUntilIdle();

  const prototype = Object.getPrototypeOf(options.store.orders) as LmdbPrototype;
  const { put, remove } = prototype;
  let current: WriteOp[] = [];
  const databases = new Map<string, NamedDatabase>();
  prototype.put = function (this: NamedDatabase, ...args: unknown[]) {
    databases.set(String(this.name), this);
    const name = String(this.name);
    current.push({ db: name, remove: false, key: args[0] as Key, value: name === MUTATED_DATABASE ? structuredClone(args[1]) : args[1] });
    return put.apply(this, args);
  };
  prototype.remove = function (this: NamedDatabase, ...args: unknown[]) {
    databases.set(String(this.name), this);
    current.push({ db: String(this.name), remove: true, key: args[0] as Key });
    return remove.apply(this, args);
  };

  const prefix = cyclePrefix(0);
  const cycler = new OrderCycler(options.orders, prefix);
  const batches: WriteOp[][] = [];
  const perBatch = options.ordersPerBatch ?? 50;
  try {
    while (cycler.issued < options.count || engine.pending > 0) {
      for (let i = 0; i < perBatch && cycler.issued < options.count; i++) engine.place(cycler.next());
      current = [];
      await engine.step();
      if (current.length > 0) batches.push(current);
    }
  } finally {
    prototype.put = put;
    prototype.remove = remove;
  }

  const ops = batches.flat();
  return {
    batches,
    databases,
    prefix,
    orders: options.count,
    snapshotWrites: ops.filter((op) => op.db === 'orders' && !op.remove).length,
    puts: ops.filter((op) => !op.remove).length,
    removes: ops.filter((op) => op.remove).length,
  };
}

function renameKey(key: Key, from: string, to: string): Key {
  if (typeof key === 'string') return key.replaceAll(from, to);
  if (!Array.isArray(key)) return key;
  return key.map((part: Key) => (typeof part === 'string' ? part.replaceAll(from, to) : part));
}

/** Outcome of {@link replayWriteLog}. */
export interface ReplayResult {
  readonly cycles: number;
  readonly snapshotWrites: number;
  readonly puts: number;
  readonly removes: number;
  readonly seconds: number;
}

/**
 * Ages the recording's store further by replaying its write log until at least
 * `snapshotWrites` order snapshots were written. Cycle N renames the recorded order id prefix
 * to `cyclePrefix(N)` in every key, which keeps key sizes as recorded. Each recorded commit is
 * applied as one commit, followed by `flushed`. Values are written as recorded.
 * `store` must be the store the log was recorded on, still open.
 */
export async function replayWriteLog(store: EngineStore, log: WriteLog, snapshotWrites: number, onCycle?: (cycle: number, written: number) => void): Promise<ReplayResult> {
  if (log.snapshotWrites === 0) throw new Error('the write log contains no order snapshot write; record more orders');

  const started = performance.now();
  let written = 0;
  let puts = 0;
  let removes = 0;
  let cycle = 0;
  while (written < snapshotWrites) {
    cycle += 1;
    const to = cyclePrefix(cycle);
    for (const batch of log.batches) {
      for (const op of batch) {
        const db = log.databases.get(op.db);
        if (db === undefined) throw new Error(`the write log names database "${op.db}" without its handle`);
        const key = renameKey(op.key, log.prefix, to);
        if (op.remove) {
          void db.remove(key);
          removes += 1;
        } else {
          void db.put(key, op.value);
          puts += 1;
        }
      }
      await store.flushed();
    }
    written += log.snapshotWrites;
    onCycle?.(cycle, written);
  }
  return { cycles: cycle, snapshotWrites: written, puts, removes, seconds: (performance.now() - started) / 1000 };
}
