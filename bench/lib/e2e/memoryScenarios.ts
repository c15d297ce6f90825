import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Database } from 'lmdb';

import { OrderActors } from '../../../src/actors/orderActors.ts';
import type { Order } from '../../../src/domain/order.ts';
import { NetworkView } from '../../../src/engine/networkView.ts';
import type { OrderEffect } from '../../../src/machines/orderEffects.ts';
import type { PlanResult } from '../../../src/machines/orderLogic.ts';
import { createOrderMachine } from '../../../src/machines/orderMachine.ts';
import { DEFAULT_RULE_SET, planSourcing } from '../../../src/sourcing/index.ts';
import { openEngineStore, type EngineStore } from '../../../src/storage/engineStore.ts';
import { perItem, sampleMemory, type MemorySample } from './heapSampler.ts';
import { InProcessEngine } from './inProcessEngine.ts';
import { benchNetwork, OrderCycler, type BenchNetwork } from './orderWorkload.ts';

/** Orders placed between two persists, as one engine batch. */
const ORDERS_PER_BATCH = 500;

/** Bytes of LMDB pages in use per database, from lmdb-js `getStats()`. */
export function lmdbBytes(databases: Readonly<Record<string, Database<unknown, never>>>): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const [name, db] of Object.entries(databases)) {
    const stats = db.getStats() as { pageSize?: number; treeBranchPageCount?: number; treeLeafPageCount?: number; overflowPages?: number };
    bytes[name] = ((stats.treeBranchPageCount ?? 0) + (stats.treeLeafPageCount ?? 0) + (stats.overflowPages ?? 0)) * (stats.pageSize ?? 0);
  }
  return bytes;
}

/** Memory and storage figures of one scenario. */
export interface MemoryScenarioResult {
  readonly scenario: string;
  /** Orders placed (fewer than asked when the time budget ran out). */
  readonly orders: number;
  readonly seconds: number;
  readonly baseline: MemorySample;
  /** With every order live; absent when orders were passivated along the way. */
  readonly live?: MemorySample;
  readonly passivated: MemorySample;
  /** (live - passivated) / orders: what one live actor costs beyond its passivated state. */
  readonly perLiveActor?: MemorySample;
  /** (live - baseline) / orders. */
  readonly perLiveOrder?: MemorySample;
  /** (passivated - baseline) / orders: what stays in memory per order once its actor is stopped. */
  readonly perPassivatedOrder: MemorySample;
  /** LMDB bytes per order, by database and in total (pages in use), and `data.mdb` size per order. */
  readonly lmdbPerOrder: Readonly<Record<string, number>>;
  /** Highest RSS seen between batches, in bytes. */
  readonly peakRss: number;
}

