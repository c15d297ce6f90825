import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { FulfillmentNodeSchema } from '../../src/domain/node.ts';
import { asNodeId } from '../../src/domain/ids.ts';
import { fulfillmentNodeMachine } from '../../src/machines/fulfillmentNodeMachine.ts';
import type { NodeEffect } from '../../src/machines/nodeEffects.ts';
import { makeOrder } from './fixtures.ts';

const AT = '2010-12-01T09:00:00Z';
const SHIP_TO = makeOrder('x', []).destination;

function startNode(stock: Record<string, number>, dailyCapacity = 100) {
  const node = FulfillmentNodeSchema.parse({
    nodeId: 'store-1',
    name: 'Store one',
    type: 'STORE',
    city: 'York',
    country: 'GB',
    lat: 53.96,
    lon: -1.08,
    timeZone: 'Europe/London',
    dailyCapacity,
    cutoffLocal: '16:00',
    handlingCostMinor: 80,
  });
  const inventory = Object.fromEntries(Object.entries(stock).map(([sku, onHand]) => [sku, { onHand, reserved: 0 }]));
  const actor = createActor(fulfillmentNodeMachine, { input: { node, inventory } });
  const effects: NodeEffect[] = [];
  actor.on('*', (effect) => effects.push(effect));
  actor.start();
  return { actor, effects };
}

const reserve = (allocationId: string, sku: string, quantity: number, placedAt = AT) => ({
  type: 'node.reserve' as const,
  allocationId,
  orderId: allocationId.split('-')[0] ?? allocationId,
  lines: [{ lineId: 'L1', sku, quantity }],
  placedAt,
  shipTo: SHIP_TO,
});

const report = (allocationId: string, kind: 'rejected' | 'picked' | 'packed' | 'shipped' | 'delivered') => ({
  type: 'node.report' as const,
  report: { type: 'node.report' as const, v: 1 as const, key: `${allocationId}:${kind}`, nodeId: asNodeId('store-1'), allocationId, kind, at: AT },
});

const replies = (effects: NodeEffect[]) => effects.filter((e) => e.type === 'reply');

describe('fulfillment node machine', () => {
  it('gives the last unit to exactly one of two orders', () => {
    const { actor, effects } = startNode({ A: 1 });
    actor.send(reserve('o1-a', 'A', 1));
    actor.send(reserve('o2-a', 'A', 1));
    expect(replies(effects).map((r) => r.type === 'reply' && r.accepted)).toEqual([true, false]);
    expect(replies(effects)[1]).toMatchObject({ code: 'not_in_stock' });
    expect(actor.getSnapshot().context.inventory.A).toEqual({ onHand: 1, reserved: 1 });
  });

  it('applies a repeated shipment confirmation once', () => {
    const { actor } = startNode({ A: 10 });
    actor.send(reserve('o1-a', 'A', 3));
    actor.send(report('o1-a', 'shipped'));
    actor.send(report('o1-a', 'shipped'));
    expect(actor.getSnapshot().context.inventory.A).toEqual({ onHand: 7, reserved: 0 });
  });

  it('answers a repeated reservation without reserving twice', () => {
    const { actor, effects } = startNode({ A: 10 });
    actor.send(reserve('o1-a', 'A', 3));
    actor.send(reserve('o1-a', 'A', 3));
    expect(replies(effects).every((r) => r.type === 'reply' && r.accepted)).toBe(true);
    expect(actor.getSnapshot().context.inventory.A?.reserved).toBe(3);
  });

  it('returns only unshipped stock on release', () => {
    const a = startNode({ A: 100 });
    a.actor.send(reserve('o1-a', 'A', 2));
    a.actor.send(report('o1-a', 'shipped'));
    a.actor.send({ type: 'node.release', allocationId: 'o1-a', reason: 'customer cancelled' });
    expect(a.actor.getSnapshot().context.inventory.A).toEqual({ onHand: 98, reserved: 0 });

    const b = startNode({ A: 100 });
    b.actor.send(reserve('o1-b', 'A', 3));
    b.actor.send({ type: 'node.release', allocationId: 'o1-b', reason: 'customer cancelled' });
    expect(b.actor.getSnapshot().context.inventory.A).toEqual({ onHand: 100, reserved: 0 });
  });

  it('rejects new work while paused', () => {
    const { actor, effects } = startNode({ A: 5 });
    actor.send({ type: 'node.pause' });
    actor.send(reserve('o1-a', 'A', 1));
    expect(replies(effects)[0]).toMatchObject({ accepted: false, code: 'node_paused' });
  });

  it('hands back open work when going offline', () => {
    const { actor, effects } = startNode({ A: 5 });
    actor.send(reserve('o1-a', 'A', 2));
    actor.send({ type: 'node.offline', at: AT });
    expect(effects.find((e) => e.type === 'workRejected')).toMatchObject({ allocationId: 'o1-a', code: 'node_offline' });
    expect(actor.getSnapshot().context.inventory.A).toEqual({ onHand: 5, reserved: 0 });
  });

  it('counts capacity per local day', () => {
    const { actor, effects } = startNode({ A: 10 }, 1);
    actor.send(reserve('o1-a', 'A', 1, '2010-12-01T09:00:00Z'));
    actor.send(reserve('o2-a', 'A', 1, '2010-12-01T10:00:00Z'));
    actor.send(reserve('o3-a', 'A', 1, '2010-12-02T10:00:00Z'));
    expect(replies(effects).map((r) => (r.type === 'reply' ? r.code ?? 'ok' : ''))).toEqual(['ok', 'capacity_exhausted', 'ok']);
  });

  it('releases stock when the agent rejects the work', () => {
    const { actor, effects } = startNode({ A: 5 });
    actor.send(reserve('o1-a', 'A', 2));
    actor.send(report('o1-a', 'rejected'));
    expect(actor.getSnapshot().context.inventory.A).toEqual({ onHand: 5, reserved: 0 });
    expect(effects.find((e) => e.type === 'workRejected')).toMatchObject({ allocationId: 'o1-a' });
  });
});
