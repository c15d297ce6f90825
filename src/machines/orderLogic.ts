import { validateOrderLines, toUnitSteps, type Order } from '../domain/order.ts';
import type { OrderStatus } from '../domain/status.ts';
import type { AllocatedLine, ShipmentStep } from '../transport/messages.ts';
import type { OrderEffect } from './orderEffects.ts';
import { deriveStatus, isOpen, openQuantity, STATUS_RANK, STEP_STATUS, type Allocation, type LineState, type OrderContext } from './orderState.ts';

/** A line that still needs a source, in unit steps. */
export interface NeededLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/** The part of a sourcing plan the order actor uses. */
export interface PlanResult {
  ruleId: string | undefined;
  outcome: 'allocated' | 'partial' | 'backordered' | 'hold' | 'cancel';
  shipments: { nodeId: string; lines: AllocatedLine[]; distanceKm: number }[];
  backorders: { lineId: string; sku: string; quantity: number; reason: string }[];
  holdReason?: string;
  cancelReason?: string;
}

/** Sourcing decision function the order machine is built with; pure for a given network view. */
export type Sourcer = (request: { order: Order; lines: NeededLine[]; exclusions: { nodeId: string; lineId: string }[] }) => PlanResult;

/** New context plus the effects a step produced. */
export interface Step {
  context: OrderContext;
  effects: OrderEffect[];
}

/** Creates the empty context of an order actor before its order arrives. */
export function emptyContext(orderId: string): OrderContext {
  return {
    orderId,
    order: undefined,
    status: 'created',
    lines: [],
    allocations: [],
    exclusions: [],
    sourcingAttempts: 0,
    ruleId: undefined,
    rejection: undefined,
    holdReason: undefined,
    cancelReasons: [],
    timeline: [],
  };
}

/** Validates the placed order's lines; invalid lines are kept with their reason and never sourced. */
export function placeOrder(context: OrderContext, order: Order, at: string): Step {
  const { valid, invalid } = validateOrderLines(order);
  const invalidById = new Map(invalid.map((problem) => [problem.lineId, problem.reason]));
  const lines: LineState[] = [];
  for (const line of order.lines) {
    const reason = invalidById.get(line.lineId);
    const base = { lineId: line.lineId, sku: line.sku, unit: line.unit, cancelled: 0, backordered: 0, shipped: 0, delivered: 0 };
    if (reason !== undefined && !valid.includes(line)) lines.push({ ...base, ordered: 0, invalid: reason });
    else lines.push({ ...base, ordered: toUnitSteps(line.quantity, line.unit) });
  }

  const timeline = [...context.timeline, { at, what: 'created' }];
  for (const problem of invalid) timeline.push({ at, what: 'line rejected', detail: problem.reason });
  const next: OrderContext = { ...context, order, lines, timeline };
  const effects: OrderEffect[] = [{ type: 'status', status: 'created', previous: undefined }];

  if (valid.length === 0) {
    const rejection = order.lines.length === 0 ? 'lines: the order has no lines; expected at least one good to ship' : `no valid lines: ${invalid.map((p) => p.reason).join('; ')}`;
    return rejectOrder(next, rejection, at, effects);
  }
  return { context: next, effects };
}

function rejectOrder(context: OrderContext, reason: string, at: string, effects: OrderEffect[]): Step {
  const next = { ...context, rejection: reason, status: 'rejected' as const, timeline: [...context.timeline, { at, what: 'rejected', detail: reason }] };
  return { context: next, effects: [...effects, { type: 'status', status: 'rejected', previous: context.status, reason }] };
}

/** Rejects an order whose message failed validation before any order existed. */
export function rejectInvalid(context: OrderContext, reason: string, at: string): Step {
  return rejectOrder(context, reason, at, []);
}

/** Quantities of each valid line that are neither shipped, cancelled nor held by an open allocation. */
export function neededLines(context: OrderContext): NeededLine[] {
  const needed: NeededLine[] = [];
  for (const line of context.lines) {
    if (line.invalid !== undefined) continue;
    const quantity = line.ordered - line.cancelled - line.shipped - openQuantity(context, line.lineId);
    if (quantity > 0) needed.push({ lineId: line.lineId, sku: line.sku, quantity });
  }
  return needed;
}

