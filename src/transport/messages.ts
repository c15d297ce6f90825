import { z } from 'zod';
import { OrderSchema, AddressSchema } from '../domain/order.ts';
import { NodeIdSchema, OrderIdSchema, SkuSchema } from '../domain/ids.ts';
import { FulfillmentNodeSchema, NodeStatusSchema } from '../domain/node.ts';

/** Version of the command and event payloads; bumped on incompatible changes. */
export const MESSAGE_VERSION = 1;

const version = z.literal(MESSAGE_VERSION, { message: `expected message version ${MESSAGE_VERSION}` });
/** Idempotency key: the same key has its effect once, inside and outside JetStream's duplicate window. */
const key = z.string().min(1).max(256);

/** Quantities on the wire between engine parts are integer unit steps. */
const AllocatedLineSchema = z.object({ lineId: z.string().min(1), sku: z.string().min(1).max(64), quantity: z.number().int().positive() });
export type AllocatedLine = z.infer<typeof AllocatedLineSchema>;

export const PlaceOrderSchema = z.object({ type: z.literal('order.place'), v: version, key, order: OrderSchema });

export const CancelOrderSchema = z.object({
  type: z.literal('order.cancel'),
  v: version,
  key,
  orderId: OrderIdSchema,
  /** Lines to cancel by SKU, with quantities in the line's own unit; the whole order when absent. */
  lines: z.array(z.object({ sku: SkuSchema, quantity: z.number().positive() })).optional(),
  reason: z.string().min(1, { message: 'expected a cancellation reason' }).max(512),
});

export const HoldOrderSchema = z.object({ type: z.literal('order.hold'), v: version, key, orderId: OrderIdSchema, reason: z.string().min(1).max(512) });
export const ReleaseOrderSchema = z.object({ type: z.literal('order.release'), v: version, key, orderId: OrderIdSchema });

/** A node actor's reply to a reservation request. */
export const AllocationResultSchema = z.object({
  type: z.literal('order.allocation'),
  v: version,
  key,
  orderId: OrderIdSchema,
  allocationId: z.string().min(1),
  nodeId: NodeIdSchema,
  accepted: z.boolean(),
  /** Reason code when rejected, such as `not_in_stock` or `capacity_exhausted`. */
  code: z.string().optional(),
  reason: z.string().optional(),
});

/** A node lost work it had accepted (its agent rejected it, or the node went offline): reroute it. */
export const RerouteSchema = z.object({
  type: z.literal('order.reroute'),
  v: version,
  key,
  orderId: OrderIdSchema,
  allocationId: z.string().min(1),
  nodeId: NodeIdSchema,
  code: z.string().min(1),
  reason: z.string().min(1),
  at: z.string(),
});

export const SHIPMENT_STEPS = ['picked', 'packed', 'shipped', 'delivered'] as const;
export const ShipmentStepSchema = z.enum(SHIPMENT_STEPS);
export type ShipmentStep = z.infer<typeof ShipmentStepSchema>;

/** Progress of one allocation's shipment, forwarded by the node actor to the order. */
export const ShipmentProgressSchema = z.object({
  type: z.literal('order.shipment'),
  v: version,
  key,
  orderId: OrderIdSchema,
  allocationId: z.string().min(1),
  nodeId: NodeIdSchema,
  step: ShipmentStepSchema,
  carrier: z.string().max(64).optional(),
  trackingNumber: z.string().max(128).optional(),
  /** Lines the node shipped, on `shipped` and `delivered`; they win over a late cancellation. */
  lines: z.array(AllocatedLineSchema).optional(),
  at: z.string(),
});

export const ReserveSchema = z.object({
  type: z.literal('node.reserve'),
  v: version,
  key,
  nodeId: NodeIdSchema,
  orderId: OrderIdSchema,
  allocationId: z.string().min(1),
  lines: z.array(AllocatedLineSchema).min(1),
  shipTo: AddressSchema,
  /** Time the order was placed; the node's capacity day is counted from it. */
  placedAt: z.string(),
});

export const ReleaseSchema = z.object({
  type: z.literal('node.release'),
  v: version,
  key,
  nodeId: NodeIdSchema,
  orderId: OrderIdSchema,
  allocationId: z.string().min(1),
  /** Lines and quantities to release; the whole reservation when absent. */
  lines: z.array(AllocatedLineSchema).optional(),
  reason: z.string().min(1),
});

