import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import type { Address } from '../domain/order.ts';
import type { AgentReport, AllocatedLine } from '../transport/messages.ts';
import { capacityDay } from './localDay.ts';
import type { NodeEffect } from './nodeEffects.ts';

/** Stock of one SKU at a node, in unit steps. Available to promise is `onHand - reserved`. */
export interface StockLevel {
  onHand: number;
  reserved: number;
}

/** Stock held for one allocation until it ships or is released. */
export interface Reservation {
  orderId: string;
  lines: AllocatedLine[];
  state: 'reserved' | 'shipped';
  /** Shipment steps already applied, so a repeated report has its effect once. */
  steps: string[];
  /** Whether the node's agent has acknowledged the work (any report counts). */
  acknowledged?: boolean;
}

/** Everything a fulfillment node actor keeps. The runtime persists `inventory` row by row. */
export interface NodeContext {
  node: FulfillmentNode;
  inventory: Record<string, StockLevel>;
  reservations: Record<string, Reservation>;
  /** Capacity day (`YYYY-MM-DD`, node local) and the shipments released on it. */
  capacity: { day: string; used: number };
}

/** Inventory change reported by the node itself. */
export type InventoryChange = { kind: 'receipt' | 'adjustment'; sku: string; quantity: number } | { kind: 'count'; sku: string; quantity: number };

/** A reservation request as the node actor receives it. */
export interface ReserveRequest {
  allocationId: string;
  orderId: string;
  lines: AllocatedLine[];
  placedAt: string;
  shipTo: Address;
}

/**
 * Reserves every line or none. It mutates `context.inventory` and `context.reservations` in
 * place, because copying a distribution center's whole inventory on every reservation would
 * dominate the decision time. Callers must not keep older snapshots of one node.
 */
export function reserve(context: NodeContext, status: NodeStatus, request: ReserveRequest): NodeEffect[] {
  const known = context.reservations[request.allocationId];
  if (known !== undefined) return [{ type: 'reply', orderId: request.orderId, allocationId: request.allocationId, accepted: true }];

  const reject = (code: string, reason: string): NodeEffect[] => [
    { type: 'reply', orderId: request.orderId, allocationId: request.allocationId, accepted: false, code, reason },
  ];
  if (status !== 'online') return reject(`node_${status}`, `node ${context.node.nodeId} is ${status} and takes no new work`);

  // Work placed on a day the node has already left counts against the node's current day.
  const placedDay = capacityDay(request.placedAt, context.node.timeZone, context.node.cutoffLocal);
  const day = placedDay > context.capacity.day ? placedDay : context.capacity.day;
  const used = day === context.capacity.day ? context.capacity.used : 0;
  if (used >= context.node.dailyCapacity) {
    return reject('capacity_exhausted', `node ${context.node.nodeId} has released ${used} of ${context.node.dailyCapacity} shipments on ${day}`);
  }

  const requested = new Map<string, number>();
  for (const line of request.lines) requested.set(line.sku, (requested.get(line.sku) ?? 0) + line.quantity);
  const short: string[] = [];
  for (const [sku, quantity] of requested) {
    const level = context.inventory[sku];
    const available = level === undefined ? 0 : level.onHand - level.reserved;
    if (available < quantity) short.push(`${sku} (requested ${quantity}, available ${Math.max(available, 0)})`);
  }
  if (short.length > 0) return reject('not_in_stock', `node ${context.node.nodeId} is short of ${short.join(', ')}`);

  const effects: NodeEffect[] = [{ type: 'reply', orderId: request.orderId, allocationId: request.allocationId, accepted: true }];
  for (const [sku, quantity] of requested) {
    const level = context.inventory[sku] as StockLevel;
    level.reserved += quantity;
    effects.push({ type: 'availability', sku, onHand: level.onHand, reserved: level.reserved });
  }
  context.reservations[request.allocationId] = { orderId: request.orderId, lines: request.lines, state: 'reserved', steps: [] };
  context.capacity = { day, used: used + 1 };
  effects.push({ type: 'work', orderId: request.orderId, allocationId: request.allocationId, lines: request.lines, placedAt: request.placedAt, shipTo: request.shipTo });
  return effects;
}

