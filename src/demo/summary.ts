import type { EngineStore } from '../storage/engineStore.ts';
import type { OrderContext } from '../machines/orderState.ts';
import { TERMINAL_STATUSES, WAITING_STATUSES, type OrderStatus } from '../domain/status.ts';

/** Figures the demo reports at the end, written to JSON as they are. */
export interface DemoSummary {
  ordersReceived: number;
  ordersAccepted: number;
  ordersRejected: number;
  rejectedByReason: Record<string, number>;
  linesRejected: number;
  finalStatus: Partial<Record<OrderStatus, number>>;
  allocatedInOneShipment: number;
  split: number;
  splitByShipments: Record<string, number>;
  backordered: number;
  cancelled: number;
  shipped: number;
  delivered: number;
  cancellations: { published: number; rejected: number; unmatched: number };
  /** Restock receipts the demo's warehouse stand-in posted. */
  receiptsPublished: number;
  reroutedAllocations: number;
  meanDistanceKmPerShipment: number;
  sourcingDecisionMicros: { p50: number; p99: number; count: number };
  placedToAllocatedMillis: { p50: number; p99: number; count: number };
  checks: { ordersNotSettled: number; linesNotConserved: number; negativeInventoryRows: number; reservedAfterRun: number };
}

/** Figures gathered outside the store: from the publisher, the engine and the observer. */
export interface RunFigures {
  publisherRejections: Map<string, number>;
  cancelsPublished: number;
  cancelsRejected: number;
  cancelsUnmatched: number;
  receiptsPublished: number;
  decision: { p50: number; p99: number; count: number };
  placedToAllocated: { p50: number; p99: number; count: number };
}

/**
 * Builds the summary from the orders and stock in LMDB, so every count reflects what the
 * engine persisted rather than what was observed on the wire.
 */
export function summarize(store: EngineStore, figures: RunFigures): DemoSummary {
  const finalStatus: Partial<Record<OrderStatus, number>> = {};
  const rejectedByReason: Record<string, number> = {};
  const splitByShipments: Record<string, number> = {};
  let accepted = 0;
  let rejected = 0;
  let linesRejected = 0;
  let single = 0;
  let split = 0;
  let rerouted = 0;
  let distance = 0;
  let shipments = 0;
  let notSettled = 0;
  let notConserved = 0;

  for (const { value } of store.orders.getRange()) {
    const context = (value.snapshot as { context: OrderContext }).context;
    const status = context.status;
    finalStatus[status] = (finalStatus[status] ?? 0) + 1;
    if (!TERMINAL_STATUSES.has(status) && !WAITING_STATUSES.has(status)) notSettled++;
    if (status === 'rejected') {
      rejected++;
      const reason = reasonCategory(context.rejection ?? 'unknown');
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
      continue;
    }
    accepted++;

    const shippedAllocations = context.allocations.filter((a) => a.status === 'shipped' || a.status === 'delivered');
    if (shippedAllocations.length === 1) single++;
    if (shippedAllocations.length > 1) {
      split++;
      splitByShipments[String(shippedAllocations.length)] = (splitByShipments[String(shippedAllocations.length)] ?? 0) + 1;
    }
    for (const allocation of shippedAllocations) {
      distance += allocation.distanceKm ?? 0;
      shipments++;
    }
    rerouted += context.allocations.filter((a) => a.status === 'rejected').length;

    for (const line of context.lines) {
      if (line.invalid !== undefined) {
        linesRejected++;
        continue;
      }
      const open = context.allocations.filter((a) => ['requested', 'accepted', 'picked', 'packed'].includes(a.status)).flatMap((a) => a.lines).filter((l) => l.lineId === line.lineId).reduce((sum, l) => sum + l.quantity, 0);
      if (line.shipped + line.backordered + line.cancelled + open !== line.ordered) notConserved++;
    }
  }

  let negative = 0;
  let reserved = 0;
  for (const { value } of store.inventory.getRange()) {
    if (value.onHand < 0 || value.reserved < 0) negative++;
    reserved += value.reserved;
  }

  let publisherRejected = 0;
  for (const [reason, count] of figures.publisherRejections) {
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + count;
    publisherRejected += count;
  }

  return {
    ordersReceived: accepted + rejected + publisherRejected,
    ordersAccepted: accepted,
    ordersRejected: rejected + publisherRejected,
    rejectedByReason,
    linesRejected,
    finalStatus,
    allocatedInOneShipment: single,
    split,
    splitByShipments,
    backordered: finalStatus.backordered ?? 0,
    cancelled: finalStatus.cancelled ?? 0,
    shipped: finalStatus.shipped ?? 0,
    delivered: finalStatus.delivered ?? 0,
    cancellations: { published: figures.cancelsPublished, rejected: figures.cancelsRejected, unmatched: figures.cancelsUnmatched },
    receiptsPublished: figures.receiptsPublished,
    reroutedAllocations: rerouted,
    meanDistanceKmPerShipment: shipments === 0 ? 0 : Math.round((distance / shipments) * 10) / 10,
    sourcingDecisionMicros: figures.decision,
    placedToAllocatedMillis: figures.placedToAllocated,
    checks: { ordersNotSettled: notSettled, linesNotConserved: notConserved, negativeInventoryRows: negative, reservedAfterRun: reserved },
  };
}

/** Groups rejection reasons: values in quotes and numbers are replaced, the rest is kept. */
export function reasonCategory(reason: string): string {
  const first = reason.split(';')[0] ?? reason;
  return first
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\[\d+\]/g, '[n]')
    .replace(/-?\d+(\.\d+)?/g, 'N')
    .trim()
    .slice(0, 120);
}
