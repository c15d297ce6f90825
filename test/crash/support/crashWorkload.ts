import { FulfillmentNodeSchema, type FulfillmentNode } from '../../../src/domain/node.ts';
import type { OrderInput } from '../../../src/domain/order.ts';
import { mulberry32, randomInt, type Random } from '../../../src/data/prng.ts';
import { MESSAGE_VERSION } from '../../../src/transport/messages.ts';
import { subjects } from '../../../src/transport/subjects.ts';

/** SKUs of the crash network; the first `SCARCE_SKUS` have too little stock, so some lines backorder. */
const SKU_COUNT = 40;
const SCARCE_SKUS = 3;
/** Expected units per order: 1-3 lines of 1-3 units each. */
const UNITS_PER_ORDER = 4;
/** Stock of a plentiful SKU over its expected demand, and of a scarce one. */
const PLENTIFUL_COVER = 2;
const SCARCE_COVER = 0.3;

/** Share of the stock of each SKU per node, in `NODE_SPECS` order; the dropship vendor carries odd SKUs only. */
const NODE_SPECS = [
  { nodeId: 'crash-dc-leeds', name: 'Leeds DC', type: 'DC', city: 'Leeds', lat: 53.8, lon: -1.55, share: 0.4 },
  { nodeId: 'crash-dc-rugby', name: 'Rugby DC', type: 'DC', city: 'Rugby', lat: 52.37, lon: -1.26, share: 0.3 },
  { nodeId: 'crash-drop-bristol', name: 'Bristol dropship', type: 'DROPSHIP', city: 'Bristol', lat: 51.45, lon: -2.59, share: 0.1 },
  { nodeId: 'crash-store-london', name: 'London store', type: 'STORE', city: 'London', lat: 51.51, lon: -0.13, share: 0.2 },
] as const;

const DESTINATIONS = [
  { city: 'London', lat: 51.5, lon: -0.12 },
  { city: 'Manchester', lat: 53.48, lon: -2.24 },
  { city: 'Glasgow', lat: 55.86, lon: -4.25 },
  { city: 'Cardiff', lat: 51.48, lon: -3.18 },
  { city: 'Norwich', lat: 52.63, lon: 1.3 },
] as const;

/** A generated network: nodes and their opening stock, units per SKU per node id. */
export interface CrashNetwork {
  nodes: FulfillmentNode[];
  inventory: Record<string, Record<string, number>>;
}

/** Returns the SKU with the given index, such as `CRASH-007`. */
export function skuName(index: number): string {
  return `CRASH-${String(index).padStart(3, '0')}`;
}

/**
 * Builds four British nodes (two DCs, a dropship vendor and a store) with daily capacity high
 * enough never to bind, stocked for `orders` orders: plentiful SKUs at twice their expected
 * demand, three scarce SKUs at 30% of it.
 */
export function crashNetwork(orders: number): CrashNetwork {
  const nodes = NODE_SPECS.map((spec) =>
    FulfillmentNodeSchema.parse({
      nodeId: spec.nodeId,
      name: spec.name,
      type: spec.type,
      city: spec.city,
      country: 'GB',
      lat: spec.lat,
      lon: spec.lon,
      timeZone: 'Europe/London',
      dailyCapacity: 10_000_000,
      cutoffLocal: '23:59',
      handlingCostMinor: 100,
    }),
  );

  const inventory: Record<string, Record<string, number>> = {};
  for (const spec of NODE_SPECS) inventory[spec.nodeId] = {};
  const demandPerSku = (orders * UNITS_PER_ORDER) / SKU_COUNT;
  for (let index = 0; index < SKU_COUNT; index++) {
    const cover = index < SCARCE_SKUS ? SCARCE_COVER : PLENTIFUL_COVER;
    for (const spec of NODE_SPECS) {
      if (spec.type === 'DROPSHIP' && index % 2 === 0) continue;
      const units = Math.ceil(demandPerSku * cover * spec.share);
      if (units > 0) (inventory[spec.nodeId] as Record<string, number>)[skuName(index)] = units;
    }
  }
  return { nodes, inventory };
}

