import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import { capacityDay } from '../machines/localDay.ts';
import type { NetworkSnapshot, NodeState } from '../sourcing/types.ts';
import type { AllocatedLine } from '../transport/messages.ts';

interface ViewedNode {
  node: FulfillmentNode;
  status: NodeStatus;
  capacity: { day: string; used: number };
  /** onHand - reserved per SKU, as the node actor last reported it. */
  stock: Map<string, number>;
}

/**
 * The engine's in-process view of every node's availability and capacity, which sourcing
 * reads without a network round trip. Node actors feed it. Reservations that an order has
 * requested but its node has not yet confirmed are held back as pending, so that two orders
 * decided in a row do not both count on the same last unit.
 */
export class NetworkView {
  private readonly nodes = new Map<string, ViewedNode>();
  private readonly pending = new Map<string, { nodeId: string; lines: AllocatedLine[] }>();
  /** Pending quantities per node, then per SKU; nested maps avoid building a key per lookup. */
  private readonly pendingBySku = new Map<string, Map<string, number>>();
  /** Pending reservation requests per node: each will use one shipment of capacity. */
  private readonly pendingShipments = new Map<string, number>();
  private readonly dayCache = new Map<string, { minute: number; day: string }>();
  private nodeStatesCache: { minute: number; version: number; states: NodeState[] } | undefined;
  private version = 0;

  /** Adds or replaces a node with its full stock table (available per SKU). */
  setNode(node: FulfillmentNode, status: NodeStatus, capacity: { day: string; used: number }, stock: Iterable<[string, number]>): void {
    this.nodes.set(node.nodeId, { node, status, capacity: { ...capacity }, stock: new Map(stock) });
    this.version++;
  }

  /** Records a node's new availability for one SKU. */
  setAvailable(nodeId: string, sku: string, available: number): void {
    this.nodes.get(nodeId)?.stock.set(sku, available);
  }

  setStatus(nodeId: string, status: NodeStatus): void {
    const viewed = this.nodes.get(nodeId);
    if (viewed === undefined || viewed.status === status) return;
    viewed.status = status;
    this.version++;
  }

  setCapacity(nodeId: string, capacity: { day: string; used: number }): void {
    const viewed = this.nodes.get(nodeId);
    if (viewed === undefined) return;
    viewed.capacity = { ...capacity };
    this.version++;
  }

  /** Holds back the quantities of a reservation request until its node replies. */
  addPending(allocationId: string, nodeId: string, lines: AllocatedLine[]): void {
    if (this.pending.has(allocationId)) return;
    this.pending.set(allocationId, { nodeId, lines });
    for (const line of lines) this.adjustPending(nodeId, line.sku, line.quantity);
    this.pendingShipments.set(nodeId, (this.pendingShipments.get(nodeId) ?? 0) + 1);
    this.version++;
  }

  /** Drops a pending reservation once its node has replied to it. */
  removePending(allocationId: string): void {
    const held = this.pending.get(allocationId);
    if (held === undefined) return;
    this.pending.delete(allocationId);
    for (const line of held.lines) this.adjustPending(held.nodeId, line.sku, -line.quantity);
    const shipments = (this.pendingShipments.get(held.nodeId) ?? 1) - 1;
    if (shipments <= 0) this.pendingShipments.delete(held.nodeId);
    else this.pendingShipments.set(held.nodeId, shipments);
    this.version++;
  }

  /** Number of nodes in the view. */
  get size(): number {
    return this.nodes.size;
  }

  /** Node ids known to the view. */
  nodeIds(): string[] {
    return [...this.nodes.keys()];
  }

  /** Returns a read-only snapshot for one sourcing decision at time `now` (epoch ms). */
  snapshot(now: number): NetworkSnapshot {
    return { nodes: this.nodeStates(now), available: (nodeId, sku) => this.available(nodeId, sku) };
  }

  /** Units available to promise at a node, net of pending reservation requests. */
  available(nodeId: string, sku: string): number {
    const stock = this.nodes.get(nodeId)?.stock.get(sku) ?? 0;
    const pending = this.pendingBySku.get(nodeId);
    return pending === undefined ? stock : stock - (pending.get(sku) ?? 0);
  }

  private nodeStates(now: number): NodeState[] {
    const minute = Math.floor(now / 60_000);
    const cached = this.nodeStatesCache;
    if (cached !== undefined && cached.minute === minute && cached.version === this.version) return cached.states;

    const states: NodeState[] = [];
    for (const viewed of this.nodes.values()) {
      const placedDay = this.dayAt(viewed.node, now, minute);
      const day = placedDay > viewed.capacity.day ? placedDay : viewed.capacity.day;
      const used = day === viewed.capacity.day ? viewed.capacity.used : 0;
      const pending = this.pendingShipments.get(viewed.node.nodeId) ?? 0;
      states.push({ node: viewed.node, status: viewed.status, remainingCapacity: viewed.node.dailyCapacity - used - pending });
    }
    this.nodeStatesCache = { minute, version: this.version, states };
    return states;
  }

  private dayAt(node: FulfillmentNode, now: number, minute: number): string {
    const key = `${node.timeZone}|${node.cutoffLocal}`;
    const cached = this.dayCache.get(key);
    if (cached !== undefined && cached.minute === minute) return cached.day;
    const day = capacityDay(now, node.timeZone, node.cutoffLocal);
    this.dayCache.set(key, { minute, day });
    return day;
  }

  private adjustPending(nodeId: string, sku: string, delta: number): void {
    let bySku = this.pendingBySku.get(nodeId);
    if (bySku === undefined) this.pendingBySku.set(nodeId, (bySku = new Map<string, number>()));
    const next = (bySku.get(sku) ?? 0) + delta;
    if (next > 0) bySku.set(sku, next);
    else bySku.delete(sku);
    if (bySku.size === 0) this.pendingBySku.delete(nodeId);
  }
}