export const AGENT_REPORT_KINDS = ['accepted', 'rejected', 'picked', 'packed', 'shipped', 'delivered'] as const;

/** Report of a node agent about an allocation it received. */
export const AgentReportSchema = z.object({
  type: z.literal('node.report'),
  v: version,
  key,
  nodeId: NodeIdSchema,
  allocationId: z.string().min(1),
  kind: z.enum(AGENT_REPORT_KINDS),
  code: z.string().max(64).optional(),
  reason: z.string().max(512).optional(),
  carrier: z.string().max(64).optional(),
  trackingNumber: z.string().max(128).optional(),
  at: z.string(),
});
export type AgentReport = z.infer<typeof AgentReportSchema>;

/** A receipt, adjustment (signed) or count of one SKU at a node, in unit steps. */
export const InventoryCommandSchema = z.object({
  type: z.literal('node.inventory'),
  v: version,
  key,
  nodeId: NodeIdSchema,
  kind: z.enum(['receipt', 'adjustment', 'count']),
  sku: z.string().min(1).max(64),
  quantity: z.number().int(),
  at: z.string(),
});

/**
 * A node joins the network (or announces itself again): its description and, for a new node,
 * its opening stock per SKU in unit steps. A known node keeps its stock.
 */
export const RegisterNodeSchema = z.object({
  type: z.literal('node.register'),
  v: version,
  key,
  nodeId: NodeIdSchema,
  node: FulfillmentNodeSchema,
  stock: z.record(z.string().min(1).max(64), z.number().int().min(0)).default({}),
});

/** The agent did not acknowledge an allocation before its deadline; sent by the engine's timer store. */
export const AckTimeoutSchema = z.object({ type: z.literal('node.ackTimeout'), v: version, key, nodeId: NodeIdSchema, allocationId: z.string().min(1), at: z.string() });

/** A business deadline of an order passed; sent by the engine's timer store. */
export const OrderDeadlineSchema = z.object({ type: z.literal('order.deadline'), v: version, key, orderId: OrderIdSchema, deadline: z.enum(['backorder', 'hold']), at: z.string() });

export const NodeStatusCommandSchema = z.object({ type: z.literal('node.status'), v: version, key, nodeId: NodeIdSchema, status: NodeStatusSchema });

export const CommandSchema = z.discriminatedUnion('type', [
  PlaceOrderSchema,
  CancelOrderSchema,
  HoldOrderSchema,
  ReleaseOrderSchema,
  AllocationResultSchema,
  RerouteSchema,
  ShipmentProgressSchema,
  ReserveSchema,
  ReleaseSchema,
  AgentReportSchema,
  InventoryCommandSchema,
  RegisterNodeSchema,
  AckTimeoutSchema,
  OrderDeadlineSchema,
  NodeStatusCommandSchema,
]);
export type Command = z.infer<typeof CommandSchema>;
export type CommandInput = z.input<typeof CommandSchema>;
export type OrderCommand = Extract<Command, { type: `order.${string}` }>;
export type NodeCommand = Extract<Command, { type: `node.${string}` }>;

/** Allocation released to a node agent after its node actor reserved the stock. */
export const WorkOrderSchema = z.object({
  v: version,
  /** `allocate` releases new work; `cancel` withdraws the given lines of earlier work. */
  kind: z.enum(['allocate', 'cancel']),
  /** On `cancel`: true when nothing of the allocation is left to ship. */
  whole: z.boolean().optional(),
  reason: z.string().optional(),
  allocationId: z.string(),
  orderId: z.string(),
  nodeId: z.string(),
  lines: z.array(AllocatedLineSchema),
  /** Destination; present on `allocate`. */
  shipTo: AddressSchema.optional(),
  placedAt: z.string().optional(),
});
export type WorkOrder = z.infer<typeof WorkOrderSchema>;

/**
 * Formats zod issues as `path: message (got value)` lines, so that every rejection names
 * the field, the value and what was expected.
 */
export function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length === 0 ? '(message)' : formatPath(issue.path);
      const value = valueAt(input, issue.path);
      const got = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 80);
      return `${path}: ${issue.message} (got ${got})`;
    })
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
