import { setup, enqueueActions } from 'xstate';
import { UNIT_SCALE, type Order } from '../domain/order.ts';
import type { AllocatedLine, ShipmentStep } from '../transport/messages.ts';
import type { OrderEffect } from './orderEffects.ts';
import {
  allocationAnswered,
  cancelQuantities,
  emptyContext,
  holdOrder,
  placeOrder,
  refreshStatus,
  rejectInvalid,
  releaseHold,
  shipmentProgressed,
  sourceNeeded,
  workRejected,
  type Sourcer,
  type Step,
} from './orderLogic.ts';
import { deriveStatus, isOpen, totals, type OrderContext } from './orderState.ts';

/** Events an order actor accepts; names follow the NATS command verbs. */
export type OrderEvent =
  | { type: 'order.placed'; order: Order; at: string }
  | { type: 'order.invalid'; reason: string; at: string }
  | { type: 'allocation.answered'; allocationId: string; accepted: boolean; code?: string; reason?: string; at: string }
  | { type: 'work.rejected'; allocationId: string; code: string; reason: string; at: string }
  | { type: 'shipment.progress'; allocationId: string; step: ShipmentStep; carrier?: string; trackingNumber?: string; lines?: AllocatedLine[]; at: string }
  | { type: 'order.cancel'; lines?: { sku: string; quantity: number }[]; reason: string; at: string }
  | { type: 'order.hold'; reason: string; at: string }
  | { type: 'order.release'; at: string }
  | { type: 'stock.available'; at: string }
  | { type: 'order.deadline'; deadline: 'backorder' | 'hold'; at: string };

/** Dependencies of the order machine: a sourcing decision over the current network view. */
export interface OrderMachineDeps {
  source: Sourcer;
  /** Actions for passed deadlines. Default: backorders are cancelled, holds released. */
  deadlines?: DeadlinePolicy;
}

/** Actions taken when a business deadline of an order passes. */
export interface DeadlinePolicy {
  backorder: 'cancel' | 'hold';
}

/** Input of a new order actor. */
export interface OrderInput {
  orderId: string;
}

/**
 * Builds the order lifecycle machine. It never touches the network or the disk: every side
 * effect is emitted as an `OrderEffect` for the runtime to carry out.
 */
