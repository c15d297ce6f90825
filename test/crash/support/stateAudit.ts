import type { OrderContext } from '../../../src/machines/orderState.ts';
import { isOpen } from '../../../src/machines/orderState.ts';
import type { EngineStore } from '../../../src/storage/engineStore.ts';

/** Statuses an order may rest in once nothing moves: terminal or waiting. */
export const SETTLED_STATUSES: ReadonlySet<string> = new Set(['delivered', 'cancelled', 'rejected', 'backordered', 'on_hold']);

/** Contents of the engine's LMDB after a run, checked against what was published. */
export interface StateAudit {
  orders: number;
  statusCounts: Record<string, number>;
  /** Final status by order id. */
  statusOf: Map<string, string>;
  /** Published orders absent from the `orders` database. */
  missing: string[];
  /** Orders in the database that were never published. */
  unexpected: string[];
  /** Orders in a status other than `SETTLED_STATUSES`, as `id: status`. */
  unsettled: string[];
  /** Lines of settled orders where shipped + backordered + cancelled differs from ordered. */
  brokenLines: string[];
  /** Orders published without a valid line that did not end `rejected`. */
  invalidNotRejected: string[];
  /** Allocations still requested, accepted, picked or packed. */
  openAllocations: number;
  /** Stock rows whose on hand or reserved differ from what the orders imply. */
  inventoryMismatches: string[];
  units: { ordered: number; shipped: number; backordered: number; cancelled: number };
}

/** Published orders and the network they ran on, for `auditState`. */
export interface AuditInput {
  orderIds: readonly string[];
  invalidOrderIds: ReadonlySet<string>;
  /** Opening stock per node and SKU, plus any receipts, in unit steps. */
  startStock: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Reads every order and stock row of a stopped engine's store and checks them. Each published
 * order is there once and rests in a settled status, each valid line of a settled order adds up,
 * and orders without valid lines were rejected. Each node's on hand is its opening stock minus
 * the units that orders record as shipped, and its reserved is the units of open allocations.
 */
export function auditState(store: EngineStore, input: AuditInput): StateAudit {
  const audit: StateAudit = {
    orders: 0,
    statusCounts: {},
    statusOf: new Map(),
    missing: [],
    unexpected: [],
    unsettled: [],
    brokenLines: [],
    invalidNotRejected: [],
    openAllocations: 0,
    inventoryMismatches: [],
    units: { ordered: 0, shipped: 0, backordered: 0, cancelled: 0 },
  };
  const published = new Set(input.orderIds);
  const shipped = new Map<string, number>();
  const reserved = new Map<string, number>();
  const add = (totals: Map<string, number>, nodeId: string, sku: string, quantity: number): void => {
    const key = `${nodeId}\u0000${sku}`;
    totals.set(key, (totals.get(key) ?? 0) + quantity);
  };

  for (const { key: orderId, value } of store.orders.getRange()) {
    const context = (value.snapshot as { context: OrderContext }).context;
    audit.orders++;
    audit.statusOf.set(orderId, context.status);
    audit.statusCounts[context.status] = (audit.statusCounts[context.status] ?? 0) + 1;
    if (!published.has(orderId)) audit.unexpected.push(orderId);
    if (!SETTLED_STATUSES.has(context.status)) audit.unsettled.push(`${orderId}: ${context.status}`);
    if (input.invalidOrderIds.has(orderId) && context.status !== 'rejected') audit.invalidNotRejected.push(`${orderId}: ${context.status}`);

    const settled = SETTLED_STATUSES.has(context.status);
    for (const line of context.lines) {
      if (line.invalid !== undefined) continue;
      audit.units.ordered += line.ordered;
      audit.units.shipped += line.shipped;
      audit.units.backordered += line.backordered;
      audit.units.cancelled += line.cancelled;
      if (settled && line.shipped + line.backordered + line.cancelled !== line.ordered) {
        audit.brokenLines.push(`${orderId}/${line.lineId} ${line.sku}: ordered ${line.ordered}, shipped ${line.shipped}, backordered ${line.backordered}, cancelled ${line.cancelled}`);
      }
    }
    for (const allocation of context.allocations) {
      const open = isOpen(allocation);
      if (open) audit.openAllocations++;
      const sent = allocation.status === 'shipped' || allocation.status === 'delivered';
      for (const line of allocation.lines) {
        if (sent) add(shipped, allocation.nodeId, line.sku, line.quantity);
        if (open) add(reserved, allocation.nodeId, line.sku, line.quantity);
      }
    }
  }
  for (const orderId of published) if (!audit.statusOf.has(orderId)) audit.missing.push(orderId);

  const rows = new Map<string, { onHand: number; reserved: number }>();
  for (const { key, value } of store.inventory.getRange()) rows.set(`${key[0]}\u0000${key[1]}`, { onHand: value.onHand, reserved: value.reserved });
  const keys = new Set(rows.keys());
  for (const [nodeId, stock] of Object.entries(input.startStock)) for (const sku of Object.keys(stock)) keys.add(`${nodeId}\u0000${sku}`);
  for (const key of [...shipped.keys(), ...reserved.keys()]) keys.add(key);

  for (const key of keys) {
    const [nodeId = '', sku = ''] = key.split('\u0000');
    const start = input.startStock[nodeId]?.[sku] ?? 0;
    const expectedOnHand = start - (shipped.get(key) ?? 0);
    const expectedReserved = reserved.get(key) ?? 0;
    const row = rows.get(key) ?? { onHand: 0, reserved: 0 };
    if (row.onHand !== expectedOnHand || row.reserved !== expectedReserved) {
      audit.inventoryMismatches.push(
        `${nodeId}/${sku}: on hand ${row.onHand} (expected ${start} - ${shipped.get(key) ?? 0} shipped = ${expectedOnHand}), reserved ${row.reserved} (expected ${expectedReserved})`,
      );
    }
  }
  return audit;
}
