import { describe, expect, it } from 'vitest';
import { planSourcing } from '../../src/sourcing/index.ts';
import { greatCircleKm } from '../../src/sourcing/geo.ts';
import { makeNetwork, makeNode, makeOrder, oneRule, plannedAt, request } from './fixtures.ts';

describe('planSourcing cases', () => {
  it('splits two lines across the nodes that hold them', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'A', quantity: 1 },
      { lineId: 'l2', sku: 'B', quantity: 1 },
    ]);
    const network = makeNetwork([
      { node: makeNode('S1'), stock: { A: 1, B: 0 } },
      { node: makeNode('S2'), stock: { A: 0, B: 1 } },
    ]);

    const plan = planSourcing(request(order, network, oneRule()));

    expect(plan.outcome).toBe('allocated');
    expect(plan.shipments).toHaveLength(2);
    expect(plannedAt(plan, 'S1', 'l1')).toBe(1);
    expect(plannedAt(plan, 'S2', 'l2')).toBe(1);
    expect(plan.backorders).toEqual([]);
  });

  it('fills tier 1 first, then tier 2', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 3 }]);
    const network = makeNetwork([
      { node: makeNode('S1', { type: 'DC' }), stock: { A: 1 } },
      { node: makeNode('S2', { type: 'STORE' }), stock: { A: 2 } },
    ]);

    const plan = planSourcing(request(order, network, oneRule({ tiers: ['DC', 'STORE'] })));

    expect(plan.outcome).toBe('allocated');
    expect(plannedAt(plan, 'S1', 'l1')).toBe(1);
    expect(plannedAt(plan, 'S2', 'l1')).toBe(2);
  });

  it('ship complete backorders instead of a partial promise', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 3 }]);
    const network = makeNetwork([
      { node: makeNode('S1', { type: 'DC' }), stock: { A: 1 } },
      { node: makeNode('S2', { type: 'STORE' }), stock: { A: 2 } },
    ]);

    const plan = planSourcing(request(order, network, oneRule({ tiers: ['DC', 'STORE'], split: { mode: 'ship_complete' }, onNoFit: 'backorder' })));

    expect(plan.outcome).toBe('backordered');
    expect(plan.shipments).toEqual([]);
    expect(plan.backorders).toEqual([{ lineId: 'l1', sku: 'A', quantity: 3, reason: expect.stringContaining('no single node') as string }]);
  });

  it('ship complete moves on to the next rule', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 3 }]);
    const network = makeNetwork([
      { node: makeNode('S1', { type: 'DC' }), stock: { A: 1 } },
      { node: makeNode('S2', { type: 'STORE' }), stock: { A: 2 } },
    ]);
    const rules = oneRule({ tiers: ['DC', 'STORE'], split: { mode: 'ship_complete' }, onNoFit: 'next_rule' });
    rules.rules.push({ ...rules.rules[0]!, id: 'r2', split: { mode: 'split', maxShipments: 3, splitLineQuantities: true, allowPartial: true }, onNoFit: 'backorder' });

    const plan = planSourcing(request(order, network, rules));

    expect(plan.ruleId).toBe('r2');
    expect(plan.outcome).toBe('allocated');
    expect(plan.explanation.attempts.map((attempt) => attempt.result)).toEqual(['next_rule', 'planned']);
  });

  it('splits one line over two nodes with 1 unit each', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 2 }]);
    const network = makeNetwork([
      { node: makeNode('S1'), stock: { A: 1 } },
      { node: makeNode('S2'), stock: { A: 1 } },
    ]);

    const plan = planSourcing(request(order, network, oneRule()));

    expect(plan.shipments).toHaveLength(2);
    expect(plannedAt(plan, 'S1', 'l1')).toBe(1);
    expect(plannedAt(plan, 'S2', 'l1')).toBe(1);
  });

  it('re-sources only the unshipped remainder', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 3 }]);
    const network = makeNetwork([{ node: makeNode('S1'), stock: { A: 10 } }]);

    const plan = planSourcing(request(order, network, oneRule(), { lines: [{ lineId: 'l1', sku: 'A', quantity: 2 }] }));

    expect(plannedAt(plan, 'S1', 'l1')).toBe(2);
    expect(plan.backorders).toEqual([]);
  });

  it('never promises one SKU twice across lines', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'A', quantity: 2 },
      { lineId: 'l2', sku: 'A', quantity: 2 },
    ]);
    const network = makeNetwork([{ node: makeNode('S1'), stock: { A: 3 } }]);

    const plan = planSourcing(request(order, network, oneRule()));

    const promised = plan.shipments.flatMap((shipment) => shipment.lines).reduce((sum, line) => sum + line.quantity, 0);
    expect(promised).toBe(3);
    expect(plan.outcome).toBe('partial');
    expect(plan.backorders.reduce((sum, backorder) => sum + backorder.quantity, 0)).toBe(1);
  });

  it('excludes a node that rejected the line', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
    const network = makeNetwork([
      { node: makeNode('NEAR'), stock: { A: 5 } },
      { node: makeNode('FAR', { lat: 55.95, lon: -3.19, city: 'Edinburgh' }), stock: { A: 5 } },
    ]);
    const exclusions = [{ nodeId: 'NEAR', lineId: 'l1' }];

    const before = planSourcing(request(order, network, oneRule()));
    const after = planSourcing(request(order, network, oneRule(), { exclusions }));

    expect(before.shipments[0]?.nodeId).toBe('NEAR');
    expect(after.shipments.map((shipment) => shipment.nodeId)).toEqual(['FAR']);
  });

  it('keeps fractional kg exact in unit steps', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'FLOUR', quantity: 0.1, unit: 'kg' },
      { lineId: 'l2', sku: 'FLOUR', quantity: 0.2, unit: 'kg' },
    ]);
    const network = makeNetwork([{ node: makeNode('S1'), stock: { FLOUR: 300 } }]);

    const plan = planSourcing(request(order, network, oneRule()));

    expect(plan.outcome).toBe('allocated');
    expect(plannedAt(plan, 'S1', 'l1')).toBe(100);
    expect(plannedAt(plan, 'S1', 'l2')).toBe(200);
  });

  it('rejects a fractional unit step', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
    const network = makeNetwork([{ node: makeNode('S1'), stock: { A: 5 } }]);

    expect(() => planSourcing(request(order, network, oneRule(), { lines: [{ lineId: 'l1', sku: 'A', quantity: 1.5 }] }))).toThrow(/lines\[0\]\.quantity: 1\.5/);
  });

  it('costs are integers in minor units', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
    const network = makeNetwork([{ node: makeNode('S1', { lat: 53.48, lon: -2.24 }), stock: { A: 5 } }]);

    const plan = planSourcing(request(order, network, oneRule({}, { perKmMinor: 0.37 })));

    const shipment = plan.shipments[0]!;
    expect(Number.isInteger(shipment.costMinor)).toBe(true);
    const km = greatCircleKm(53.48, -2.24, order.destination.lat, order.destination.lon);
    expect(shipment.costMinor).toBe(500 + Math.round(km * 0.37) + 100);
    expect(plan.totalCostMinor).toBe(shipment.costMinor);
  });
});
