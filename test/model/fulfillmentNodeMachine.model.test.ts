import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getStateNodes } from '@xstate/graph';
import type { ActorLogic, Snapshot } from 'xstate';
import { FulfillmentNodeSchema } from '../../src/domain/node.ts';
import { asNodeId } from '../../src/domain/ids.ts';
import { fulfillmentNodeMachine, type NodeEvent } from '../../src/machines/fulfillmentNodeMachine.ts';
import type { NodeContext } from '../../src/machines/nodeLogic.ts';
import { makeOrder } from '../machines/fixtures.ts';

const AT = '2010-12-01T09:00:00Z';
const SHIP_TO = makeOrder('x', []).destination;
const NODE = FulfillmentNodeSchema.parse({
  nodeId: 'n1',
  name: 'Node one',
  type: 'STORE',
  city: 'Bath',
  country: 'GB',
  lat: 51.38,
  lon: -2.36,
  timeZone: 'Europe/London',
  dailyCapacity: 2,
  cutoffLocal: '16:00',
  handlingCostMinor: 10,
});

/**
 * The node machine mutates its inventory in place for speed, so the traversal transitions a
 * deep copy of each snapshot, as a fresh actor restored from LMDB would.
 */
const logic = {
  ...fulfillmentNodeMachine,
  transition: (snapshot: unknown, event: NodeEvent, scope: unknown) => {
    const { value, context } = snapshot as { value: string; context: NodeContext };
    const copy = fulfillmentNodeMachine.resolveState({ value, context: structuredClone(context) });
    return fulfillmentNodeMachine.transition(copy, event, scope as never);
  },
} as unknown as ActorLogic<Snapshot<unknown>, NodeEvent, unknown>;

const report = (allocationId: string, kind: 'accepted' | 'rejected' | 'shipped' | 'delivered'): NodeEvent => ({
  type: 'node.report',
  report: { type: 'node.report', v: 1, key: `${allocationId}:${kind}`, nodeId: asNodeId('n1'), allocationId, kind, at: AT },
});

const events: NodeEvent[] = [
  { type: 'node.reserve', allocationId: 'a1', orderId: 'o1', lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }], placedAt: AT, shipTo: SHIP_TO },
  { type: 'node.reserve', allocationId: 'a2', orderId: 'o2', lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }], placedAt: AT, shipTo: SHIP_TO },
  { type: 'node.release', allocationId: 'a1', reason: 'cancelled' },
  report('a1', 'accepted'),
  report('a1', 'rejected'),
  report('a1', 'shipped'),
  report('a1', 'delivered'),
  report('a2', 'shipped'),
  { type: 'node.ackTimeout', allocationId: 'a2', at: AT },
  { type: 'node.inventory', change: { kind: 'receipt', sku: 'A', quantity: 1 } },
  { type: 'node.pause' },
  { type: 'node.online' },
  { type: 'node.offline', at: AT },
];

describe('fulfillment node machine model', () => {
  const adjacency = getAdjacencyMap(logic, {
    input: { node: NODE, inventory: { A: { onHand: 1, reserved: 0 } } },
    events,
    serializeState: (snapshot) => {
      const { value, context } = snapshot as unknown as { value: string; context: NodeContext };
      return JSON.stringify([value, context.inventory, context.reservations, context.capacity]);
    },
    stopWhen: (snapshot) => ((snapshot as unknown as { context: NodeContext }).context.inventory.A?.onHand ?? 0) > 3,
    limit: 50_000,
  });
  const states = (Object.values(adjacency) as { state: unknown }[]).map((entry) => entry.state as { value: string; context: NodeContext });

  it('reaches online, paused and offline', () => {
    const reached = new Set(states.map((state) => state.value));
    const declared = getStateNodes(fulfillmentNodeMachine.root).map((node) => node.key);
    expect(declared.filter((key) => !reached.has(key))).toEqual([]);
  });

  it('never reserves more than on hand or goes negative', () => {
    for (const state of states) {
      for (const level of Object.values(state.context.inventory)) {
        expect(level.onHand).toBeGreaterThanOrEqual(0);
        expect(level.reserved).toBeGreaterThanOrEqual(0);
        expect(level.reserved).toBeLessThanOrEqual(level.onHand);
      }
    }
  });

  it('holds exactly the reserved quantities of open reservations', () => {
    for (const state of states) {
      let held = 0;
      for (const reservation of Object.values(state.context.reservations)) {
        if (reservation.state === 'reserved') for (const line of reservation.lines) held += line.quantity;
      }
      expect(state.context.inventory.A?.reserved ?? 0, JSON.stringify(state.context.reservations)).toBe(held);
    }
  });

  it('never holds open work while offline', () => {
    for (const state of states.filter((s) => s.value === 'offline')) {
      expect(Object.values(state.context.reservations).filter((r) => r.state === 'reserved')).toEqual([]);
    }
  });

  it('never releases more shipments than its daily capacity', () => {
    for (const state of states) expect(state.context.capacity.used).toBeLessThanOrEqual(NODE.dailyCapacity);
  });
});