/**
 * Sources every quantity that is still needed: creates allocations and reserve effects for
 * the planned shipments and marks the rest backordered with the plan's reason.
 */
export function sourceNeeded(context: OrderContext, source: Sourcer, at: string): Step {
  const order = context.order;
  const needed = neededLines(context);
  if (order === undefined || needed.length === 0) return { context, effects: [] };

  const plan = source({ order, lines: needed, exclusions: context.exclusions });
  const attempt = context.sourcingAttempts + 1;
  const effects: OrderEffect[] = [];
  const allocations = [...context.allocations];
  for (const shipment of plan.shipments) {
    const allocationId = `${context.orderId}-${attempt}-${shipment.nodeId}`;
    allocations.push({ allocationId, nodeId: shipment.nodeId, lines: shipment.lines, status: 'requested', distanceKm: shipment.distanceKm });
    effects.push({ type: 'reserve', allocationId, nodeId: shipment.nodeId, lines: shipment.lines, shipTo: order.destination, placedAt: order.placedAt });
  }

  const backorderBy = new Map<string, { quantity: number; reason: string }>();
  for (const backorder of plan.backorders) {
    const known = backorderBy.get(backorder.lineId);
    backorderBy.set(backorder.lineId, { quantity: (known?.quantity ?? 0) + backorder.quantity, reason: backorder.reason });
  }
  const lines = context.lines.map((line) => {
    const backorder = backorderBy.get(line.lineId);
    if (backorder === undefined) return line.backordered === 0 ? line : { ...line, backordered: 0 };
    return { ...line, backordered: backorder.quantity, backorderReason: backorder.reason };
  });

  const detail = `rule ${plan.ruleId ?? '(none)'}: ${plan.shipments.length} shipment(s), ${backorderBy.size} line(s) backordered`;
  const next: OrderContext = {
    ...context,
    lines,
    allocations,
    sourcingAttempts: attempt,
    ruleId: plan.ruleId,
    timeline: [...context.timeline, { at, what: 'sourced', detail }],
  };
  effects.push({
    type: 'sourced',
    attempt,
    ruleId: plan.ruleId,
    shipments: plan.shipments.length,
    backorderedLines: backorderBy.size,
    distanceKm: plan.shipments.map((s) => s.distanceKm),
  });

  if (plan.outcome === 'hold') return holdOrder(next, plan.holdReason ?? 'sourcing rule asked for review', at, effects);
  if (plan.outcome === 'cancel') return cancelQuantities(next, undefined, plan.cancelReason ?? 'sourcing rule cancelled the order', at, effects);
  return { context: next, effects };
}

/** Records a node's reply to a reservation. A rejection excludes that node for those lines. */
export function allocationAnswered(context: OrderContext, allocationId: string, accepted: boolean, at: string, code?: string, reason?: string): Step {
  const allocation = context.allocations.find((a) => a.allocationId === allocationId);
  if (allocation === undefined || allocation.status !== 'requested') return { context, effects: [] };

  if (accepted) {
    return { context: replaceAllocation(context, { ...allocation, status: 'accepted' }), effects: [] };
  }
  return rejectAllocation(context, allocation, at, code ?? 'rejected', reason ?? 'node rejected the allocation');
}

function rejectAllocation(context: OrderContext, allocation: Allocation, at: string, code: string, reason: string): Step {
  const rejected: Allocation = { ...allocation, status: 'rejected', code, reason };
  const exclusions = [...context.exclusions];
  for (const line of allocation.lines) exclusions.push({ nodeId: allocation.nodeId, lineId: line.lineId });
  const timeline = [...context.timeline, { at, what: 'allocation rejected', detail: `${allocation.nodeId}: ${code}: ${reason}` }];
  const next = { ...replaceAllocation(context, rejected), exclusions, timeline };
  return {
    context: next,
    effects: [{ type: 'shipment', allocationId: allocation.allocationId, nodeId: allocation.nodeId, step: 'rejected', reason: `${code}: ${reason}` }],
  };
}