/** One command of the workload, published at `atMs` after the start. */
export interface ScheduledCommand {
  atMs: number;
  subject: string;
  message: Record<string, unknown>;
  /** `Nats-Msg-Id`, equal to the message's idempotency key. */
  msgId: string;
}

/** Options for `crashWorkload`. */
export interface CrashWorkloadOptions {
  orders: number;
  /** Orders placed per second. */
  ratePerSecond: number;
  seed: number;
  /** Prefix of the order ids, so that runs never share ids. Default `crash`. */
  prefix?: string;
}

/** The commands of a run and what the checks need to know about them. */
export interface CrashWorkload {
  commands: ScheduledCommand[];
  orderIds: string[];
  /** Orders placed with no valid line, which must end `rejected`. */
  invalidOrderIds: Set<string>;
  counts: { wholeCancels: number; lineCancels: number; holds: number };
}

/**
 * Generates `orders` place commands at a steady rate and later commands on some of them. About
 * 3% of the orders get a whole-order cancel, 2% a cancel of one unit of the first line and 1% a
 * hold, each 0.2 to 2 seconds after the placement. About 0.5% of the orders have no valid line.
 */
export function crashWorkload(options: CrashWorkloadOptions): CrashWorkload {
  const random = mulberry32(options.seed);
  const prefix = options.prefix ?? 'crash';
  const intervalMs = 1000 / options.ratePerSecond;
  const commands: ScheduledCommand[] = [];
  const orderIds: string[] = [];
  const invalidOrderIds = new Set<string>();
  const counts = { wholeCancels: 0, lineCancels: 0, holds: 0 };

  for (let index = 0; index < options.orders; index++) {
    const orderId = `${prefix}-${String(index).padStart(6, '0')}`;
    const atMs = index * intervalMs;
    const invalid = random() < 0.005;
    const order = makeOrder(random, orderId, invalid);
    orderIds.push(orderId);
    if (invalid) invalidOrderIds.add(orderId);
    commands.push(command(atMs, subjects.orderCommand(orderId, 'place'), { type: 'order.place', key: `place:${orderId}`, order }));

    const later = atMs + 200 + random() * 1800;
    const roll = random();
    if (roll < 0.03) {
      counts.wholeCancels++;
      commands.push(command(later, subjects.orderCommand(orderId, 'cancel'), { type: 'order.cancel', key: `cancel:${orderId}`, orderId, reason: 'customer cancelled the order' }));
    } else if (roll < 0.05) {
      counts.lineCancels++;
      const sku = order.lines[0]?.sku ?? skuName(0);
      commands.push(
        command(later, subjects.orderCommand(orderId, 'cancel'), { type: 'order.cancel', key: `cancel-line:${orderId}`, orderId, reason: 'customer removed one unit', lines: [{ sku, quantity: 1 }] }),
      );
    } else if (roll < 0.06) {
      counts.holds++;
      commands.push(command(later, subjects.orderCommand(orderId, 'hold'), { type: 'order.hold', key: `hold:${orderId}`, orderId, reason: 'payment review' }));
    }
  }
  commands.sort((a, b) => a.atMs - b.atMs);
  return { commands, orderIds, invalidOrderIds, counts };
}

function command(atMs: number, subject: string, body: Record<string, unknown>): ScheduledCommand {
  return { atMs, subject, message: { ...body, v: MESSAGE_VERSION }, msgId: String(body.key) };
}

function makeOrder(random: Random, orderId: string, invalid: boolean): OrderInput {
  const destination = DESTINATIONS[randomInt(random, 0, DESTINATIONS.length - 1)] ?? DESTINATIONS[0];
  const lineCount = randomInt(random, 1, 3);
  const skus = new Set<number>();
  while (skus.size < lineCount) skus.add(randomInt(random, 0, SKU_COUNT - 1));
  const lines = [...skus].map((sku, index) => ({
    lineId: `L${index + 1}`,
    sku: skuName(sku),
    quantity: invalid ? 0 : randomInt(random, 1, 3),
    unitPriceMinor: 250 + sku * 10,
  }));
  return {
    orderId,
    placedAt: new Date().toISOString(),
    currency: 'GBP',
    destination: { city: destination.city, country: 'GB', lat: destination.lat, lon: destination.lon },
    lines,
  };
}
