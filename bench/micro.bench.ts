/**
 * Micro benchmarks of one order with tinybench 6, setup outside the timed call (`beforeEach`):
 * the order actor's lifecycle transitions, encoding and writing its snapshot to LMDB, and
 * passivating and rehydrating it. The order is a 10-line order cut from the bundled UCI data,
 * its sourcing plan computed once by planSourcing on the generated network.
 *
 *   node --import tsx bench/micro.bench.ts [--quick] [--time-ms 1000] [--runs 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createActor } from 'xstate';

import { OrderActors, type PersistedOrder } from '../src/actors/orderActors.ts';
import type { Order } from '../src/domain/order.ts';
import { NetworkView } from '../src/engine/networkView.ts';
import type { PlanResult } from '../src/machines/orderLogic.ts';
import { createOrderMachine, type OrderMachine } from '../src/machines/orderMachine.ts';
import { DEFAULT_RULE_SET, planSourcing } from '../src/sourcing/index.ts';
import { openEngineStore, type EngineStore, type OrderRecord } from '../src/storage/engineStore.ts';
import { loadNow } from './lib/e2e/e2eFigures.ts';
import { runHookedMicro, type HookedCase } from './lib/e2e/hookedMicro.ts';
import { benchNetwork, loadBundledOrders, ordersWithLines } from './lib/e2e/orderWorkload.ts';
import { describeMachine } from './lib/machine.ts';
import { makeResult, writeResult } from './lib/results.ts';
import { printTable } from './lib/table.ts';

const LINES = 10;
/** Distinct keys the snapshot writes cycle through, so writes rewrite existing rows. */
const SNAPSHOT_KEYS = 10_000;
const WRITES_PER_COMMIT = 100;

/** Picks a 10-line order that can be sourced in full, from more than one node when one can, with its plan. */
async function sampleOrder(): Promise<{ order: Order; plan: PlanResult }> {
  const orders = ordersWithLines(await loadBundledOrders(), LINES);
  const network = await benchNetwork(orders, 10_000);
  const view = new NetworkView();
  for (const node of network.nodes) view.setNode(node, 'online', { day: '2000-01-01', used: 0 }, Object.entries(network.inventory[node.nodeId] ?? {}));

  let chosen: { order: Order; plan: PlanResult } | undefined;
  for (const order of orders) {
    const now = Date.parse(order.placedAt);
    const lines = order.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity }));
    const plan = planSourcing({ order, lines, network: view.snapshot(now), rules: DEFAULT_RULE_SET, now });
    if (plan.backorders.length > 0 || plan.shipments.length === 0) continue;
    chosen = { order, plan: { ruleId: plan.ruleId, outcome: plan.outcome, shipments: plan.shipments, backorders: [] } };
    if (plan.shipments.length > 1) break;
  }
  if (chosen === undefined) throw new Error(`no bundled ${LINES}-line order could be sourced in full on the generated network`);
  return chosen;
}

/** Sends the whole lifecycle to a started actor: placed, every allocation confirmed, shipped, delivered. */
function runLifecycle(actor: ReturnType<typeof createActor<OrderMachine>>, order: Order): void {
  const at = order.placedAt;
  actor.send({ type: 'order.placed', order, at });
  const allocationIds = actor.getSnapshot().context.allocations.map((allocation) => allocation.allocationId);
  for (const allocationId of allocationIds) actor.send({ type: 'allocation.answered', allocationId, accepted: true, at });
  for (const allocationId of allocationIds) actor.send({ type: 'shipment.progress', allocationId, step: 'shipped', carrier: 'DHL Express', trackingNumber: 'SY0000000001GB', at });
  for (const allocationId of allocationIds) actor.send({ type: 'shipment.progress', allocationId, step: 'delivered', at });
}

function actorCases(order: Order, plan: PlanResult): HookedCase[] {
  let nextPlan = structuredClone(plan);
  const machine = createOrderMachine({ source: () => nextPlan });
  let actor = createActor(machine, { input: { orderId: order.orderId } });

  const check = createActor(machine, { input: { orderId: order.orderId } }).start();
  runLifecycle(check, order);
  const final = check.getSnapshot();
  if (final.status !== 'done' || final.context.status !== 'delivered') throw new Error(`the lifecycle ended in ${JSON.stringify(final.value)} (${final.context.status}), expected completed and delivered`);

  return [
    {
      name: `order actor place -> allocated -> shipped -> delivered, ${LINES} lines, ${plan.shipments.length} shipments`,
      beforeEach: () => {
        nextPlan = structuredClone(plan);
        actor = createActor(machine, { input: { orderId: order.orderId } });
        actor.on('*', () => undefined);
        actor.start();
      },
      fn: () => runLifecycle(actor, order),
    },
  ];
}

