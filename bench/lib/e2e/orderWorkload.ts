import { computeDemand, generateNetwork } from '../../../src/data/network.ts';
import { readUciRecords } from '../../../src/data/uciReader.ts';
import { FulfillmentNodeSchema, type FulfillmentNode } from '../../../src/domain/node.ts';
import { OrderSchema, type Order } from '../../../src/domain/order.ts';

/** Real orders read from the bundled UCI subset, parsed into Switchyard's order schema. */
export async function loadBundledOrders(): Promise<Order[]> {
  const orders: Order[] = [];
  for await (const record of readUciRecords()) {
    if (record.kind === 'order') orders.push(OrderSchema.parse(record.order));
  }
  if (orders.length === 0) throw new Error('the bundled UCI data yielded no order; expected about 1,700');
  return orders;
}

/**
 * Orders cut to exactly `lines` lines: every bundled order with at least that many lines keeps
 * its first `lines` lines.
 */
export function ordersWithLines(orders: readonly Order[], lines: number): Order[] {
  if (!Number.isInteger(lines) || lines < 1) throw new RangeError(`lines must be a positive integer, got ${String(lines)}`);
  const cut = orders.filter((order) => order.lines.length >= lines).map((order) => ({ ...order, lines: order.lines.slice(0, lines) }));
  if (cut.length === 0) throw new Error(`no bundled order has ${lines} lines or more`);
  return cut;
}

/**
 * Hands out the given orders round robin, each as a copy with a fresh order id
 * (`<prefix>-<sequence>`) and, by default, the current time as `placedAt`, so that every
 * copy is a new order on today's capacity day.
 */
export class OrderCycler {
  #next = 0;

  constructor(
    private readonly orders: readonly Order[],
    private readonly prefix: string,
  ) {
    if (orders.length === 0) throw new Error('OrderCycler needs at least one order');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(prefix)) throw new Error(`order id prefix "${prefix}" is invalid; expected 1-80 letters, digits, "_" or "-"`);
  }

  /** Number of copies handed out so far. */
  get issued(): number {
    return this.#next;
  }

  /** Returns the next copy; `placedAt` defaults to now. */
  next(placedAt: string = new Date().toISOString()): Order {
    const source = this.orders[this.#next % this.orders.length] as Order;
    const orderId = `${this.prefix}-${this.#next}` as Order['orderId'];
    this.#next += 1;
    return { ...source, orderId, placedAt };
  }
}

/** Line count distribution of a set of orders. */
export function describeLineCounts(orders: readonly Order[]): { orders: number; meanLines: number; medianLines: number; maxLines: number } {
  const counts = orders.map((order) => order.lines.length).sort((a, b) => a - b);
  const total = counts.reduce((sum, count) => sum + count, 0);
  return {
    orders: counts.length,
    meanLines: Math.round((total / Math.max(1, counts.length)) * 10) / 10,
    medianLines: counts[Math.floor(counts.length / 2)] ?? 0,
    maxLines: counts.at(-1) ?? 0,
  };
}

/** A generated network, validated, with its opening stock per node and SKU. */
export interface BenchNetwork {
  readonly nodes: FulfillmentNode[];
  readonly inventory: Record<string, Record<string, number>>;
}

/**
 * Generates the demo network (`generateNetwork`, seed 7 by default) sized for `totalOrders`
 * copies of `orders` placed on one day. Stock per SKU scales with the number of cycles through
 * the set. Daily capacities scale with `totalOrders` times `capacityHeadroom`, default 4,
 * because an order may split into up to 3 shipments and every node gets a share of the day.
 */
export async function benchNetwork(orders: readonly Order[], totalOrders: number, options: { seed?: number; capacityHeadroom?: number } = {}): Promise<BenchNetwork> {
  if (!(totalOrders > 0)) throw new RangeError(`totalOrders must be positive, got ${String(totalOrders)}`);
  const demand = await computeDemand(orders.map((order) => ({ kind: 'order' as const, order })));
  const cycles = Math.ceil(totalOrders / orders.length);
  const skuUnits = new Map<string, number>();
  for (const [sku, units] of demand.skuUnits) skuUnits.set(sku, units * cycles);
  const scaled = { ...demand, skuUnits, orders: Math.ceil(totalOrders * (options.capacityHeadroom ?? 4)), days: 1 };

  const network = generateNetwork({ seed: options.seed ?? 7, demand: scaled });
  return { nodes: network.nodes.map((node) => FulfillmentNodeSchema.parse(node)), inventory: network.inventory };
}