/** Records a node agent's rejection of work it had received: the node has released the stock. */
export function workRejected(context: OrderContext, allocationId: string, at: string, code: string, reason: string): Step {
  const allocation = context.allocations.find((a) => a.allocationId === allocationId);
  if (allocation === undefined || !isOpen(allocation) || STATUS_RANK[allocation.status] >= STATUS_RANK.shipped) return { context, effects: [] };
  return rejectAllocation(context, allocation, at, code, reason);
}

/**
 * Applies one shipment step; steps that arrive late or twice change nothing. The node is the
 * source of truth for what left its shelf. When it reports shipping lines that the order had
 * cancelled meanwhile, because the cancellation reached the node too late, the shipped
 * quantities win and the cancellation of those quantities is undone.
 */
export function shipmentProgressed(
  context: OrderContext,
  progress: { allocationId: string; step: ShipmentStep; carrier?: string | undefined; trackingNumber?: string | undefined; lines?: AllocatedLine[] | undefined; at: string },
): Step {
  const allocation = context.allocations.find((a) => a.allocationId === progress.allocationId);
  if (allocation === undefined || allocation.status === 'rejected') return { context, effects: [] };
  const status = STEP_STATUS[progress.step];
  const shipping = STATUS_RANK[status] >= STATUS_RANK.shipped;
  const lateCancel = allocation.status === 'cancelled' && shipping && progress.lines !== undefined;
  if (!lateCancel && (allocation.status === 'cancelled' || STATUS_RANK[status] <= STATUS_RANK[allocation.status])) return { context, effects: [] };

  const wasShipped = !lateCancel && STATUS_RANK[allocation.status] >= STATUS_RANK.shipped;
  const shippedLines = shipping && !wasShipped && progress.lines !== undefined ? progress.lines : allocation.lines;
  const updated: Allocation = { ...allocation, status, lines: shippedLines };
  if (lateCancel) delete updated.reason;
  if (progress.carrier !== undefined) updated.carrier = progress.carrier;
  if (progress.trackingNumber !== undefined) updated.trackingNumber = progress.trackingNumber;

  const sumFor = (lines: AllocatedLine[], lineId: string) => lines.filter((l) => l.lineId === lineId).reduce((sum, l) => sum + l.quantity, 0);
  const lines = context.lines.map((line) => {
    const quantity = sumFor(shippedLines, line.lineId);
    if (quantity === 0) return line;
    const held = lateCancel ? 0 : sumFor(allocation.lines, line.lineId);
    const uncancelled = shipping && !wasShipped ? Math.min(Math.max(0, quantity - held), line.cancelled) : 0;
    const shipped = shipping && !wasShipped ? line.shipped + quantity : line.shipped;
    const delivered = status === 'delivered' ? line.delivered + quantity : line.delivered;
    return { ...line, shipped, delivered, cancelled: line.cancelled - uncancelled };
  });

  const effect: OrderEffect = { type: 'shipment', allocationId: allocation.allocationId, nodeId: allocation.nodeId, step: progress.step };
  if (progress.carrier !== undefined) effect.carrier = progress.carrier;
  if (progress.trackingNumber !== undefined) effect.trackingNumber = progress.trackingNumber;
  if (lateCancel) effect.reason = 'the node shipped before the cancellation reached it';
  const detail = `${allocation.nodeId}${progress.trackingNumber === undefined ? '' : ` ${progress.carrier ?? ''} ${progress.trackingNumber}`}${lateCancel ? ' (after a cancellation that came too late)' : ''}`;
  return {
    context: { ...replaceAllocation(context, updated), lines, timeline: [...context.timeline, { at: progress.at, what: progress.step, detail }] },
    effects: [effect],
  };
}

/**
 * Cancels the given SKU quantities (in the line's own unit), or everything not yet shipped.
 * Backordered quantities go first, then open allocations, which are released at their node.
 */
