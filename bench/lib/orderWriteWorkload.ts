import { randomBytes } from 'node:crypto';

import type { Database, RootDatabase } from 'lmdb';
import { Packr } from 'msgpackr';

/** Key design of the snapshots: the bare order id, or a creation sequence followed by the order id. */
export type KeyDesign = 'random' | 'time-ordered';

/** Settings of the simulated order stream. */
export interface OrderWorkloadOptions {
  readonly keyDesign: KeyDesign;
  /** Orders in progress at any time; each write picks one at random. Default 10,000. */
  readonly activeOrders?: number;
  /** Snapshot writes over one order's life, drawn uniformly from this range. Default [6, 8]. */
  readonly writesPerOrder?: readonly [number, number];
  /** Snapshot size range in bytes (msgpack). Default [1000, 3000]. */
  readonly snapshotBytes?: readonly [number, number];
  /** Move an order's final snapshot into `archive` (and out of `snapshots`) when it finishes. Default false. */
  readonly archiveFinished?: boolean;
}

/** The three named databases the workload writes, in one environment. */
export interface OrderStores {
  readonly root: RootDatabase;
  /** order key -> msgpack snapshot (binary encoding). */
  readonly snapshots: Database<Buffer, string>;
  /** [status, order key] -> empty string: the small index rows. */
  readonly statusIndex: Database<string, [number, string]>;
  /** order id -> order key, only written for time-ordered keys (the engine looks orders up by id). */
  readonly idIndex: Database<string, string>;
  /** order key -> final snapshot of finished orders, only written when `archiveFinished` is on. */
  readonly archive: Database<Buffer, string>;
}

interface ActiveOrder {
  readonly key: string;
  writesLeft: number;
  status: number;
}

const SNAPSHOT_POOL_SIZE = 64;

/** Builds a pool of plain-msgpack snapshot-like payloads whose sizes spread over `[min, max]` bytes. */
export function buildSnapshotPool(minBytes: number, maxBytes: number, count = SNAPSHOT_POOL_SIZE): Buffer[] {
  if (!(minBytes > 100 && maxBytes >= minBytes)) {
    throw new RangeError(`snapshotBytes must satisfy 100 < min <= max, got [${minBytes}, ${maxBytes}]`);
  }
  const packr = new Packr({ useRecords: false });
  const pool: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const target = minBytes + Math.round(((maxBytes - minBytes) * i) / Math.max(1, count - 1));
    const snapshot = {
      status: 'active',
      value: { fulfillment: 'allocating' },
      context: { orderId: `gid://shopify/Order/${5_000_000_000_000 + i}`, lines: [] as unknown[], notes: '' },
      historyValue: {},
      children: {},
    };
    let encoded = packr.pack(snapshot);
    while (encoded.length + 80 < target) {
      snapshot.context.lines.push({ sku: `SKU-${i}-${snapshot.context.lines.length}`, quantity: 2, node: 'dc-east-1', state: 'reserved' });
      encoded = packr.pack(snapshot);
    }
    snapshot.context.notes = 'x'.repeat(Math.max(0, target - encoded.length - 3));
    pool.push(packr.pack(snapshot));
  }
  return pool;
}

/**
 * Simulated order stream: each `write` rewrites one active order's snapshot and moves its
 * status index row, so a batch of writes is what a busy engine commits between two flushes.
 */
export class OrderWriteWorkload {
  readonly #stores: OrderStores;
  readonly #keyDesign: KeyDesign;
  readonly #active: ActiveOrder[] = [];
  readonly #writesPerOrder: readonly [number, number];
  readonly #pool: Buffer[];
  readonly #archiveFinished: boolean;
  #sequence = 0;
  #writes = 0;
  #ordersFinished = 0;

  constructor(stores: OrderStores, options: OrderWorkloadOptions) {
    const activeOrders = options.activeOrders ?? 10_000;
    if (!Number.isInteger(activeOrders) || activeOrders < 1) {
      throw new RangeError(`activeOrders must be a positive integer, got ${String(activeOrders)}`);
    }
    this.#stores = stores;
    this.#keyDesign = options.keyDesign;
    this.#writesPerOrder = options.writesPerOrder ?? [6, 8];
    const [minBytes, maxBytes] = options.snapshotBytes ?? [1000, 3000];
    this.#pool = buildSnapshotPool(minBytes, maxBytes);
    this.#archiveFinished = options.archiveFinished ?? false;
    for (let i = 0; i < activeOrders; i++) this.#active.push(this.#newOrder());
  }

  /** Snapshot writes issued so far. */
  get writes(): number {
    return this.#writes;
  }

  /** Orders that reached their last write. */
  get ordersFinished(): number {
    return this.#ordersFinished;
  }

  /**
   * Issues `count` snapshot writes (each with its index rows) without awaiting, so lmdb-js
   * commits them together in the transaction of this event-loop turn.
   */
  writeBatch(count: number): void {
    for (let i = 0; i < count; i++) this.#writeOne();
  }

  #newOrder(): ActiveOrder {
    const orderId = randomBytes(9).toString('base64url');
    this.#sequence += 1;
    const key = this.#keyDesign === 'random' ? orderId : `${this.#sequence.toString(36).padStart(10, '0')}.${orderId}`;
    if (this.#keyDesign === 'time-ordered') void this.#stores.idIndex.put(orderId, key);

    const [low, high] = this.#writesPerOrder;
    return { key, writesLeft: low + Math.floor(Math.random() * (high - low + 1)), status: 0 };
  }

  #writeOne(): void {
    const slot = Math.floor(Math.random() * this.#active.length);
    const order = this.#active[slot];
    if (order === undefined) throw new Error(`no active order at slot ${slot}`);

    const snapshot = this.#pool[Math.floor(Math.random() * this.#pool.length)] ?? this.#pool[0];
    if (snapshot === undefined) throw new Error('snapshot pool is empty');
    const { snapshots, statusIndex, archive } = this.#stores;

    if (order.status > 0) void statusIndex.remove([order.status, order.key]);
    order.status += 1;
    order.writesLeft -= 1;
    this.#writes += 1;

    if (order.writesLeft > 0 || !this.#archiveFinished) {
      void snapshots.put(order.key, snapshot);
      void statusIndex.put([order.status, order.key], '');
    } else {
      void snapshots.remove(order.key);
      void archive.put(order.key, snapshot);
    }

    if (order.writesLeft > 0) return;
    this.#ordersFinished += 1;
    this.#active[slot] = this.#newOrder();
  }
}

/** Opens the workload's named databases in `root`. */
export function openOrderStores(root: RootDatabase): OrderStores {
  return {
    root,
    snapshots: root.openDB<Buffer, string>({ name: 'snapshots', encoding: 'binary' }),
    statusIndex: root.openDB<string, [number, string]>({ name: 'status-index', encoding: 'string' }),
    idIndex: root.openDB<string, string>({ name: 'id-index', encoding: 'string' }),
    archive: root.openDB<Buffer, string>({ name: 'archive', encoding: 'binary' }),
  };
}
