import { open, type Database, type RootDatabase } from 'lmdb';
import type { Order } from '../domain/order.ts';
import type { Reservation, StockLevel } from '../machines/nodeLogic.ts';
import { TimerStore, type TimerRecord } from './timerStore.ts';

/** A message the engine must publish, kept with the command that caused it until it is sent. */
export interface OutboxEntry {
  subject: string;
  /** msgpack payload. */
  data: Uint8Array;
  /** JetStream `Nats-Msg-Id`, so that a republish after a crash is deduplicated. */
  msgId: string;
}

/** Record of an applied command: the messages its effects produced. */
export interface AppliedCommand {
  at: number;
  outbox: OutboxEntry[];
}

/** Persisted order actor. */
export interface OrderRecord {
  snapshot: unknown;
  updatedAt: number;
}

/** Persisted node actor; its inventory lives in the `inventory` database, one row per SKU. */
export interface NodeRecord {
  snapshot: unknown;
  updatedAt: number;
}

/** The engine's LMDB environment and its named databases. */
export interface EngineStore {
  readonly root: RootDatabase;
  /** Open and recently finished orders, by order id. */
  readonly orders: Database<OrderRecord, string>;
  /** Placed order documents, written once, kept out of the frequently rewritten snapshots. */
  readonly orderDocuments: Database<Order, string>;
  /** Node actor snapshots without inventory, by node id. */
  readonly nodes: Database<NodeRecord, string>;
  /** Open reservations per node, key `[nodeId, allocationId]`. */
  readonly reservations: Database<Reservation, [string, string]>;
  /** Stock per node and SKU, key `[nodeId, sku]`. */
  readonly inventory: Database<StockLevel, [string, string]>;
  /** Applied command idempotency keys with their outbox. */
  readonly applied: Database<AppliedCommand, string>;
  /** Small engine facts such as the data seed of the network. */
  readonly meta: Database<unknown, string>;
  /** Orders waiting for stock, key `[sku, orderId]`. */
  readonly backorders: Database<true, [string, string]>;
  /** Durable business deadlines. */
  readonly timers: TimerStore;
  /** Resolves when every write issued so far is committed and visible to reads. */
  committed(): Promise<void>;
  /** Resolves when every write committed so far is on disk. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

/** Options for `openEngineStore`. */
export interface EngineStoreOptions {
  /** Folder of the LMDB environment; created when missing. */
  path: string;
}

/**
 * Opens the engine's LMDB environment. Values are msgpack (lmdb-js's own msgpackr with shared
 * structures). The page size stays at the OS default: on an aged store, 16 KiB pages wrote more
 * bytes per snapshot than 4 KiB pages (`bench/lmdb-aging.bench.ts`).
 */
export function openEngineStore(options: EngineStoreOptions): EngineStore {
  const root = open({ path: options.path, maxDbs: 16, compression: false });
  const orders = root.openDB<OrderRecord, string>({ name: 'orders' });
  const orderDocuments = root.openDB<Order, string>({ name: 'order-documents' });
  const nodes = root.openDB<NodeRecord, string>({ name: 'nodes' });
  const inventory = root.openDB<StockLevel, [string, string]>({ name: 'inventory' });
  const reservations = root.openDB<Reservation, [string, string]>({ name: 'reservations' });
  const applied = root.openDB<AppliedCommand, string>({ name: 'applied' });
  const meta = root.openDB<unknown, string>({ name: 'meta' });
  const backorders = root.openDB<true, [string, string]>({ name: 'backorders' });
  const timers = new TimerStore(root.openDB<TimerRecord, [number, string]>({ name: 'timers' }), root.openDB<number, string>({ name: 'timer-ids' }));

  return {
    root,
    orders,
    orderDocuments,
    nodes,
    inventory,
    reservations,
    applied,
    meta,
    backorders,
    timers,
    committed: async () => {
      await root.committed;
    },
    flushed: async () => {
      await root.flushed;
    },
    close: async () => {
      await root.flushed;
      await root.close();
    },
  };
}