export function cancelQuantities(
  context: OrderContext,
  request: { sku: string; quantity: number }[] | undefined,
  reason: string,
  at: string,
  effects: OrderEffect[] = [],
): Step {
  const remainingBySku = new Map<string, number>();
  if (request !== undefined) {
    for (const item of request) {
      const unit = context.lines.find((line) => line.sku === item.sku)?.unit ?? 'each';
      remainingBySku.set(item.sku, (remainingBySku.get(item.sku) ?? 0) + toUnitSteps(item.quantity, unit));
    }
  }
  const take = (sku: string, available: number): number => {
    if (request === undefined) return available;
    const wanted = remainingBySku.get(sku) ?? 0;
    const taken = Math.min(wanted, available);
    remainingBySku.set(sku, wanted - taken);
    return taken;
  };

  const cancelledBy = new Map<string, number>();
  const lines = context.lines.map((line) => {
    if (line.invalid !== undefined || line.backordered === 0) return line;
    const taken = take(line.sku, line.backordered);
    if (taken === 0) return line;
    cancelledBy.set(line.lineId, (cancelledBy.get(line.lineId) ?? 0) + taken);
    return { ...line, backordered: line.backordered - taken };
  });

  const newEffects = [...effects];
  const allocations = context.allocations.map((allocation) => {
    if (!isOpen(allocation)) return allocation;
    const keep: AllocatedLine[] = [];
    const released: AllocatedLine[] = [];
    for (const line of allocation.lines) {
      const taken = take(line.sku, line.quantity);
      if (taken > 0) {
        released.push({ ...line, quantity: taken });
        cancelledBy.set(line.lineId, (cancelledBy.get(line.lineId) ?? 0) + taken);
      }
      if (line.quantity - taken > 0) keep.push({ ...line, quantity: line.quantity - taken });
    }
    if (released.length === 0) return allocation;
    newEffects.push({ type: 'release', allocationId: allocation.allocationId, nodeId: allocation.nodeId, lines: released, reason });
    if (keep.length > 0) return { ...allocation, lines: keep };
    newEffects.push({ type: 'shipment', allocationId: allocation.allocationId, nodeId: allocation.nodeId, step: 'cancelled', reason });
    return { ...allocation, status: 'cancelled' as const, reason };
  });

  const finalLines = lines.map((line) => {
    const cancelled = cancelledBy.get(line.lineId);
    return cancelled === undefined ? line : { ...line, cancelled: line.cancelled + cancelled };
  });
  const total = [...cancelledBy.values()].reduce((sum, q) => sum + q, 0);
  const next: OrderContext = {
    ...context,
    lines: finalLines,
    allocations,
    cancelReasons: [...context.cancelReasons, reason],
    timeline: [...context.timeline, { at, what: 'cancelled', detail: `${total} unit step(s): ${reason}` }],
  };
  return { context: next, effects: newEffects };
}

/** Puts the order on hold for review; nothing is sourced until it is released. */
export function holdOrder(context: OrderContext, reason: string, at: string, effects: OrderEffect[] = []): Step {
  return { context: { ...context, holdReason: reason, timeline: [...context.timeline, { at, what: 'on hold', detail: reason }] }, effects };
}

/** Releases a hold. */
export function releaseHold(context: OrderContext, at: string): Step {
  return { context: { ...context, holdReason: undefined, timeline: [...context.timeline, { at, what: 'released from hold' }] }, effects: [] };
}

/** Recomputes the status and emits a status effect when it changed. */
export function refreshStatus(step: Step): Step {
  if (step.context.status === 'rejected' || step.context.sourcingAttempts === 0) return step;
  const status: OrderStatus = deriveStatus(step.context);
  if (status === step.context.status) return step;
  return {
    context: { ...step.context, status },
    effects: [...step.effects, { type: 'status', status, previous: step.context.status }],
  };
}

function replaceAllocation(context: OrderContext, allocation: Allocation): OrderContext {
  return { ...context, allocations: context.allocations.map((a) => (a.allocationId === allocation.allocationId ? allocation : a)) };
}
