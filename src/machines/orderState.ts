import type { Order, Unit } from '../domain/order.ts';
import type { OrderStatus } from '../domain/status.ts';
import type { AllocatedLine, ShipmentStep } from '../transport/messages.ts';

/** Progress of one ordered line, every quantity in integer unit steps. */
export interface LineState {
  lineId: string;
  sku: string;
  unit: Unit;
  ordered: number;
  cancelled: number;
  backordered: number;
  shipped: number;
  delivered: number;
  /** Reason the line was rejected as invalid input; such a line is never sourced. */
  invalid?: string;
  /** Reason the line is backordered, from the last sourcing decision. */
  backorderReason?: string;
}

export const ALLOCATION_STATUSES = ['requested', 'accepted', 'picked', 'packed', 'shipped', 'delivered', 'rejected', 'cancelled'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/** A request to one node to ship some lines, and how far it has got. */
export interface Allocation {
  allocationId: string;
  nodeId: string;
  lines: AllocatedLine[];
  status: AllocationStatus;
  /** Rejection or cancellation reason. */
  reason?: string;
  code?: string;
  carrier?: string;
  trackingNumber?: string;
  distanceKm?: number;
}

/** One entry of an order's history, as shown by the status query. */
export interface TimelineEntry {
  at: string;
  what: string;
  detail?: string;
}

/** Everything an order actor keeps; persisted as part of its snapshot. */
export interface OrderContext {
  orderId: string;
  order: Order | undefined;
  status: OrderStatus;
  lines: LineState[];
  allocations: Allocation[];
  /** Nodes excluded from sourcing, per line, after they rejected it. */
  exclusions: { nodeId: string; lineId: string }[];
  /** Sourcing decisions made so far, including re-sourcing. */
  sourcingAttempts: number;
  /** Rule that matched the last sourcing decision. */
  ruleId: string | undefined;
  rejection: string | undefined;
  holdReason: string | undefined;
  cancelReasons: string[];
  timeline: TimelineEntry[];
}

const OPEN: ReadonlySet<AllocationStatus> = new Set(['requested', 'accepted', 'picked', 'packed']);

/** Reports whether an allocation still reserves stock at its node that has not shipped. */
export function isOpen(allocation: Allocation): boolean {
  return OPEN.has(allocation.status);
}

/** Quantity of a line held by open allocations. */
export function openQuantity(context: OrderContext, lineId: string): number {
  let total = 0;
  for (const allocation of context.allocations) {
    if (!isOpen(allocation)) continue;
    for (const line of allocation.lines) if (line.lineId === lineId) total += line.quantity;
  }
  return total;
}

/** Totals over the valid lines, used to derive the status. */
export function totals(context: OrderContext): { open: number; backordered: number; shipped: number; delivered: number; cancelled: number } {
  let backordered = 0;
  let shipped = 0;
  let delivered = 0;
  let cancelled = 0;
  for (const line of context.lines) {
    if (line.invalid !== undefined) continue;
    backordered += line.backordered;
    shipped += line.shipped;
    delivered += line.delivered;
    cancelled += line.cancelled;
  }
  let open = 0;
  for (const allocation of context.allocations) {
    if (isOpen(allocation)) for (const line of allocation.lines) open += line.quantity;
  }
  return { open, backordered, shipped, delivered, cancelled };
}

/**
 * Derives the reported status of an active order from its quantities. While a node has not yet
 * confirmed a reservation and nothing has shipped, the status stays what it was: an order is
 * `processing` only once its allocations are confirmed.
 */
export function deriveStatus(context: OrderContext): OrderStatus {
  if (context.holdReason !== undefined) return 'on_hold';
  const { open, backordered, shipped, delivered } = totals(context);
  const remaining = open + backordered;
  const awaitingNodes = context.allocations.some((allocation) => allocation.status === 'requested');
  if (awaitingNodes && shipped === 0) return context.status === 'on_hold' ? 'created' : context.status;
  if (remaining === 0) {
    if (shipped === 0) return 'cancelled';
    return delivered === shipped ? 'delivered' : 'shipped';
  }
  if (shipped > 0) return open === 0 ? 'backordered' : 'partially_shipped';
  return open > 0 ? 'processing' : 'backordered';
}

/** Maps a shipment step reported by a node to the allocation status it leads to. */
export const STEP_STATUS: Readonly<Record<ShipmentStep, AllocationStatus>> = {
  picked: 'picked',
  packed: 'packed',
  shipped: 'shipped',
  delivered: 'delivered',
};

/** Order of allocation statuses along a shipment, to ignore steps that arrive late. */
export const STATUS_RANK: Readonly<Record<AllocationStatus, number>> = {
  requested: 0,
  accepted: 1,
  picked: 2,
  packed: 3,
  shipped: 4,
  delivered: 5,
  rejected: 6,
  cancelled: 6,
};
