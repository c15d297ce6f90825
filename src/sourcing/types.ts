import type { Order } from '../domain/order.ts';
import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import type { RuleSet } from './ruleSchema.ts';
import type { Explanation } from './explanation.ts';

export type { RuleSet } from './ruleSchema.ts';
export type { Explanation } from './explanation.ts';

/** A node as sourcing reads it at decision time. */
export interface NodeState {
  node: FulfillmentNode;
  status: NodeStatus;
  /**
   * Shipments still possible in the node's current local day. Each planned shipment uses one;
   * a node with 0 or less is excluded, also after its cut-off.
   */
  remainingCapacity: number;
}

/** Read-only view of the network at decision time. */
export interface NetworkSnapshot {
  /**
   * Nodes in a stable order. NOTE: sourcing caches tier membership per array and rule, so an
   * array must not gain, lose or reorder nodes once passed; pass a new array instead.
   */
  readonly nodes: readonly NodeState[];
  /** Units available to promise at a node for a SKU, in unit steps (see UNIT_SCALE), before safety stock. 0 when unknown. */
  available(nodeId: string, sku: string): number;
}

/** One line to source now. */
export interface SourcingLine {
  lineId: string;
  sku: string;
  /** Quantity still to source, in integer unit steps (whole units for `each`, thousandths otherwise). */
  quantity: number;
}

/** A node that rejected work: for one line when `lineId` is set, else for the whole order. */
export interface SourcingExclusion {
  nodeId: string;
  lineId?: string;
}

/** Everything `planSourcing` reads; it reads nothing else. */
export interface SourcingRequest {
  /** The order, read for rule conditions, the destination and line units and attributes. */
  order: Order;
  /** Lines to source now; when re-sourcing, only the remainder. */
  lines: readonly SourcingLine[];
  network: NetworkSnapshot;
  rules: RuleSet;
  /** Decision time in epoch milliseconds; cut-offs are checked against it. */
  now: number;
  exclusions?: readonly SourcingExclusion[];
}

/** Quantity of one line planned at one node, in unit steps. */
export interface ShipmentLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/** One shipment from one node. */
export interface PlannedShipment {
  nodeId: string;
  lines: ShipmentLine[];
  /** Great-circle distance from node to destination, in km, rounded to 0.1 km. */
  distanceKm: number;
  /**
   * Cost of this shipment in minor units: fixed cost + distance cost (rounded to a whole minor
   * unit) + the node's handling cost + the after-cut-off penalty when it applies.
   */
  costMinor: number;
  /** True when the node is past its cut-off, so the shipment leaves on the next local day. */
  afterCutoff: boolean;
}

/** Quantity that cannot be filled now, in unit steps, with the reason. */
export interface Backorder {
  lineId: string;
  sku: string;
  quantity: number;
  reason: string;
}

/** Sourcing decision for one request. */
export interface SourcingPlan {
  /** Rule that decided the order-level lines; undefined when no rule matched. */
  ruleId: string | undefined;
  outcome: 'allocated' | 'partial' | 'backordered' | 'hold' | 'cancel';
  shipments: PlannedShipment[];
  backorders: Backorder[];
  holdReason?: string;
  cancelReason?: string;
  /** Sum of shipment costs plus the extra-shipment penalty per shipment beyond the first, in minor units. */
  totalCostMinor: number;
  explanation: Explanation;
}