export function createOrderMachine(deps: OrderMachineDeps) {
  const apply = (compute: (context: OrderContext, event: OrderEvent) => Step) =>
    enqueueActions<OrderContext, OrderEvent, undefined, OrderEvent, never, never, never, never, OrderEffect>(({ context, event, enqueue }) => {
      const step = refreshStatus(compute(context, event));
      enqueue.assign(step.context);
      for (const effect of step.effects) enqueue.emit(effect);
    });

  return setup({
    types: {
      context: {} as OrderContext,
      events: {} as OrderEvent,
      input: {} as OrderInput,
      emitted: {} as OrderEffect,
    },
    guards: {
      isRejected: ({ context }) => context.rejection !== undefined,
      isOnHold: ({ context }) => context.holdReason !== undefined,
      isAllCancelled: ({ context }) => deriveStatus(context) === 'cancelled',
      isCompleted: ({ context }) => deriveStatus(context) === 'delivered',
      isAwaitingNodes: ({ context }) => context.allocations.some((a) => a.status === 'requested'),
      isWaitingForStock: ({ context }) => !context.allocations.some(isOpen) && totals(context).backordered > 0,
    },
  }).createMachine({
    id: 'order',
    context: ({ input }) => emptyContext(input.orderId),
    initial: 'received',
    states: {
      received: {
        on: {
          'order.placed': {
            target: 'validating',
            actions: apply((context, event) => (event.type === 'order.placed' ? placeOrder(context, event.order, event.at) : noStep(context))),
          },
          'order.invalid': {
            target: 'rejected',
            actions: apply((context, event) => (event.type === 'order.invalid' ? rejectInvalid(context, event.reason, event.at) : noStep(context))),
          },
        },
      },
      validating: {
        always: [{ guard: 'isRejected', target: 'rejected' }, { target: 'active' }],
      },
      active: {
        initial: 'sourcing',
        states: {
          sourcing: {
            entry: apply((context, event) => sourceNeeded(context, deps.source, eventTime(event))),
            always: { target: 'routing' },
          },
          routing: {
            always: [
              { guard: 'isOnHold', target: '#order.onHold' },
              { guard: 'isAllCancelled', target: '#order.cancelled' },
              { guard: 'isCompleted', target: '#order.completed' },
              { guard: 'isAwaitingNodes', target: 'allocating' },
              { guard: 'isWaitingForStock', target: 'backordered' },
              { target: 'fulfilling' },
            ],
          },
          allocating: {},
          fulfilling: {},
          backordered: {},
        },
        on: {
          'stock.available': {
            guard: ({ context }) => totals(context).backordered > 0,
            target: '.sourcing',
          },
          'order.deadline': {
            target: '.routing',
            actions: apply((context, event) => (event.type === 'order.deadline' ? deadlinePassed(context, event, deps.deadlines) : noStep(context))),
          },
          'allocation.answered': {
            target: '.routing',
            actions: apply((context, event) => {
              if (event.type !== 'allocation.answered') return noStep(context);
              const answered = allocationAnswered(context, event.allocationId, event.accepted, event.at, event.code, event.reason);
              return event.accepted ? answered : chain(answered, (next) => sourceNeeded(next, deps.source, event.at));
            }),
          },
          'work.rejected': {
            target: '.routing',
            actions: apply((context, event) => {
              if (event.type !== 'work.rejected') return noStep(context);
              return chain(workRejected(context, event.allocationId, event.at, event.code, event.reason), (next) => sourceNeeded(next, deps.source, event.at));
            }),
          },
          'shipment.progress': {
            target: '.routing',
            actions: apply((context, event) => (event.type === 'shipment.progress' ? shipmentProgressed(context, event) : noStep(context))),
          },
          'order.cancel': {
            target: '.routing',
            actions: apply((context, event) => (event.type === 'order.cancel' ? cancelOrReject(context, event, 'active') : noStep(context))),
          },
          'order.hold': {
            target: '#order.onHold',
            actions: apply((context, event) => (event.type === 'order.hold' ? holdOrder(context, event.reason, event.at) : noStep(context))),
          },
        },
      },
      onHold: {
        on: {
          'order.deadline': {
            guard: ({ event }) => event.type === 'order.deadline' && event.deadline === 'hold',
            target: 'active',
            actions: apply((context, event) => releaseHold(context, eventTime(event))),
          },
          'order.release': {
            target: 'active',
            actions: apply((context, event) => releaseHold(context, eventTime(event))),
          },
          'shipment.progress': {
            actions: apply((context, event) => (event.type === 'shipment.progress' ? shipmentProgressed(context, event) : noStep(context))),
          },
          'order.cancel': {
            target: 'active.routing',
            actions: apply((context, event) =>
              event.type === 'order.cancel' ? chain(cancelOrReject(context, event, 'onHold'), (next) => releaseHold(next, event.at)) : noStep(context),
            ),
          },
        },
      },
      completed: { type: 'final' },
      // Not final: a node may report a shipment that left before the cancellation reached it,
      // and the shipped quantities then win.
      cancelled: {
        on: {
          'shipment.progress': {
            target: 'active.routing',
            actions: apply((context, event) => (event.type === 'shipment.progress' ? shipmentProgressed(context, event) : noStep(context))),
          },
          'order.cancel': {
            actions: apply((context) => ({
              context,
              effects: [{ type: 'commandRejected', command: 'order.cancel', state: 'cancelled', reason: `order ${context.orderId} is already cancelled` }],
            })),
          },
        },
      },
      rejected: { type: 'final' },
    },
  });
}

/** The machine type, for actors and tests. */
export type OrderMachine = ReturnType<typeof createOrderMachine>;

function noStep(context: OrderContext): Step {
  return { context, effects: [] };
}

function chain(first: Step, then: (context: OrderContext) => Step): Step {
  const second = then(first.context);
  return { context: second.context, effects: [...first.effects, ...second.effects] };
}

function eventTime(event: OrderEvent): string {
  return 'at' in event ? event.at : new Date(0).toISOString();
}

function deadlinePassed(context: OrderContext, event: Extract<OrderEvent, { type: 'order.deadline' }>, policy: DeadlinePolicy | undefined): Step {
  if (event.deadline !== 'backorder' || totals(context).backordered === 0) return noStep(context);
  const backordered = context.lines.filter((line) => line.backordered > 0).map((line) => ({ sku: line.sku, quantity: line.backordered }));
  if ((policy?.backorder ?? 'cancel') === 'hold') return holdOrder(context, 'backorder deadline passed; review the backordered lines', event.at);
  // Only the backordered quantities are cancelled: quantities of those SKUs held by open
  // allocations come after them in cancelQuantities, so a request capped at the backorder spares them.
  return cancelQuantities(context, backordered.map((item) => ({ sku: item.sku, quantity: item.quantity / unitScaleOf(context, item.sku) })), 'backorder deadline passed', event.at);
}

function unitScaleOf(context: OrderContext, sku: string): number {
  const unit = context.lines.find((line) => line.sku === sku)?.unit ?? 'each';
  return UNIT_SCALE[unit];
}

function cancelOrReject(context: OrderContext, event: Extract<OrderEvent, { type: 'order.cancel' }>, state: string): Step {
  const before = totals(context).cancelled;
  const step = cancelQuantities(context, event.lines, event.reason, event.at);
  if (totals(step.context).cancelled > before) return step;
  const reason = `order ${context.orderId} has nothing left to cancel${event.lines === undefined ? '' : ' for the given SKUs'}: every quantity has shipped or was cancelled`;
  return { context, effects: [{ type: 'commandRejected', command: 'order.cancel', state, reason }] };
}
