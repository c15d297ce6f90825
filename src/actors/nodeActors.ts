import { createActor, type Actor } from 'xstate';
import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import { fulfillmentNodeMachine } from '../machines/fulfillmentNodeMachine.ts';
import type { NodeEffect } from '../machines/nodeEffects.ts';
import type { NodeContext, StockLevel } from '../machines/nodeLogic.ts';
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
 * Hosts fulfillment node actors, one per node, all live. A node's inventory is persisted
 * row by row (only the SKUs that changed), its machine snapshot without the inventory.
 */
export class NodeActors {
  private readonly live = new Map<string, NodeActor>();
  private readonly dirtyNodes = new Set<string>();
  private readonly dirtySkus = new Map<string, Set<string>>();

  constructor(private readonly options: NodeActorsOptions) {}

  /** Restores every node persisted in the store; returns how many. */
  restoreAll(): number {
    const { store } = this.options;
    for (const { key: nodeId, value } of store.nodes.getRange()) {
      const snapshot = structuredClone(value.snapshot) as { context: NodeContext };
      const inventory: Record<string, StockLevel> = {};
      for (const row of store.inventory.getRange({ start: [nodeId], end: [`${nodeId}\u0000`] })) {
        inventory[row.key[1]] = { onHand: row.value.onHand, reserved: row.value.reserved };
      }
      snapshot.context = { ...snapshot.context, inventory };
      this.adopt(nodeId, createActor(fulfillmentNodeMachine, { snapshot: snapshot as never, input: { node: snapshot.context.node, inventory } }));
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
    let skus = this.dirtySkus.get(nodeId);
    if (skus === undefined) this.dirtySkus.set(nodeId, (skus = new Set()));
    skus.add(sku);
  }

  /** Writes changed node snapshots and stock rows; durable after the store's `flushed`. */
  persist(): void {
    const { store } = this.options;
    const now = this.options.now();
    for (const nodeId of this.dirtyNodes) {
      const actor = this.live.get(nodeId);
      if (actor === undefined) continue;
      const persisted = actor.getPersistedSnapshot() as unknown as { context: NodeContext };
      void store.nodes.put(nodeId, { snapshot: { ...persisted, context: { ...persisted.context, inventory: {} } }, updatedAt: now });
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