function storeCases(store: EngineStore, record: OrderRecord): HookedCase[] {
  let key = 0;
  const nextKey = (): string => `micro-${(key = (key + 1) % SNAPSHOT_KEYS)}`;
  return [
    { name: `snapshot encode + LMDB put (no commit wait), ${LINES}-line order`, fn: () => void store.orders.put(nextKey(), record) },
    {
      name: 'snapshot put + flushed, 1 per commit',
      fn: async () => {
        void store.orders.put(nextKey(), record);
        await store.flushed();
      },
    },
    {
      name: `snapshot put + flushed, ${WRITES_PER_COMMIT} per commit`,
      opsPerCall: WRITES_PER_COMMIT,
      fn: async () => {
        for (let i = 0; i < WRITES_PER_COMMIT; i++) void store.orders.put(nextKey(), record);
        await store.flushed();
      },
    },
  ];
}

/** Passivation cases: `maxLive` 0, so every `persist` writes the snapshot and stops the actor. */
async function passivationCases(store: EngineStore, order: Order, plan: PlanResult): Promise<HookedCase[]> {
  const machine = createOrderMachine({ source: () => structuredClone(plan) });
  const actors = new OrderActors({ machine, store, now: Date.now, maxLive: 0, onEffect: () => undefined });
  const orderId = order.orderId;
  const actor = actors.create(orderId);
  actor.send({ type: 'order.placed', order, at: order.placedAt });
  for (const allocation of actor.getSnapshot().context.allocations) actor.send({ type: 'allocation.answered', allocationId: allocation.allocationId, accepted: true, at: order.placedAt });
  actors.touch(orderId);
  actors.persist();
  await store.flushed();
  if (actors.liveCount !== 0 || actors.get(orderId)?.getSnapshot().context.status !== 'processing') throw new Error(`order ${orderId} was not passivated in processing`);
  actors.persist();

  return [
    {
      name: 'passivate one order (snapshot written, actor stopped)',
      beforeEach: () => void actors.get(orderId),
      fn: () => {
        actors.touch(orderId);
        actors.persist();
      },
    },
    {
      name: 'rehydrate one order (LMDB get, restore, start)',
      beforeEach: () => void actors.persist(),
      fn: () => actors.get(orderId),
    },
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'time-ms': { type: 'string' }, runs: { type: 'string' } } });
  const quick = values.quick === true;
  const timeMs = Number(values['time-ms'] ?? (quick ? '300' : '1000'));
  const runs = Number(values.runs ?? (quick ? '1' : '3'));
  if (!(timeMs > 0)) throw new Error(`--time-ms must be a positive number, got "${values['time-ms']}"`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${values.runs}"`);

  const result = makeResult('micro', []);
  console.log(`micro on ${describeMachine(result.machine)}`);
  const { order, plan } = await sampleOrder();
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-micro-'));
  const store = openEngineStore({ path: join(dir, 'lmdb') });
  try {
    const machine = createOrderMachine({ source: () => structuredClone(plan) });
    const allocated = createActor(machine, { input: { orderId: order.orderId } }).start();
    allocated.send({ type: 'order.placed', order, at: order.placedAt });
    for (const allocation of allocated.getSnapshot().context.allocations) allocated.send({ type: 'allocation.answered', allocationId: allocation.allocationId, accepted: true, at: order.placedAt });
    const { value, context } = allocated.getSnapshot();
    const persisted: PersistedOrder = { value, context: { ...context, order: undefined } };
    const record: OrderRecord = { snapshot: persisted, updatedAt: Date.now() };

    const cases = [...actorCases(order, plan), ...storeCases(store, record), ...(await passivationCases(store, order, plan))];
    const load = loadNow();
    const figures = await runHookedMicro(cases, { timeMs, warmupMs: Math.min(200, timeMs), runs });
    const rows = figures.map((figure) => {
      const value = (name: string): number => figure.metrics[name]?.value ?? Number.NaN;
      const ops = Number(figure.params?.opsPerCall ?? 1);
      return [figure.name, value('throughput'), value('latencyP50Us'), value('latencyP99Us'), value('latencyP999Us'), Math.round((value('latencyP50Us') / ops) * 100) / 100];
    });
    printTable(['case', 'calls/s', 'p50 us', 'p99 us', 'p99.9 us', 'p50 us per op'], rows, `micro benchmarks, median of ${runs} run(s) (load ${load})`);
    const notes = [`load average at the start ${load}, at the end ${loadNow()}`, `order ${order.orderId}: ${LINES} lines, ${plan.shipments.length} shipments; snapshot record of the allocated order`];
    console.log(`\nwrote ${await writeResult({ ...result, figures: figures.map((figure) => ({ ...figure, params: { ...figure.params, loadAverage1m: load } })), notes })}`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
