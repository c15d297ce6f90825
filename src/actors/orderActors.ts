import { createActor, type Actor } from 'xstate';
import type { OrderMachine } from '../machines/orderMachine.ts';
import type { OrderEffect } from '../machines/orderEffects.ts';
import type { OrderContext } from '../machines/orderState.ts';
import type { EngineStore } from '../storage/engineStore.ts';

export type OrderActor = Actor<OrderMachine>;

/** Stored form of an order actor: the machine's state value and its context. */
export interface PersistedOrder {
  value: unknown;
  context: OrderContext;
}

/** Options for `OrderActors`. */
export interface OrderActorsOptions {
  machine: OrderMachine;
  store: EngineStore;
  /** Receives every effect an order actor emits, with its order id. */
  onEffect: (orderId: string, effect: OrderEffect) => void;
  /** Live actors kept in memory; idle ones beyond it are passivated. Default 50,000. */
  maxLive?: number;
  /** Clock for `updatedAt`, in epoch ms. */
  now: () => number;
}

/**
 * Hosts order actors: one per order, created on its first command, rehydrated from LMDB
 * when a command arrives for a passivated order, persisted after each batch and stopped
 * (passivated) once finished or idle. Every order's events run one at a time, in order.
 */
export class OrderActors {
  private readonly live = new Map<string, OrderActor>();
  private readonly dirty = new Set<string>();
  /** Live orders whose document is known to be stored. */
  private readonly documented = new Set<string>();
  private readonly maxLive: number;

  constructor(private readonly options: OrderActorsOptions) {
    this.maxLive = options.maxLive ?? 50_000;
  }

  /** Number of actors in memory. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Reports whether an order exists, live or persisted. */
  exists(orderId: string): boolean {
    return this.live.has(orderId) || this.options.store.orders.doesExist(orderId);
  }

  /** Returns the live actor of an order, rehydrated from LMDB when passivated; undefined when unknown. */
  get(orderId: string): OrderActor | undefined {
    const live = this.live.get(orderId);
    if (live !== undefined) {
      this.live.delete(orderId);
      this.live.set(orderId, live);
      return live;
    }
    const record = this.options.store.orders.get(orderId);
    if (record === undefined) return undefined;
    // NOTE: restoring mutates the snapshot object. lmdb-js decodes a fresh object per get
    // because the database has no cache, so no other code refers to this one.
    const { value, context } = record.snapshot as PersistedOrder;
    const order = context.order ?? this.options.store.orderDocuments.get(orderId);
    const snapshot = this.options.machine.resolveState({ value: value as never, context: { ...context, order } });
    const actor = createActor(this.options.machine, { snapshot, input: { orderId } });
    return this.adopt(orderId, actor);
  }

  /** Creates the actor of a new order. */
  create(orderId: string): OrderActor {
    const actor = createActor(this.options.machine, { input: { orderId } });
    return this.adopt(orderId, actor);
  }

  /** Marks an order as changed, so the next `persist` writes its snapshot. */
  touch(orderId: string): void {
    this.dirty.add(orderId);
  }

  /**
   * Writes every changed snapshot (committed with the batch, durable after the store's
   * `flushed`), stops finished actors and passivates the least recently used beyond `maxLive`.
   */
  persist(): number {
    const written = this.dirty.size;
    const now = this.options.now();
    for (const orderId of this.dirty) {
      const actor = this.live.get(orderId);
      if (actor === undefined) continue;
      const { value, context } = actor.getSnapshot();
      // The machine has no child actors and its context is plain data, so state value and
      // context restore it fully. Writing them skips the deep copy of getPersistedSnapshot.
      // The placed order never changes, so it is written once, apart from the snapshot.
      if (context.order !== undefined && !this.documented.has(orderId)) {
        if (!this.options.store.orderDocuments.doesExist(orderId)) void this.options.store.orderDocuments.put(orderId, context.order);
        this.documented.add(orderId);
      }
      const persisted: PersistedOrder = { value, context: { ...context, order: undefined } };
      void this.options.store.orders.put(orderId, { snapshot: persisted, updatedAt: now });
      const snapshot = actor.getSnapshot();
      if (snapshot.status === 'done' || snapshot.value === 'cancelled') this.stop(orderId, actor);
    }
    this.dirty.clear();

    for (const [orderId, actor] of this.live) {
      if (this.live.size <= this.maxLive) break;
      this.stop(orderId, actor);
    }
    return written;
  }

  /** Stops every live actor; their snapshots are already persisted. */
  stopAll(): void {
    for (const [orderId, actor] of this.live) this.stop(orderId, actor);
  }

  private adopt(orderId: string, actor: OrderActor): OrderActor {
    actor.on('*', (effect) => this.options.onEffect(orderId, effect));
    actor.start();
    this.live.set(orderId, actor);
    return actor;
  }

  private stop(orderId: string, actor: OrderActor): void {
    actor.stop();
    this.live.delete(orderId);
    this.documented.delete(orderId);
  }
}
