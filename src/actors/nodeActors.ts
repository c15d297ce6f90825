import { createActor, type Actor } from 'xstate';
import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import { fulfillmentNodeMachine } from '../machines/fulfillmentNodeMachine.ts';
import type { NodeEffect } from '../machines/nodeEffects.ts';
import type { NodeContext, Reservation, StockLevel } from '../machines/nodeLogic.ts';
import type { EngineStore } from '../storage/engineStore.ts';

export type NodeActor = Actor<typeof fulfillmentNodeMachine>;

/** Options for `NodeActors`. */
export interface NodeActorsOptions {
  store: EngineStore;
  /** Receives every effect a node actor emits, with its node id. */
  onEffect: (nodeId: string, effect: NodeEffect) => void;
  now: () => number;
}

/**
 * Hosts fulfillment node actors, one per node, all live. A node's inventory and open
 * reservations are persisted row by row (only the rows that changed), its machine snapshot
 * without them, because a distribution center keeps thousands of each.
 */
export class NodeActors {
  private readonly live = new Map<string, NodeActor>();
  private readonly dirtyNodes = new Set<string>();
  private readonly dirtySkus = new Map<string, Set<string>>();
  private readonly dirtyReservations = new Map<string, Set<string>>();

  constructor(private readonly options: NodeActorsOptions) {}

  /** Restores every node persisted in the store; returns how many. */
  restoreAll(): number {
    const { store } = this.options;
    for (const { key: nodeId, value } of store.nodes.getRange()) {
      const persisted = value.snapshot as { value: string; context: NodeContext };
      const inventory: Record<string, StockLevel> = {};
      for (const row of store.inventory.getRange({ start: [nodeId], end: [`${nodeId}\u0000`] })) {
        inventory[row.key[1]] = { onHand: row.value.onHand, reserved: row.value.reserved };
      }
      const reservations: Record<string, Reservation> = {};
      for (const row of store.reservations.getRange({ start: [nodeId], end: [`${nodeId}\u0000`] })) reservations[row.key[1]] = row.value;
      const context = { ...persisted.context, inventory, reservations };
      const snapshot = fulfillmentNodeMachine.resolveState({ value: persisted.value, context });
      this.adopt(nodeId, createActor(fulfillmentNodeMachine, { snapshot, input: { node: context.node, inventory } }));
    }
    return this.live.size;
  }

  /** Adds a node with its opening stock (on hand per SKU, in unit steps). */
  add(node: FulfillmentNode, stock: Record<string, number>): NodeActor {
    const inventory: Record<string, StockLevel> = {};
    for (const [sku, onHand] of Object.entries(stock)) {
      inventory[sku] = { onHand, reserved: 0 };
      this.markSku(node.nodeId, sku);
    }
    const actor = this.adopt(node.nodeId, createActor(fulfillmentNodeMachine, { input: { node, inventory } }));
    this.dirtyNodes.add(node.nodeId);
    return actor;
  }

  get(nodeId: string): NodeActor | undefined {
    return this.live.get(nodeId);
  }

  /** Every hosted node with its status, capacity and stock. */
  *entries(): IterableIterator<{ nodeId: string; node: FulfillmentNode; status: NodeStatus; context: NodeContext }> {
    for (const [nodeId, actor] of this.live) {
      const snapshot = actor.getSnapshot();
      yield { nodeId, node: snapshot.context.node, status: String(snapshot.value) as NodeStatus, context: snapshot.context };
    }
  }

  /** Marks a node as changed after an event, and the SKU rows its effects touched. */
  touch(nodeId: string): void {
    this.dirtyNodes.add(nodeId);
  }

  markSku(nodeId: string, sku: string): void {
    addTo(this.dirtySkus, nodeId, sku);
  }

  /** Marks a reservation row as changed (created, updated or removed). */
  markReservation(nodeId: string, allocationId: string): void {
    addTo(this.dirtyReservations, nodeId, allocationId);
  }

  /** Marks every open reservation of a node, before an event that may touch them all. */
  markAllReservations(nodeId: string): void {
    for (const allocationId of Object.keys(this.live.get(nodeId)?.getSnapshot().context.reservations ?? {})) this.markReservation(nodeId, allocationId);
  }

  /** Writes changed node snapshots and stock rows; durable after the store's `flushed`. */
  persist(): void {
    const { store } = this.options;
    const now = this.options.now();
    for (const nodeId of this.dirtyNodes) {
      const actor = this.live.get(nodeId);
      if (actor === undefined) continue;
      const { value, context } = actor.getSnapshot();
      void store.nodes.put(nodeId, { snapshot: { value, context: { ...context, inventory: {}, reservations: {} } }, updatedAt: now });
    }
    this.dirtyNodes.clear();
    for (const [nodeId, skus] of this.dirtySkus) {
      const inventory = this.live.get(nodeId)?.getSnapshot().context.inventory;
      if (inventory === undefined) continue;
      for (const sku of skus) {
        const level = inventory[sku];
        if (level !== undefined) void store.inventory.put([nodeId, sku], { onHand: level.onHand, reserved: level.reserved });
      }
    }
    this.dirtySkus.clear();
    for (const [nodeId, allocationIds] of this.dirtyReservations) {
      const reservations = this.live.get(nodeId)?.getSnapshot().context.reservations;
      if (reservations === undefined) continue;
      for (const allocationId of allocationIds) {
        const reservation = reservations[allocationId];
        if (reservation === undefined) void store.reservations.remove([nodeId, allocationId]);
        else void store.reservations.put([nodeId, allocationId], reservation);
      }
    }
    this.dirtyReservations.clear();
  }

  stopAll(): void {
    for (const actor of this.live.values()) actor.stop();
    this.live.clear();
  }

  private adopt(nodeId: string, actor: NodeActor): NodeActor {
    actor.on('*', (effect) => this.options.onEffect(nodeId, effect));
    actor.start();
    this.live.set(nodeId, actor);
    return actor;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, item: string): void {
  let items = map.get(key);
  if (items === undefined) map.set(key, (items = new Set()));
  items.add(item);
}
