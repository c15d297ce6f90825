/**
 * Client of the engine's order query (`sy.q.order.<orderId>`, request/reply over core NATS):
 * sends the request, validates the reply and turns every failure into an `OrderQueryError`.
 */
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { OrderIdSchema } from '../domain/ids.ts';
import { OrderSchema, UnitSchema } from '../domain/order.ts';
import { ORDER_STATUSES } from '../domain/status.ts';
import { ALLOCATION_STATUSES } from '../machines/orderState.ts';
import { decode } from '../transport/codec.ts';
import { describeIssues } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';

/** How long a query waits for the engine's reply, in ms. */
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

const LineStateSchema = z.object({
  lineId: z.string(),
  sku: z.string(),
  unit: UnitSchema,
  /** Quantities in integer unit steps (thousandths for measured units). */
  ordered: z.number(),
  cancelled: z.number(),
  backordered: z.number(),
  shipped: z.number(),
  delivered: z.number(),
  invalid: z.string().optional(),
  backorderReason: z.string().optional(),
});

const AllocationSchema = z.object({
  allocationId: z.string(),
  nodeId: z.string(),
  lines: z.array(z.object({ lineId: z.string(), sku: z.string(), quantity: z.number() })),
  status: z.enum(ALLOCATION_STATUSES),
  reason: z.string().optional(),
  code: z.string().optional(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  distanceKm: z.number().optional(),
});

/** The engine's reply to an order query for a known order. */
export const OrderViewSchema = z.object({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  /** The order as placed; absent when its place command was invalid. */
  order: OrderSchema.optional(),
  rejection: z.string().optional(),
  holdReason: z.string().optional(),
  lines: z.array(LineStateSchema),
  allocations: z.array(AllocationSchema),
  timeline: z.array(z.object({ at: z.string(), what: z.string(), detail: z.string().optional() })),
});
export type OrderView = z.infer<typeof OrderViewSchema>;

/** Raised when an order query fails: invalid id, no engine, unknown order or an invalid reply. */
export class OrderQueryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrderQueryError';
  }
}

/**
 * Requests an order's state from the engine and validates the reply. Throws `OrderQueryError`
 * when the id cannot be a subject token, no engine replies within `timeoutMs`, the engine has
 * no such order, or the reply does not match `OrderViewSchema`.
 */
export async function queryOrder(nc: NatsConnection, orderId: string, timeoutMs = DEFAULT_QUERY_TIMEOUT_MS): Promise<OrderView> {
  const id = OrderIdSchema.safeParse(orderId);
  if (!id.success) throw new OrderQueryError(`order id ${JSON.stringify(orderId)} is invalid: ${id.error.issues[0]?.message ?? 'rejected'}`);

  const subject = subjects.orderQuery(id.data);
  let data: Uint8Array;
  try {
    data = (await nc.request(subject, undefined, { timeout: timeoutMs })).data;
  } catch (error) {
    throw new OrderQueryError(noAnswerMessage(error, subject, timeoutMs), { cause: error });
  }

  let reply: unknown;
  try {
    reply = decode(data);
  } catch (error) {
    throw new OrderQueryError(`the reply on ${subject} is invalid: ${(error as Error).message}`, { cause: error });
  }
  if (isErrorReply(reply)) throw new OrderQueryError(reply.error);

  const parsed = OrderViewSchema.safeParse(reply);
  if (!parsed.success) throw new OrderQueryError(`the reply on ${subject} is invalid: ${describeIssues(parsed.error, reply)}`);
  return parsed.data;
}

function noAnswerMessage(error: unknown, subject: string, timeoutMs: number): string {
  const hint = 'start one with "switchyard engine" against the same NATS_URL';
  if (error instanceof errors.RequestError && error.isNoResponders()) return `no engine is subscribed to ${subject}; ${hint}`;
  if (error instanceof errors.TimeoutError || (error instanceof Error && error.cause instanceof errors.TimeoutError)) {
    return `the order query on ${subject} timed out after ${timeoutMs / 1000} s; check that "switchyard engine" is running and not overloaded`;
  }
  return `the order query on ${subject} failed: ${(error as Error).message}`;
}

function isErrorReply(reply: unknown): reply is { error: string } {
  return reply !== null && typeof reply === 'object' && typeof (reply as { error?: unknown }).error === 'string';
}