/** Releases the given lines of a reservation (all of it when `lines` is undefined). */
export function release(context: NodeContext, allocationId: string, lines: AllocatedLine[] | undefined, reason: string): NodeEffect[] {
  const reservation = context.reservations[allocationId];
  if (reservation === undefined || reservation.state !== 'reserved') return [];

  const toRelease = lines ?? reservation.lines;
  const effects: NodeEffect[] = [];
  const remaining = reservation.lines.map((line) => ({ ...line }));
  const released: AllocatedLine[] = [];
  for (const line of toRelease) {
    const held = remaining.find((r) => r.lineId === line.lineId && r.quantity > 0);
    if (held === undefined) continue;
    const quantity = Math.min(held.quantity, line.quantity);
    held.quantity -= quantity;
    released.push({ ...line, quantity });
    const level = context.inventory[line.sku];
    if (level === undefined) continue;
    level.reserved = Math.max(0, level.reserved - quantity);
    effects.push({ type: 'availability', sku: line.sku, onHand: level.onHand, reserved: level.reserved });
  }
  const left = remaining.filter((line) => line.quantity > 0);
  if (left.length === 0) delete context.reservations[allocationId];
  else reservation.lines = left;
  if (released.length > 0) effects.push({ type: 'cancelWork', orderId: reservation.orderId, allocationId, lines: released, whole: left.length === 0, reason });
  return effects;
}

/**
 * Applies a node agent's report. A rejection releases the stock and notifies the order;
 * `shipped` turns the reservation into a shipment (on hand and reserved both drop).
 */
export function applyReport(context: NodeContext, report: AgentReport): NodeEffect[] {
  const reservation = context.reservations[report.allocationId];
  if (reservation === undefined || reservation.steps.includes(report.kind)) return [];
  if (report.kind === 'accepted') {
    reservation.acknowledged = true;
    return [];
  }

  if (report.kind === 'rejected') {
    if (reservation.state !== 'reserved') return [];
    const code = report.code ?? 'rejected_by_node';
    const reason = report.reason ?? `node ${context.node.nodeId} rejected the allocation`;
    const effects = release(context, report.allocationId, undefined, reason).filter((e) => e.type !== 'cancelWork');
    return [...effects, { type: 'workRejected', orderId: reservation.orderId, allocationId: report.allocationId, code, reason, at: report.at }];
  }

  reservation.steps.push(report.kind);
  reservation.acknowledged = true;
  const effects: NodeEffect[] = [];
  // A delivery reported before its shipment implies the shipment: the stock leaves either way.
  if ((report.kind === 'shipped' || report.kind === 'delivered') && reservation.state === 'reserved') {
    reservation.state = 'shipped';
    for (const line of reservation.lines) {
      const level = context.inventory[line.sku];
      if (level === undefined) continue;
      level.onHand = Math.max(0, level.onHand - line.quantity);
      level.reserved = Math.max(0, level.reserved - line.quantity);
      effects.push({ type: 'availability', sku: line.sku, onHand: level.onHand, reserved: level.reserved });
    }
  }
  const progress: NodeEffect = { type: 'progress', orderId: reservation.orderId, allocationId: report.allocationId, step: report.kind, at: report.at };
  if (report.kind === 'shipped' || report.kind === 'delivered') progress.lines = reservation.lines;
  if (report.carrier !== undefined) progress.carrier = report.carrier;
  if (report.trackingNumber !== undefined) progress.trackingNumber = report.trackingNumber;
  effects.push(progress);
  if (report.kind === 'delivered') delete context.reservations[report.allocationId];
  return effects;
}

/** Hands back work whose agent did not acknowledge it in time; acknowledged work is kept. */
export function ackTimedOut(context: NodeContext, allocationId: string, at: string): NodeEffect[] {
  const reservation = context.reservations[allocationId];
  if (reservation === undefined || reservation.state !== 'reserved' || reservation.acknowledged === true) return [];
  const reason = `node ${context.node.nodeId} did not acknowledge the allocation in time`;
  return [...release(context, allocationId, undefined, reason), { type: 'workRejected', orderId: reservation.orderId, allocationId, code: 'ack_timeout', reason, at }];
}

/** Applies a receipt, adjustment or count; on hand never drops below zero. */
export function changeInventory(context: NodeContext, change: InventoryChange): NodeEffect[] {
  const level = (context.inventory[change.sku] ??= { onHand: 0, reserved: 0 });
  if (change.kind === 'count') level.onHand = Math.max(0, change.quantity);
  else level.onHand = Math.max(0, level.onHand + change.quantity);
  return [{ type: 'availability', sku: change.sku, onHand: level.onHand, reserved: level.reserved }];
}

/** Releases every reservation that has not shipped and notifies each order, when a node goes offline. */
export function dropOpenWork(context: NodeContext, at: string): NodeEffect[] {
  const effects: NodeEffect[] = [];
  for (const [allocationId, reservation] of Object.entries(context.reservations)) {
    if (reservation.state !== 'reserved') continue;
    const reason = `node ${context.node.nodeId} went offline`;
    effects.push(...release(context, allocationId, undefined, reason));
    effects.push({ type: 'workRejected', orderId: reservation.orderId, allocationId, code: 'node_offline', reason, at });
  }
  return effects;
}
