import { describe, expect, it } from 'vitest';
import { planSourcing } from '../../src/sourcing/index.ts';
import type { SourcingPlan } from '../../src/sourcing/index.ts';
import { MORNING, makeNetwork, makeNode, makeOrder, oneRule, plannedAt, request } from './fixtures.ts';

const LATE = Date.UTC(2024, 2, 5, 16, 0);
const MANCHESTER = { lat: 53.48, lon: -2.24, city: 'Manchester' };

function excludedFor(plan: SourcingPlan, nodeId: string): string | undefined {
  return plan.explanation.attempts.flatMap((attempt) => attempt.excluded).find((group) => group.nodeIds.includes(nodeId))?.reason;
}

describe('planSourcing over the network', () => {
  const oneLine = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);

  it('adds the cut-off penalty after cut-off', () => {
    const network = makeNetwork([{ node: makeNode('DC1', { handlingCostMinor: 0 }), stock: { A: 5 } }]);

    const morning = planSourcing(request(oneLine, network, oneRule({}, { afterCutoffPenaltyMinor: 250 })));
    const late = planSourcing(request(oneLine, network, oneRule({}, { afterCutoffPenaltyMinor: 250 }), { now: LATE }));

    expect(morning.shipments[0]?.afterCutoff).toBe(false);
    expect(late.shipments[0]?.afterCutoff).toBe(true);
    expect((late.shipments[0]?.costMinor ?? 0) - (morning.shipments[0]?.costMinor ?? 0)).toBe(250);
  });

  it('prefers a node before its cut-off when the penalty outweighs distance', () => {
    const network = makeNetwork([
      { node: makeNode('LONDON', { cutoffLocal: '15:00' }), stock: { A: 5 } },
      { node: makeNode('MANCHESTER', { ...MANCHESTER, cutoffLocal: '18:00' }), stock: { A: 5 } },
    ]);

    const plan = planSourcing(request(oneLine, network, oneRule({}, { afterCutoffPenaltyMinor: 1000 }), { now: LATE }));

    expect(plan.shipments.map((shipment) => shipment.nodeId)).toEqual(['MANCHESTER']);
  });

  it('excludes late nodes when the rule says so', () => {
    const network = makeNetwork([{ node: makeNode('DC1'), stock: { A: 5 } }]);

    const plan = planSourcing(request(oneLine, network, oneRule({ afterCutoff: 'exclude' }), { now: LATE }));

    expect(plan.outcome).toBe('backordered');
    expect(excludedFor(plan, 'DC1')).toMatch(/past its cut-off/);
  });

  it('reads cut-offs in the node time zone', () => {
    const tokyo = makeNode('TOKYO', { timeZone: 'Asia/Tokyo', cutoffLocal: '18:00' });
    const network = makeNetwork([{ node: tokyo, stock: { A: 5 } }]);
    const nineUtc = Date.UTC(2024, 2, 5, 9, 0);

    const plan = planSourcing(request(oneLine, network, oneRule(), { now: nineUtc }));

    expect(plan.shipments[0]?.afterCutoff).toBe(true);
  });

  it('keeps safety stock back per node type', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 3 }]);
    const network = makeNetwork([{ node: makeNode('ST1', { type: 'STORE' }), stock: { A: 4 } }]);

    const plan = planSourcing(request(order, network, oneRule({ tiers: ['STORE'], safetyStock: { STORE: 2 } })));

    expect(plannedAt(plan, 'ST1', 'l1')).toBe(2);
    expect(plan.backorders[0]).toMatchObject({ quantity: 1, reason: expect.stringMatching(/only 2 unit steps available/) as string });
  });

  it('scales safety stock for measured units', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'FLOUR', quantity: 2, unit: 'kg' }]);
    const network = makeNetwork([{ node: makeNode('DC1'), stock: { FLOUR: 2400 } }]);

    const plan = planSourcing(request(order, network, oneRule({ safetyStock: { DC: 0.5 } })));

    expect(plannedAt(plan, 'DC1', 'l1')).toBe(1900);
  });

  it('skips paused, offline and full nodes', () => {
    const network = makeNetwork([
      { node: makeNode('PAUSED'), stock: { A: 5 }, status: 'paused' },
      { node: makeNode('OFFLINE'), stock: { A: 5 }, status: 'offline' },
      { node: makeNode('FULL'), stock: { A: 5 }, remainingCapacity: 0 },
      { node: makeNode('OPEN', MANCHESTER), stock: { A: 5 } },
    ]);

    const plan = planSourcing(request(oneLine, network, oneRule()));

    expect(plan.shipments.map((shipment) => shipment.nodeId)).toEqual(['OPEN']);
    expect(excludedFor(plan, 'PAUSED')).toMatch(/status paused/);
    expect(excludedFor(plan, 'OFFLINE')).toMatch(/status offline/);
    expect(excludedFor(plan, 'FULL')).toMatch(/no shipment capacity/);
  });

  it('drops nodes beyond the maximum distance', () => {
    const network = makeNetwork([{ node: makeNode('FAR', MANCHESTER), stock: { A: 5 } }]);

    const plan = planSourcing(request(oneLine, network, oneRule({ maxDistanceKm: 100 })));

    expect(plan.outcome).toBe('backordered');
    expect(excludedFor(plan, 'FAR')).toBe('farther than 100 km from the destination');
  });

  it('takes named groups and excludes others', () => {
    const network = makeNetwork([
      { node: makeNode('S1', { type: 'STORE', groups: ['london'] }), stock: { A: 5 } },
      { node: makeNode('S2', { type: 'STORE', groups: ['london', 'franchise'] }), stock: { A: 5 } },
      { node: makeNode('S3', { type: 'STORE' }), stock: { A: 5 } },
    ]);

    const plan = planSourcing(request(oneLine, network, oneRule({ tiers: [{ groups: ['london'] }], exclude: { groups: ['franchise'] } })));

    expect(plan.shipments.map((shipment) => shipment.nodeId)).toEqual(['S1']);
    expect(excludedFor(plan, 'S2')).toMatch(/group excluded/);
    expect(excludedFor(plan, 'S3')).toMatch(/match no tier/);
  });

  it('breaks cost ties by node id', () => {
    const network = makeNetwork([
      { node: makeNode('B'), stock: { A: 5 } },
      { node: makeNode('A'), stock: { A: 5 } },
      { node: makeNode('C'), stock: { A: 5 } },
    ]);

    const plan = planSourcing(request(oneLine, network, oneRule()));

    expect(plan.shipments.map((shipment) => shipment.nodeId)).toEqual(['A']);
  });

  it('ships once when that is not dearer', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'A', quantity: 1 },
      { lineId: 'l2', sku: 'B', quantity: 1 },
    ]);
    const network = makeNetwork([
      { node: makeNode('HAS-A'), stock: { A: 5 } },
      { node: makeNode('HAS-B'), stock: { B: 5 } },
      { node: makeNode('HAS-BOTH', { handlingCostMinor: 700 }), stock: { A: 5, B: 5 } },
    ]);

    const split = planSourcing(request(order, network, oneRule({}, { fixedPerShipmentMinor: 0, extraShipmentPenaltyMinor: 0 })));
    const single = planSourcing(request(order, network, oneRule({}, { fixedPerShipmentMinor: 500, extraShipmentPenaltyMinor: 100 })));

    expect(split.shipments.map((shipment) => shipment.nodeId)).toEqual(['HAS-A', 'HAS-B']);
    expect(single.shipments.map((shipment) => shipment.nodeId)).toEqual(['HAS-BOTH']);
  });

  it('explains candidates and compared plans', () => {
    const network = makeNetwork([
      { node: makeNode('NEAR'), stock: { A: 5 } },
      { node: makeNode('FAR', MANCHESTER), stock: { A: 5 } },
      { node: makeNode('EMPTY'), stock: {} },
    ]);

    const plan = planSourcing(request(oneLine, network, oneRule(), { now: MORNING }));
    const attempt = plan.explanation.attempts[0]!;

    expect(attempt.search).toBe('exact');
    expect(attempt.candidates.map((candidate) => candidate.nodeId)).toEqual(['NEAR']);
    expect(excludedFor(plan, 'FAR')).toMatch(/^not looked up: costlier than \d+, the cost of a single node that fills every line$/);
    expect(attempt.plansConsidered[0]).toEqual({ nodeIds: ['NEAR'], filledMilliUnits: 1000, totalCostMinor: plan.totalCostMinor });
    expect(excludedFor(plan, 'EMPTY')).toMatch(/no stock/);
    expect(plan.explanation.summary).toMatch(/^rule "r1": allocated, 1 shipment\(s\) from NEAR/);
  });
});
