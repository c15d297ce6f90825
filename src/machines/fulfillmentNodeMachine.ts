import { setup, enqueueActions } from 'xstate';
import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import type { AgentReport, AllocatedLine } from '../transport/messages.ts';
import type { NodeEffect } from './nodeEffects.ts';
import { ackTimedOut, applyReport, changeInventory, dropOpenWork, release, reserve, type InventoryChange, type NodeContext, type ReserveRequest, type StockLevel } from './nodeLogic.ts';

/** Events a fulfillment node actor accepts. */
export type NodeEvent =
  | ({ type: 'node.reserve' } & ReserveRequest)
  | { type: 'node.release'; allocationId: string; lines?: AllocatedLine[]; reason: string }
  | { type: 'node.report'; report: AgentReport }
  | { type: 'node.inventory'; change: InventoryChange }
  | { type: 'node.ackTimeout'; allocationId: string; at: string }
  | { type: 'node.online' }
  | { type: 'node.pause' }
  | { type: 'node.offline'; at: string };

/** Input of a new node actor. */
export interface NodeInput {
  node: FulfillmentNode;
  inventory: Record<string, StockLevel>;
}

const STATUS_OF_STATE: Readonly<Record<string, NodeStatus>> = { online: 'online', paused: 'paused', offline: 'offline' };

/**
 * The fulfillment node lifecycle: online, paused (no new work, finishes what it has) and
 * offline (open work is released and rerouted). The node actor is the only writer of its
 * inventory, so two orders racing for the last unit get exactly one success.
 */
export const fulfillmentNodeMachine = setup({
  types: {
    context: {} as NodeContext,
    events: {} as NodeEvent,
    input: {} as NodeInput,
    emitted: {} as NodeEffect,
  },
  actions: {
    reserve: enqueueActions(({ context, event, self, enqueue }) => {
      if (event.type !== 'node.reserve') return;
      const status = STATUS_OF_STATE[self.getSnapshot().value as string] ?? 'offline';
      emitAll(enqueue, context, reserve(context, status, event));
    }),
    release: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'node.release') return;
      emitAll(enqueue, context, release(context, event.allocationId, event.lines, event.reason));
    }),
    report: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'node.report') return;
      emitAll(enqueue, context, applyReport(context, event.report));
    }),
    ackTimeout: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'node.ackTimeout') return;
      emitAll(enqueue, context, ackTimedOut(context, event.allocationId, event.at));
    }),
    inventory: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'node.inventory') return;
      emitAll(enqueue, context, changeInventory(context, event.change));
    }),
    dropOpenWork: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'node.offline') return;
      emitAll(enqueue, context, dropOpenWork(context, event.at));
    }),
  },
}).createMachine({
  id: 'fulfillmentNode',
  context: ({ input }) => ({ node: input.node, inventory: input.inventory, reservations: {}, capacity: { day: '0000-00-00', used: 0 } }),
  initial: 'online',
  on: {
    'node.reserve': { actions: 'reserve' },
    'node.release': { actions: 'release' },
    'node.report': { actions: 'report' },
    'node.inventory': { actions: 'inventory' },
    'node.ackTimeout': { actions: 'ackTimeout' },
  },
  states: {
    online: {
      on: {
        'node.pause': { target: 'paused' },
        'node.offline': { target: 'offline', actions: 'dropOpenWork' },
      },
    },
    paused: {
      on: {
        'node.online': { target: 'online' },
        'node.offline': { target: 'offline', actions: 'dropOpenWork' },
      },
    },
    offline: {
      on: {
        'node.online': { target: 'online' },
        'node.pause': { target: 'paused' },
      },
    },
  },
});

export type FulfillmentNodeMachine = typeof fulfillmentNodeMachine;

function emitAll(enqueue: { assign: (value: Partial<NodeContext>) => void; emit: (effect: NodeEffect) => void }, context: NodeContext, effects: NodeEffect[]): void {
  enqueue.assign({ reservations: context.reservations, capacity: context.capacity, inventory: context.inventory });
  for (const effect of effects) enqueue.emit(effect);
}
