import { describe, expect, it } from 'vitest';
import { compileCondition, orderFacts } from '../../src/sourcing/conditions.ts';
import { parseRuleSet } from '../../src/sourcing/parseRuleSet.ts';
import type { Condition } from '../../src/sourcing/conditionSchema.ts';
import { makeOrder } from './fixtures.ts';

const order = makeOrder(
  [
    { lineId: 'l1', sku: 'TSHIRT-RED', quantity: 2, category: 'apparel', attributes: { hazmat: 'no', size: 'M' } },
    { lineId: 'l2', sku: 'BATTERY-9V', quantity: 1, category: 'electrical', attributes: { hazmat: 'yes' } },
  ],
  {
    channel: 'web',
    shippingMethod: 'express',
    placedAt: '2024-03-05T22:30:00Z',
    customer: { tags: ['vip', 'wholesale'] },
    destination: { city: 'Leeds', country: 'GB', region: 'West Yorkshire', postalCode: 'LS1 4AP', lat: 53.8, lon: -1.55 },
  },
);
const facts = orderFacts(order);

/** Validates the condition through the rule schema, then compiles it. */
function matches(when: unknown, lineIndex?: number): boolean {
  const rule = parseRuleSet({ version: 1, rules: [{ id: 'r', tiers: ['DC'], when }] }).rules[0]!;
  const line = lineIndex === undefined ? undefined : order.lines[lineIndex];
  return compileCondition(rule.when as Condition)(facts, line);
}

describe('rule conditions', () => {
  it.each([
    [{ field: 'channel', op: 'eq', value: 'web' }, true],
    [{ field: 'channel', op: 'ne', value: 'web' }, false],
    [{ field: 'shippingMethod', op: 'in', value: ['express', 'next_day'] }, true],
    [{ field: 'shippingMethod', op: 'not_in', value: ['express'] }, false],
    [{ field: 'destination.country', op: 'eq', value: 'GB' }, true],
    [{ field: 'destination.region', op: 'contains', value: 'Yorkshire' }, true],
    [{ field: 'destination.postalCode', op: 'starts_with', value: ['M', 'LS'] }, true],
    [{ field: 'destination.postalCode', op: 'starts_with', value: 'M' }, false],
    [{ field: 'orderValueMinor', op: 'gte', value: 3000 }, true],
    [{ field: 'orderValueMinor', op: 'gt', value: 3000 }, false],
    [{ field: 'orderValueMinor', op: 'between', value: [1000, 3000] }, true],
    [{ field: 'lineCount', op: 'lt', value: 2 }, false],
    [{ field: 'lineCount', op: 'lte', value: 2 }, true],
    [{ field: 'customer.tags', op: 'contains', value: 'vip' }, true],
    [{ field: 'customer.tags', op: 'in', value: ['staff', 'wholesale'] }, true],
    [{ field: 'customer.tags', op: 'not_in', value: ['staff'] }, true],
    [{ field: 'customer.customerId', op: 'exists' }, false],
    [{ field: 'customer.customerId', op: 'exists', value: false }, true],
    [{ field: 'placedTimeLocal', op: 'between', value: ['22:00', '06:00'], timeZone: 'Europe/London' }, true],
    [{ field: 'placedTimeLocal', op: 'lt', value: '12:00', timeZone: 'Asia/Tokyo' }, true],
    [{ field: 'placedTimeLocal', op: 'gte', value: '22:00', timeZone: 'America/New_York' }, false],
  ])('%j is %s', (when, expected) => {
    expect(matches(when)).toBe(expected);
  });

  it('combines with all, any and none', () => {
    const web = { field: 'channel', op: 'eq', value: 'web' };
    const store = { field: 'channel', op: 'eq', value: 'store' };

    expect(matches({ all: [web, { field: 'destination.country', op: 'eq', value: 'GB' }] })).toBe(true);
    expect(matches({ all: [web, store] })).toBe(false);
    expect(matches({ any: [web, store] })).toBe(true);
    expect(matches({ none: [store] })).toBe(true);
    expect(matches({ none: [web, store] })).toBe(false);
  });

  it('line fields match any line at order level', () => {
    expect(matches({ field: 'line.attributes.hazmat', op: 'eq', value: 'yes' })).toBe(true);
    expect(matches({ field: 'line.category', op: 'eq', value: 'furniture' })).toBe(false);
  });

  it('line fields read one line in line rules', () => {
    const hazmat = { field: 'line.attributes.hazmat', op: 'eq', value: 'yes' };

    expect(matches(hazmat, 0)).toBe(false);
    expect(matches(hazmat, 1)).toBe(true);
    expect(matches({ field: 'line.sku', op: 'starts_with', value: 'TSHIRT' }, 0)).toBe(true);
    expect(matches({ field: 'line.quantity', op: 'gt', value: 1 }, 0)).toBe(true);
  });
});
