import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET, parseRuleSet, planSourcing } from '../../src/sourcing/index.ts';
import { makeNetwork, makeNode, makeOrder, oneRule, plannedAt, request } from './fixtures.ts';

const EDINBURGH = { lat: 55.95, lon: -3.19, city: 'Edinburgh' };

describe('rule selection', () => {
  it('first matching order rule applies', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }], { shippingMethod: 'express' });
    const network = makeNetwork([
      { node: makeNode('DC1', { type: 'DC' }), stock: { A: 5 } },
      { node: makeNode('ST1', { type: 'STORE' }), stock: { A: 5 } },
    ]);
    const rules = parseRuleSet({
      version: 1,
      rules: [
        { id: 'express-from-stores', when: { field: 'shippingMethod', op: 'eq', value: 'express' }, tiers: ['STORE'] },
        { id: 'everything-else', tiers: ['DC'] },
      ],
    });

    const plan = planSourcing(request(order, network, rules));

    expect(plan.ruleId).toBe('express-from-stores');
    expect(plan.shipments.map((shipment) => shipment.nodeId)).toEqual(['ST1']);
    expect(plan.explanation.rules).toEqual([
      { ruleId: 'express-from-stores', scope: 'order', matched: true },
      { ruleId: 'everything-else', scope: 'order', matched: true },
    ]);
  });

  it('backorders with a reason when no rule matches', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
    const network = makeNetwork([{ node: makeNode('DC1'), stock: { A: 5 } }]);
    const rules = parseRuleSet({ version: 1, rules: [{ id: 'store-only', when: { field: 'channel', op: 'eq', value: 'pos' }, tiers: ['DC'] }] });

    const plan = planSourcing(request(order, network, rules));

    expect(plan.ruleId).toBeUndefined();
    expect(plan.outcome).toBe('backordered');
    expect(plan.backorders[0]?.reason).toBe('no order rule matches this order');
  });

  it('holds the order for review', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
    const network = makeNetwork([{ node: makeNode('DC1'), stock: { A: 0 } }]);

    const plan = planSourcing(request(order, network, oneRule({ onNoFit: 'hold', reason: 'check with the buyer' })));

    expect(plan.outcome).toBe('hold');
    expect(plan.holdReason).toBe('check with the buyer');
    expect(plan.shipments).toEqual([]);
    expect(plan.backorders).toEqual([{ lineId: 'l1', sku: 'A', quantity: 1, reason: 'on hold: check with the buyer' }]);
  });

  it('cancels when the rule says so', () => {
    const order = makeOrder([{ lineId: 'l1', sku: 'A', quantity: 1 }]);
    const network = makeNetwork([{ node: makeNode('DC1'), stock: { A: 0 } }]);

    const plan = planSourcing(request(order, network, oneRule({ onNoFit: 'cancel' })));

    expect(plan.outcome).toBe('cancel');
    expect(plan.cancelReason).toMatch(/no eligible node holds stock/);
  });

  it('line rule overrides the order rule for its lines', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'SHIRT', quantity: 1 },
      { lineId: 'l2', sku: 'BATTERY', quantity: 1, attributes: { hazmat: 'yes' } },
    ]);
    const network = makeNetwork([
      { node: makeNode('DC1', { type: 'DC' }), stock: { SHIRT: 5, BATTERY: 5 } },
      { node: makeNode('HAZ', { type: 'DC', groups: ['hazmat'], ...EDINBURGH }), stock: { BATTERY: 5 } },
    ]);
    const rules = parseRuleSet({
      version: 1,
      rules: [
        { id: 'hazmat', scope: 'line', when: { field: 'line.attributes.hazmat', op: 'eq', value: 'yes' }, tiers: [{ groups: ['hazmat'] }] },
        { id: 'default', tiers: ['DC'], exclude: { groups: ['hazmat'] } },
      ],
    });

    const plan = planSourcing(request(order, network, rules));

    expect(plannedAt(plan, 'HAZ', 'l2')).toBe(1);
    expect(plannedAt(plan, 'DC1', 'l1')).toBe(1);
    expect(plannedAt(plan, 'DC1', 'l2')).toBe(0);
    expect(plan.ruleId).toBe('default');
    expect(plan.explanation.rules[0]).toEqual({ ruleId: 'hazmat', scope: 'line', matched: true, lineIds: ['l2'] });
    expect(plan.explanation.attempts.map((attempt) => [attempt.ruleId, attempt.lineIds])).toEqual([
      ['hazmat', ['l2']],
      ['default', ['l1']],
    ]);
  });

  it('line and order rules share stock', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'A', quantity: 2, category: 'special' },
      { lineId: 'l2', sku: 'A', quantity: 2 },
    ]);
    const network = makeNetwork([{ node: makeNode('DC1'), stock: { A: 3 } }]);
    const rules = parseRuleSet({
      version: 1,
      rules: [
        { id: 'special', scope: 'line', when: { field: 'line.category', op: 'eq', value: 'special' }, tiers: ['DC'] },
        { id: 'default', tiers: ['DC'] },
      ],
    });

    const plan = planSourcing(request(order, network, rules));

    expect(plannedAt(plan, 'DC1', 'l1')).toBe(2);
    expect(plannedAt(plan, 'DC1', 'l2')).toBe(1);
    expect(plan.shipments).toHaveLength(1);
  });

  it('default rule set tries DC, dropship, then store', () => {
    const order = makeOrder([
      { lineId: 'l1', sku: 'A', quantity: 1 },
      { lineId: 'l2', sku: 'B', quantity: 1 },
      { lineId: 'l3', sku: 'C', quantity: 1 },
    ]);
    const network = makeNetwork([
      { node: makeNode('ST1', { type: 'STORE', handlingCostMinor: 0 }), stock: { A: 5, B: 5, C: 5 } },
      { node: makeNode('DS1', { type: 'DROPSHIP', ...EDINBURGH }), stock: { B: 5 } },
      { node: makeNode('DC1', { type: 'DC', ...EDINBURGH }), stock: { A: 5 } },
    ]);

    const plan = planSourcing(request(order, network, DEFAULT_RULE_SET));

    expect(plannedAt(plan, 'DC1', 'l1')).toBe(1);
    expect(plannedAt(plan, 'DS1', 'l2')).toBe(1);
    expect(plannedAt(plan, 'ST1', 'l3')).toBe(1);
    expect(plan.explanation.attempts[0]?.tiersSearched).toBe(3);
  });
});

