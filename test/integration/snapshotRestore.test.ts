import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderActors } from '../../src/actors/orderActors.ts';
import { NodeActors } from '../../src/actors/nodeActors.ts';
import { createOrderMachine } from '../../src/machines/orderMachine.ts';
import type { OrderEffect } from '../../src/machines/orderEffects.ts';
import { FulfillmentNodeSchema } from '../../src/domain/node.ts';
import { openEngineStore, type EngineStore } from '../../src/storage/engineStore.ts';
import { makeOrder, tableSourcer } from '../machines/fixtures.ts';
import { tempDir } from '../support/tempDir.ts';

const AT = '2010-12-01T09:00:00Z';
const NODE = FulfillmentNodeSchema.parse({
  nodeId: 'dc-1',
  name: 'DC one',
  type: 'DC',
  city: 'Leeds',
  country: 'GB',
  lat: 53.8,
  lon: -1.55,
  timeZone: 'Europe/London',
  dailyCapacity: 100,
  cutoffLocal: '17:00',
  handlingCostMinor: 50,
});

describe('snapshots in LMDB', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: EngineStore;

  beforeEach(async () => {
    dir = await tempDir('restore');
    store = openEngineStore({ path: dir.path });
  });

  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  it('restores an order actor to the same state', async () => {
    const machine = createOrderMachine({ source: tableSourcer({ N1: { A: 5 }, N2: { B: 1 } }) });
    const effects: OrderEffect[] = [];
    const first = new OrderActors({ machine, store, now: () => 0, onEffect: (_id, effect) => effects.push(effect) });
    const actor = first.create('o1');
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 2], ['B', 1]]), at: AT });
    const reserve = effects.find((e) => e.type === 'reserve' && e.nodeId === 'N1');
    const allocationId = reserve?.type === 'reserve' ? reserve.allocationId : '';
    actor.send({ type: 'allocation.answered', allocationId, accepted: true, at: AT });
    first.touch('o1');
    first.persist();
    await store.flushed();
    const before = actor.getSnapshot();
    first.stopAll();

    await store.close();
    store = openEngineStore({ path: dir.path });
    const second = new OrderActors({ machine, store, now: () => 0, onEffect: (_id, effect) => effects.push(effect) });
    const restored = second.get('o1');
    expect(restored?.getSnapshot().value).toEqual(before.value);
    expect(restored?.getSnapshot().context).toEqual(before.context);

    restored?.send({ type: 'shipment.progress', allocationId, step: 'shipped', at: AT });
    expect(restored?.getSnapshot().context.lines[0]?.shipped).toBe(2);
  });

  it('restores a node actor with its inventory rows', async () => {
    const first = new NodeActors({ store, now: () => 0, onEffect: () => undefined });
    const actor = first.add(NODE, { A: 10, B: 3 });
    actor.send({ type: 'node.reserve', allocationId: 'a1', orderId: 'o1', lines: [{ lineId: 'L1', sku: 'A', quantity: 4 }], placedAt: AT, shipTo: makeOrder('o1', []).destination });
    first.touch(NODE.nodeId);
    first.markSku(NODE.nodeId, 'A');
    first.markReservation(NODE.nodeId, 'a1');
    first.persist();
    await store.flushed();
    first.stopAll();

    await store.close();
    store = openEngineStore({ path: dir.path });
    const second = new NodeActors({ store, now: () => 0, onEffect: () => undefined });
    expect(second.restoreAll()).toBe(1);
    const context = second.get(NODE.nodeId)?.getSnapshot().context;
    expect(context?.inventory.A).toEqual({ onHand: 10, reserved: 4 });
    expect(context?.inventory.B).toEqual({ onHand: 3, reserved: 0 });
    expect(Object.keys(context?.reservations ?? {})).toEqual(['a1']);
  });
});