async function withStore<T>(run: (store: EngineStore, path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-memory-'));
  const store = openEngineStore({ path: join(dir, 'lmdb') });
  try {
    return await run(store, join(dir, 'lmdb'));
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function storagePerOrder(store: EngineStore, path: string, orders: number, databases: Readonly<Record<string, Database<unknown, never>>>): Promise<Record<string, number>> {
  await store.flushed();
  const bytes = lmdbBytes(databases);
  const perOrder: Record<string, number> = {};
  let total = 0;
  for (const [name, value] of Object.entries(bytes)) {
    perOrder[name] = Math.round(value / orders);
    total += value;
  }
  perOrder.total = Math.round(total / orders);
  perOrder.file = Math.round((await stat(join(path, 'data.mdb'))).size / orders);
  return perOrder;
}

/**
 * Builds a sourcer with planSourcing's real decisions: each distinct source order is planned once
 * against the network view, and every later copy gets a deep clone of that plan, so no two
 * actors share plan objects. The view never changes here, so a fresh plan would be the same.
 */
function cachedSourcer(network: BenchNetwork): (request: { order: Order; lines: { lineId: string; sku: string; quantity: number }[]; exclusions: { nodeId: string; lineId: string }[] }) => PlanResult {
  const view = new NetworkView();
  for (const node of network.nodes) view.setNode(node, 'online', { day: '2000-01-01', used: 0 }, Object.entries(network.inventory[node.nodeId] ?? {}));
  const plans = new Map<string, PlanResult>();
  return ({ order, lines, exclusions }) => {
    const key = `${order.destination.city}|${order.lines.map((line) => `${line.sku}x${line.quantity}`).join(',')}`;
    let plan = plans.get(key);
    if (plan === undefined) {
      const decidedAt = Date.parse(order.placedAt);
      const full = planSourcing({ order, lines, exclusions, network: view.snapshot(decidedAt), rules: DEFAULT_RULE_SET, now: decidedAt });
      plan = { ruleId: full.ruleId, outcome: full.outcome, shipments: full.shipments, backorders: full.backorders };
      plans.set(key, plan);
    }
    return structuredClone(plan);
  };
}

/** Options of the order-actor scenarios. */
export interface ActorScenarioOptions {
  readonly orders: readonly Order[];
  readonly count: number;
  /** Live actors kept before the least recently used are passivated. */
  readonly maxLive: number;
  /** Stop placing orders after this many seconds. */
  readonly maxSeconds: number;
}

/**
 * Order actors alone: `OrderActors` on a real LMDB store with the real order machine and a
 * planSourcing-backed sourcer. Each order is placed and every reservation is confirmed, so it
 * ends `processing` (waiting for shipment), and is persisted in batches of 500 as the engine
 * persists a batch. Memory is sampled before, with the actors still live (when `maxLive`
 * keeps them all) and after stopping every actor.
 */
export async function runActorScenario(name: string, options: ActorScenarioOptions): Promise<MemoryScenarioResult> {
  const network = await benchNetwork(options.orders, options.count);
  const pending: [string, string][] = [];
  const machine = createOrderMachine({ source: cachedSourcer(network) });
  return withStore(async (store, path) => {
    const onEffect = (orderId: string, effect: OrderEffect): void => {
      if (effect.type === 'reserve') pending.push([orderId, effect.allocationId]);
    };
    const actors = new OrderActors({ machine, store, now: Date.now, maxLive: options.maxLive, onEffect });
    const cycler = new OrderCycler(options.orders, 'mem');
    const placedAt = new Date().toISOString();
    const placeOne = (): void => {
      const order = structuredClone(cycler.next(placedAt));
      const actor = actors.create(order.orderId);
      actor.send({ type: 'order.placed', order, at: placedAt });
      for (const [, allocationId] of pending) actor.send({ type: 'allocation.answered', allocationId, accepted: true, at: placedAt });
      pending.length = 0;
      actors.touch(order.orderId);
    };

    for (let i = 0; i < ORDERS_PER_BATCH; i++) placeOne();
    actors.persist();
    actors.stopAll();
    const baseline = await sampleMemory();
    const warm = cycler.issued;
    const started = performance.now();
    let peakRss = 0;
    while (cycler.issued - warm < options.count && performance.now() - started < options.maxSeconds * 1000) {
      for (let i = 0; i < ORDERS_PER_BATCH; i++) placeOne();
      actors.persist();
      await store.flushed();
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const placed = cycler.issued - warm;

    const allLive = actors.liveCount >= placed;
    const live = allLive ? await sampleMemory() : undefined;
    actors.stopAll();
    const passivated = await sampleMemory();
    const databases = { orders: store.orders, orderDocuments: store.orderDocuments } as unknown as Record<string, Database<unknown, never>>;
    return {
      scenario: name,
      orders: placed,
      seconds: Math.round(seconds),
      baseline,
      ...(live === undefined ? {} : { live, perLiveActor: perItem(live, passivated, placed), perLiveOrder: perItem(live, baseline, placed) }),
      passivated,
      perPassivatedOrder: perItem(passivated, baseline, placed),
      lmdbPerOrder: await storagePerOrder(store, path, placed + warm, databases),
      peakRss,
    };
  });
}

/**
 * Runs the engine's command path (`InProcessEngine`: command processor, order and node actors,
 * network view, backorder index, real LMDB store) with node agents that never report back.
 * Each order is placed, reserved at its nodes and confirmed, so it stays `processing` and the
 * node actors keep its reservations. Memory is sampled as in {@link runActorScenario}.
 */
export async function runEngineScenario(name: string, options: ActorScenarioOptions): Promise<MemoryScenarioResult> {
  const network = await benchNetwork(options.orders, options.count);
  return withStore(async (store, path) => {
    const engine = new InProcessEngine({ store, rules: DEFAULT_RULE_SET, agents: 'none', maxLiveOrders: options.maxLive });
    engine.register(network, 'bench');
    await engine.runUntilIdle();
    const cycler = new OrderCycler(options.orders, 'mem');
    // The place command is validated with zod, which copies the order, so copies share nothing.
    for (let i = 0; i < ORDERS_PER_BATCH; i++) engine.place(cycler.next());
    await engine.runUntilIdle();
    engine.orders.stopAll();
    const baseline = await sampleMemory();

    const warm = cycler.issued;
    const started = performance.now();
    let peakRss = 0;
    while (cycler.issued - warm < options.count && performance.now() - started < options.maxSeconds * 1000) {
      for (let i = 0; i < ORDERS_PER_BATCH; i++) engine.place(cycler.next());
      while (engine.pending >= ORDERS_PER_BATCH) await engine.step();
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    await engine.runUntilIdle();
    const seconds = (performance.now() - started) / 1000;
    const placed = cycler.issued - warm;

    const allLive = engine.orders.liveCount >= placed;
    const live = allLive ? await sampleMemory() : undefined;
    engine.orders.stopAll();
    const passivated = await sampleMemory();
    const { orders, orderDocuments, nodes, reservations, inventory, applied, backorders } = store;
    const databases = { orders, orderDocuments, nodes, reservations, inventory, applied, backorders } as unknown as Record<string, Database<unknown, never>>;
    return {
      scenario: name,
      orders: placed,
      seconds: Math.round(seconds),
      baseline,
      ...(live === undefined ? {} : { live, perLiveActor: perItem(live, passivated, placed), perLiveOrder: perItem(live, baseline, placed) }),
      passivated,
      perPassivatedOrder: perItem(passivated, baseline, placed),
      lmdbPerOrder: await storagePerOrder(store, path, placed + warm, databases),
      peakRss,
    };
  });
}
