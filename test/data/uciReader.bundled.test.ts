import { beforeAll, describe, expect, it } from 'vitest';
import { OrderSchema, type OrderInput } from '../../src/domain/order.ts';
import type { UciRecord } from '../../src/data/uciRecord.ts';
import { findRecord, readAll, reasonOf } from './uciFixtures.ts';

let firstDays: UciRecord[] = [];

function order(id: string): OrderInput {
  const record = findRecord(firstDays, id);
  if (record?.kind !== 'order') throw new Error(`expected an order record for ${id}, got ${JSON.stringify(record)}`);
  return record.order;
}

beforeAll(async () => {
  firstDays = await readAll({ fromDate: '2010-12-01', toDate: '2010-12-02' });
});

describe('UCI reader on the bundled data', () => {
  it('reads only the requested days', () => {
    for (const record of firstDays) {
      if (record.kind === 'order') expect(record.order.placedAt.slice(0, 10)).toMatch(/^2010-12-0[12]$/);
    }
    expect(firstDays.filter((record) => record.kind === 'order').length).toBeGreaterThan(100);
  });

  it('maps invoice fields to the order', () => {
    const first = order('536365');
    expect(first.source).toBe('uci');
    expect(first.currency).toBe('GBP');
    expect(first.placedAt).toBe('2010-12-01T08:26:00+00:00');
    expect(first.customer?.customerId).toBe('17850');
    expect(first.destination.country).toBe('GB');
    expect(first.lines[0]).toMatchObject({ lineId: 'L001', sku: '85123A', quantity: 6, unitPriceMinor: 255, description: 'WHITE HANGING HEART T-LIGHT HOLDER' });
  });

  it('merges rows of one SKU', () => {
    const merged = order('536488');
    const lines = merged.lines.filter((line) => line.sku === '84347');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.quantity).toBe(5);
    expect(lines[0]?.unitPriceMinor).toBe(255);
    expect(new Set(merged.lines.map((line) => line.sku)).size).toBe(merged.lines.length);
  });

  it('numbers lines in first-seen order', () => {
    const lines = order('536488').lines;
    lines.forEach((line, index) => expect(line.lineId).toBe(`L${String(index + 1).padStart(3, '0')}`));
  });

  it('turns fee codes into charges', () => {
    const france = order('536370');
    expect(france.charges).toEqual([{ code: 'POST', description: 'POSTAGE', amountMinor: 5400 }]);
    expect(france.lines.some((line) => line.sku === 'POST')).toBe(false);
    expect(order('536569').charges).toEqual([{ code: 'M', description: 'Manual', amountMinor: 2020 }]);
  });

  it('rejects an invoice of fees only', () => {
    expect(reasonOf(findRecord(firstDays, '536779'))).toContain('only fee codes (BANK CHARGES)');
  });

  it('keeps negative quantity lines', () => {
    expect(order('536589').lines).toEqual([{ lineId: 'L001', sku: '21777', quantity: -10, unit: 'each', unitPriceMinor: 0 }]);
  });

  it('reads guest orders', () => {
    const guest = order('536414');
    expect(guest.customer?.customerId).toBeUndefined();
    expect(guest.customer?.tags).toEqual(['guest']);
    expect(guest.destination.country).toBe('GB');
  });

  it('matches a cancellation to its order', () => {
    expect(findRecord(firstDays, 'C536506')).toMatchObject({ kind: 'cancel', orderId: '536488', lines: [{ sku: '22960', quantity: 6 }], placedAt: '2010-12-01T12:38:00+00:00' });
    expect(findRecord(firstDays, 'C536826')).toMatchObject({ kind: 'cancel', orderId: '536397', lines: [{ sku: '35004B', quantity: 5 }] });
  });

  it('rejects unmatched cancellations', () => {
    expect(reasonOf(findRecord(firstDays, 'C536383'))).toContain('no earlier order of customer 15311');
    expect(reasonOf(findRecord(firstDays, 'C536379'))).toContain('only fee codes (D)');
  });
});

describe('UCI reader on the whole bundle', () => {
  let all: UciRecord[] = [];
  beforeAll(async () => {
    all = await readAll();
  });

  it('yields valid orders in placement order', () => {
    let previous = '';
    for (const record of all) {
      if (record.kind !== 'order') continue;
      expect(() => OrderSchema.parse(record.order)).not.toThrow();
      const instant = new Date(record.order.placedAt).toISOString();
      expect(instant >= previous, record.order.orderId).toBe(true);
      previous = instant;
    }
  });

  it('reads the largest invoice whole', () => {
    // Invoice 537434 has 675 rows: 674 SKUs, one of them the fee code DOT.
    const largest = findRecord(all, '537434');
    expect(largest?.kind).toBe('order');
    if (largest?.kind !== 'order') return;
    expect(largest.order.lines).toHaveLength(673);
    expect(largest.order.lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(1868);
    expect(largest.order.charges?.map((charge) => charge.code)).toEqual(['DOT']);
  });

  it('counts the records of the bundle', () => {
    const count = (kind: UciRecord['kind']) => all.filter((record) => record.kind === kind).length;
    expect(count('order')).toBe(1692);
    expect(count('cancel')).toBe(159);
    expect(count('rejected')).toBe(201);
  });
});
