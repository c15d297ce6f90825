import { OrderSchema, type Order, type OrderInput } from '../../src/domain/order.ts';
import type { NeededLine, PlanResult, Sourcer } from '../../src/machines/orderLogic.ts';

/** Builds a valid order with the given lines (SKU and quantity) bound for London. */
export function makeOrder(orderId: string, lines: [string, number][], extra: Partial<OrderInput> = {}): Order {
  return OrderSchema.parse({
    orderId,
    placedAt: '2010-12-01T08:26:00Z',
    currency: 'GBP',
    destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
    lines: lines.map(([sku, quantity], index) => ({ lineId: `L${index + 1}`, sku, quantity, unitPriceMinor: 100 })),
    ...extra,
  });
}

/**
 * Builds a sourcer over a fixed stock table that fills each line from the first nodes with
 * stock, in node order, and skips excluded nodes. It is enough to drive the order machine in unit tests.
 */
export function tableSourcer(stock: Record<string, Record<string, number>>): Sourcer & { calls: NeededLine[][] } {
  const calls: NeededLine[][] = [];
  const source: Sourcer = ({ lines, exclusions }) => {
    calls.push(lines);
    const remaining = structuredClone(stock);
    const shipments = new Map<string, PlanResult['shipments'][number]>();
    const backorders: PlanResult['backorders'] = [];
    for (const line of lines) {
      let needed = line.quantity;
      for (const [nodeId, skus] of Object.entries(remaining)) {
        if (exclusions.some((e) => e.nodeId === nodeId && e.lineId === line.lineId)) continue;
        const take = Math.min(needed, skus[line.sku] ?? 0);
        if (take === 0) continue;
        skus[line.sku] = (skus[line.sku] ?? 0) - take;
        needed -= take;
        const shipment = shipments.get(nodeId) ?? { nodeId, lines: [], distanceKm: 10 };
        shipment.lines.push({ lineId: line.lineId, sku: line.sku, quantity: take });
        shipments.set(nodeId, shipment);
        if (needed === 0) break;
      }
      if (needed > 0) backorders.push({ lineId: line.lineId, sku: line.sku, quantity: needed, reason: 'not in stock' });
    }
    let outcome: PlanResult['outcome'] = 'partial';
    if (backorders.length === 0) outcome = 'allocated';
    else if (shipments.size === 0) outcome = 'backordered';
    return { ruleId: 'test', outcome, shipments: [...shipments.values()], backorders };
  };
  return Object.assign(source, { calls });
}
