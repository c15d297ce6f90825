import { beforeAll, describe, expect, it } from 'vitest';
import { FulfillmentNodeSchema } from '../../src/domain/node.ts';
import { computeDemand, generateNetwork, type Demand, type GeneratedNetwork } from '../../src/data/network.ts';
import type { UciRecord } from '../../src/data/uciRecord.ts';
import { readAll } from './uciFixtures.ts';

let records: UciRecord[] = [];
let demand: Demand;
let network: GeneratedNetwork;

beforeAll(async () => {
  records = await readAll();
  demand = await computeDemand(records);
  network = generateNetwork({ seed: 42, demand });
});

/** Outcome counts of a greedy replay: one node if any has every line, else any nodes, else backorder. */
function replay(orders: readonly UciRecord[], stock: Record<string, Record<string, number>>) {
  const outcome = { single: 0, split: 0, backordered: 0 };
  for (const record of orders) {
    if (record.kind !== 'order') continue;
    const lines = record.order.lines.filter((line) => line.quantity > 0);
    const single = Object.keys(stock).find((nodeId) => lines.every((line) => (stock[nodeId]?.[line.sku] ?? 0) >= line.quantity));
    if (single !== undefined) {
      const nodeStock = stock[single] ?? {};
      for (const line of lines) nodeStock[line.sku] = (nodeStock[line.sku] ?? 0) - line.quantity;
      outcome.single++;
      continue;
    }
    let short = false;
    for (const line of lines) {
      let needed = line.quantity;
      for (const nodeStock of Object.values(stock)) {
        const taken = Math.min(nodeStock[line.sku] ?? 0, needed);
        if (taken > 0) nodeStock[line.sku] = (nodeStock[line.sku] ?? 0) - taken;
        needed -= taken;
      }
      if (needed > 0) short = true;
    }
    if (short) outcome.backordered++;
    else outcome.split++;
  }
  return outcome;
}

describe('computeDemand', () => {
  it('sums positive units per SKU', async () => {
    const small = await computeDemand([
      { kind: 'order', order: { orderId: 'o1', placedAt: '2010-12-01T09:00:00+00:00', currency: 'GBP', destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.1 }, lines: [{ lineId: 'L001', sku: 'A', quantity: 2, unitPriceMinor: 1 }, { lineId: 'L002', sku: 'B', quantity: -4, unitPriceMinor: 1 }] } },
      { kind: 'order', order: { orderId: 'o2', placedAt: '2010-12-02T09:00:00+00:00', currency: 'GBP', destination: { city: 'Paris', country: 'FR', lat: 48.9, lon: 2.3 }, lines: [{ lineId: 'L001', sku: 'A', quantity: 3, unitPriceMinor: 1 }] } },
      { kind: 'cancel', orderId: 'o1', lines: [{ sku: 'A', quantity: 1 }], reason: 'test', invoiceNo: 'C1', placedAt: '2010-12-02T10:00:00+00:00' },
    ]);
    expect(small.skuUnits).toEqual(new Map([['A', 5]]));
    expect(small.countryOrders).toEqual(new Map([['GB', 1], ['FR', 1]]));
    expect(small.orders).toBe(2);
    expect(small.days).toBe(2);
  });

  it('covers the bundle', () => {
    expect(demand.orders).toBe(1692);
    expect(demand.days).toBe(20);
    expect(demand.countryOrders.get('GB')).toBe(1582);
  });
});

describe('generateNetwork', () => {
  it('repeats for the same seed', () => {
    expect(generateNetwork({ seed: 42, demand })).toEqual(network);
  });

  it('differs for another seed', () => {
    const other = generateNetwork({ seed: 43, demand });
    expect(other.nodes).not.toEqual(network.nodes);
    expect(other.inventory).not.toEqual(network.inventory);
  });

  it('makes valid nodes', () => {
    const ids = new Set<string>();
    for (const node of network.nodes) {
      expect(() => FulfillmentNodeSchema.parse(node), node.nodeId).not.toThrow();
      ids.add(node.nodeId);
    }
    expect(ids.size).toBe(network.nodes.length);
  });

  it('places the expected node mix', () => {
    const ofType = (type: string) => network.nodes.filter((node) => node.type === type);
    expect(ofType('DC').map((node) => node.country)).toEqual(['GB', 'GB', 'DE']);
    expect(ofType('DC').map((node) => node.groups?.[1])).toEqual(['uk-dc', 'uk-dc', 'eu-dc']);
    const stores = ofType('STORE');
    expect(stores.length).toBeGreaterThanOrEqual(15);
    expect(stores.length).toBeLessThanOrEqual(25);
    const britishStores = stores.filter((node) => node.country === 'GB');
    expect(britishStores.length / stores.length).toBeGreaterThan(0.6);
    expect(britishStores.every((node) => node.groups?.includes('uk-stores'))).toBe(true);
    expect(new Set(stores.map((node) => node.country)).size).toBeGreaterThan(3);
    expect(ofType('DROPSHIP').length).toBeGreaterThanOrEqual(3);
    expect(ofType('DROPSHIP').length).toBeLessThanOrEqual(5);
  });

  it('stocks whole non-negative units', () => {
    expect(Object.keys(network.inventory).sort()).toEqual(network.nodes.map((node) => node.nodeId).sort());
    for (const stock of Object.values(network.inventory)) {
      for (const units of Object.values(stock)) {
        expect(Number.isInteger(units)).toBe(true);
        expect(units).toBeGreaterThan(0);
      }
    }
  });

  it('gives dropship vendors a subset', () => {
    for (const node of network.nodes.filter((entry) => entry.type === 'DROPSHIP')) {
      const carried = Object.keys(network.inventory[node.nodeId] ?? {}).length;
      expect(carried).toBeGreaterThan(0);
      expect(carried).toBeLessThan(demand.skuUnits.size / 4);
    }
  });

  it('ships whole, splits and backorders on replay', () => {
    const outcome = replay(records, structuredClone(network.inventory));
    expect(outcome.single).toBeGreaterThan(100);
    expect(outcome.split).toBeGreaterThan(100);
    expect(outcome.backordered).toBeGreaterThan(50);
  });

  it('rejects demand without SKUs', () => {
    expect(() => generateNetwork({ seed: 1, demand: { skuUnits: new Map(), countryOrders: new Map(), orders: 0, days: 0 } })).toThrow(/demand has no SKU/);
  });
});
