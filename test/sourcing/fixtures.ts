import { FulfillmentNodeSchema } from '../../src/domain/node.ts';
import type { FulfillmentNode, FulfillmentNodeInput, NodeStatus } from '../../src/domain/node.ts';
import { OrderSchema } from '../../src/domain/order.ts';
import type { Order, OrderInput } from '../../src/domain/order.ts';
import { parseRuleSet } from '../../src/sourcing/parseRuleSet.ts';
import type { RuleSet } from '../../src/sourcing/ruleSchema.ts';
import type { NetworkSnapshot, NodeState, SourcingLine, SourcingRequest } from '../../src/sourcing/types.ts';

/** 2024-03-05 10:00 UTC: before a 15:00 cut-off in London. */
export const MORNING = Date.UTC(2024, 2, 5, 10, 0);

/** Builds a node in London unless overridden. */
export function makeNode(nodeId: string, overrides: Partial<FulfillmentNodeInput> = {}): FulfillmentNode {
  return FulfillmentNodeSchema.parse({
    nodeId,
    name: nodeId,
    type: 'DC',
    city: 'London',
    country: 'GB',
    lat: 51.5,
    lon: -0.12,
    timeZone: 'Europe/London',
    dailyCapacity: 100,
    cutoffLocal: '15:00',
    handlingCostMinor: 100,
    ...overrides,
  });
}

/** A node entry of a test network: the node, its stock per SKU (unit steps), status and capacity. */
export interface TestNode {
  node: FulfillmentNode;
  stock: Record<string, number>;
  status?: NodeStatus;
  remainingCapacity?: number;
}

/** Builds a network backed by a Map, like the engine's view. */
export function makeNetwork(entries: readonly TestNode[]): NetworkSnapshot {
  const stock = new Map<string, number>();
  for (const entry of entries) for (const [sku, units] of Object.entries(entry.stock)) stock.set(`${entry.node.nodeId}\u0000${sku}`, units);
  const nodes: NodeState[] = entries.map((entry) => ({ node: entry.node, status: entry.status ?? 'online', remainingCapacity: entry.remainingCapacity ?? 100 }));
  return { nodes, available: (nodeId, sku) => stock.get(`${nodeId}\u0000${sku}`) ?? 0 };
}

/** Builds an order to central London with the given lines (unit `each`, price 1000 unless set). */
export function makeOrder(lines: { lineId: string; sku: string; quantity: number; unit?: 'each' | 'kg'; attributes?: Record<string, string>; category?: string }[], overrides: Partial<OrderInput> = {}): Order {
  return OrderSchema.parse({
    orderId: 'order-1',
    placedAt: '2024-03-05T10:00:00Z',
    currency: 'GBP',
    destination: { city: 'London', country: 'GB', postalCode: 'SW1A 1AA', lat: 51.501, lon: -0.141 },
    lines: lines.map((line) => ({ unitPriceMinor: 1000, ...line })),
    ...overrides,
  });
}

/** Sourcing lines equal to the order's lines (quantities scaled to unit steps). */
export function linesOf(order: Order): SourcingLine[] {
  return order.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: Math.round(line.quantity * (line.unit === 'each' ? 1 : 1000)) }));
}

/** Builds a one-rule set with the given rule fields on top of a DC-only tier. */
export function oneRule(rule: Record<string, unknown> = {}, costs?: Record<string, number>): RuleSet {
  return parseRuleSet({ version: 1, ...(costs === undefined ? {} : { costs }), rules: [{ id: 'r1', tiers: ['DC'], ...rule }] });
}

/** Builds a request at MORNING for the whole order. */
export function request(order: Order, network: NetworkSnapshot, rules: RuleSet, extra: Partial<SourcingRequest> = {}): SourcingRequest {
  return { order, lines: linesOf(order), network, rules, now: MORNING, ...extra };
}

/** Quantity of a line planned at a node (0 when none). */
export function plannedAt(plan: { shipments: { nodeId: string; lines: { lineId: string; quantity: number }[] }[] }, nodeId: string, lineId: string): number {
  const shipment = plan.shipments.find((candidate) => candidate.nodeId === nodeId);
  return shipment?.lines.filter((line) => line.lineId === lineId).reduce((sum, line) => sum + line.quantity, 0) ?? 0;
}
