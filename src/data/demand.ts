/**
 * Demand figures of a replay, which size the generated fulfillment network.
 */
import type { UciRecord } from './uciRecord.ts';

/** Units per SKU, orders per country and order days of a set of orders. */
export interface Demand {
  /** Units ordered per SKU, summed over order lines with a positive quantity. */
  skuUnits: ReadonlyMap<string, number>;
  /** Orders per destination country (ISO 3166-1 alpha-2). */
  countryOrders: ReadonlyMap<string, number>;
  /** Number of orders. */
  orders: number;
  /** Distinct local dates on which orders were placed. */
  days: number;
}

/**
 * Sums the order records of a replay into demand figures; cancellations and rejections are
 * ignored, so demand is what was ordered, before any cancellation.
 */
export async function computeDemand(records: AsyncIterable<UciRecord> | Iterable<UciRecord>): Promise<Demand> {
  const skuUnits = new Map<string, number>();
  const countryOrders = new Map<string, number>();
  const dates = new Set<string>();
  let orders = 0;

  for await (const record of records) {
    if (record.kind !== 'order') continue;
    const { order } = record;
    orders++;
    dates.add(order.placedAt.slice(0, 10));
    countryOrders.set(order.destination.country, (countryOrders.get(order.destination.country) ?? 0) + 1);
    for (const line of order.lines) {
      if (line.quantity > 0) skuUnits.set(line.sku, (skuUnits.get(line.sku) ?? 0) + line.quantity);
    }
  }
  return { skuUnits, countryOrders, orders, days: dates.size };
}