describe('ship-together kits', () => {
  it('ships kit lines whole from one node', () => {
    const order = makeOrder([
      { lineId: 'frame', sku: 'FRAME', quantity: 1, attributes: { kit: 'bike' } },
      { lineId: 'wheels', sku: 'WHEEL', quantity: 2, attributes: { kit: 'bike' } },
      { lineId: 'bell', sku: 'BELL', quantity: 1 },
    ]);
    const network = makeNetwork([
      { node: makeNode('HAS-FRAME'), stock: { FRAME: 1, BELL: 1 } },
      { node: makeNode('HAS-WHEELS'), stock: { WHEEL: 2 } },
      { node: makeNode('HAS-KIT', EDINBURGH), stock: { FRAME: 1, WHEEL: 2 } },
    ]);

    const plan = planSourcing(request(order, network, oneRule({ split: { maxShipments: 3, shipTogetherAttribute: 'kit' } })));

    expect(plannedAt(plan, 'HAS-KIT', 'frame')).toBe(1);
    expect(plannedAt(plan, 'HAS-KIT', 'wheels')).toBe(2);
    expect(plannedAt(plan, 'HAS-FRAME', 'bell')).toBe(1);
    expect(plan.outcome).toBe('allocated');
  });

  it('backorders a kit that no node ships whole', () => {
    const order = makeOrder([
      { lineId: 'frame', sku: 'FRAME', quantity: 1, attributes: { kit: 'bike' } },
      { lineId: 'wheels', sku: 'WHEEL', quantity: 2, attributes: { kit: 'bike' } },
    ]);
    const network = makeNetwork([
      { node: makeNode('HAS-FRAME'), stock: { FRAME: 1 } },
      { node: makeNode('HAS-WHEELS'), stock: { WHEEL: 2 } },
    ]);

    const plan = planSourcing(request(order, network, oneRule({ split: { maxShipments: 3, shipTogetherAttribute: 'kit' } })));

    expect(plan.shipments).toEqual([]);
    expect(plan.backorders.map((backorder) => [backorder.lineId, backorder.quantity])).toEqual([
      ['frame', 1],
      ['wheels', 2],
    ]);
    expect(plan.backorders[0]?.reason).toMatch(/grouped lines must ship whole from one node/);
  });
});

describe('omnichannel example rules', () => {
  it('sends express orders to a nearby store and hazmat lines to certified DCs', async () => {
    const { loadRuleSet } = await import('../../src/sourcing/loadRuleSet.ts');
    const rules = await loadRuleSet('config/rules/omnichannel.yaml');
    const order = makeOrder(
      [
        { lineId: 'shirt', sku: 'SHIRT', quantity: 1 },
        { lineId: 'battery', sku: 'BATTERY', quantity: 1, attributes: { hazmat: 'yes' } },
      ],
      { shippingMethod: 'express', placedAt: '2024-03-05T10:00:00Z' },
    );
    const network = makeNetwork([
      { node: makeNode('STORE-NEAR', { type: 'STORE' }), stock: { SHIRT: 5, BATTERY: 5 } },
      { node: makeNode('DC-MAIN', { type: 'DC', ...EDINBURGH }), stock: { SHIRT: 50, BATTERY: 50 } },
      { node: makeNode('DC-HAZ', { type: 'DC', groups: ['hazmat-certified'], ...EDINBURGH }), stock: { BATTERY: 50 } },
    ]);

    const plan = planSourcing(request(order, network, rules));

    expect(plan.ruleId).toBe('express-from-stores');
    expect(plannedAt(plan, 'STORE-NEAR', 'shirt')).toBe(1);
    expect(plannedAt(plan, 'DC-HAZ', 'battery')).toBe(1);
    expect(plannedAt(plan, 'STORE-NEAR', 'battery')).toBe(0);
  });
});
