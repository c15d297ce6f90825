import { z } from 'zod';
import { OrderIdSchema, SkuSchema } from './ids.ts';

/** Version tag carried by every order document in Switchyard's own schema. */
export const ORDER_SCHEMA_VERSION = 'switchyard.order/1';

/**
 * Units a line quantity can be measured in. Only `each` is counted in whole units;
 * the others allow up to three decimals and are compared in thousandths.
 */
export const UnitSchema = z.enum(['each', 'kg', 'g', 'm', 'l']);
export type Unit = z.infer<typeof UnitSchema>;

/** How many integer steps make one unit: quantities are compared as `quantity * scale`. */
export const UNIT_SCALE: Readonly<Record<Unit, number>> = { each: 1, kg: 1000, g: 1000, m: 1000, l: 1000 };

/** Money in minor units of the order's currency (pence, cents); integers only. */
export const MinorUnitsSchema = z.number().int({ message: 'expected an integer amount in minor units' });

export const AddressSchema = z.object({
  name: z.string().max(256).optional(),
  company: z.string().max(256).optional(),
  line1: z.string().max(512).optional(),
  line2: z.string().max(512).optional(),
  city: z.string().min(1).max(256),
  region: z.string().max(128).optional(),
  postalCode: z.string().max(32).optional(),
  /** ISO 3166-1 alpha-2 code, upper case. */
  country: z.string().regex(/^[A-Z]{2}$/, { message: 'expected an ISO 3166-1 alpha-2 country code such as "GB"' }),
  /** Latitude in degrees; used for great-circle distances. */
  lat: z.number().min(-90).max(90),
  /** Longitude in degrees. */
  lon: z.number().min(-180).max(180),
  phone: z.string().max(64).optional(),
});
export type Address = z.infer<typeof AddressSchema>;

export const OrderLineSchema = z.object({
  lineId: z.string().min(1).max(128),
  sku: SkuSchema,
  /** Ordered quantity; must be positive, and whole for `each`. Checked by `validateOrderLines`. */
  quantity: z.number().finite(),
  unit: UnitSchema.default('each'),
  unitPriceMinor: MinorUnitsSchema.min(0, { message: 'expected a price of 0 or more' }),
  description: z.string().max(1024).optional(),
  category: z.string().max(128).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** A charge on the order that is not a good to ship: postage, fees, manual adjustments. */
export const ChargeSchema = z.object({
  code: z.string().min(1).max(64),
  description: z.string().max(1024).optional(),
  amountMinor: MinorUnitsSchema,
});
export type Charge = z.infer<typeof ChargeSchema>;

export const CustomerSchema = z.object({
  customerId: z.string().max(128).optional(),
  name: z.string().max(256).optional(),
  email: z.string().max(256).optional(),
  tags: z.array(z.string().max(64)).max(64).default([]),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** An order in Switchyard's own schema, as publishers send it and the engine stores it. */
export const OrderSchema = z.object({
  schema: z.literal(ORDER_SCHEMA_VERSION).default(ORDER_SCHEMA_VERSION),
  orderId: OrderIdSchema,
  /** Source system of the order, such as `uci`, `shopify` or `woocommerce`. */
  source: z.string().max(64).default('api'),
  /** Placement time, ISO 8601 with an offset or `Z`. */
  placedAt: z.iso.datetime({ offset: true, message: 'expected an ISO 8601 timestamp with an offset, such as 2011-01-04T10:00:00Z' }),
  channel: z.string().max(64).default('web'),
  orderType: z.string().max(64).default('standard'),
  shippingMethod: z.string().max(64).default('standard'),
  /** ISO 4217 currency code of every amount in the order. */
  currency: z.string().regex(/^[A-Z]{3}$/, { message: 'expected an ISO 4217 currency code such as "GBP"' }),
  customer: CustomerSchema.default({ tags: [] }),
  destination: AddressSchema,
  lines: z.array(OrderLineSchema).max(10_000, { message: 'expected at most 10,000 lines' }),
  charges: z.array(ChargeSchema).default([]),
});
export type Order = z.infer<typeof OrderSchema>;
export type OrderInput = z.input<typeof OrderSchema>;

/** A line that failed the business checks that the schema cannot express. */
export interface LineProblem {
  lineId: string;
  sku: string;
  reason: string;
}

/**
 * Splits an order's lines into those that can be fulfilled and those that are invalid,
 * with a reason per invalid line (non-positive quantity, fraction of a whole unit,
 * too many decimals, or a repeated line id).
 */
export function validateOrderLines(order: Order): { valid: OrderLine[]; invalid: LineProblem[] } {
  const valid: OrderLine[] = [];
  const invalid: LineProblem[] = [];
  const seenLineIds = new Set<string>();

  for (const [index, line] of order.lines.entries()) {
    const where = `lines[${index}]`;
    const scaled = line.quantity * UNIT_SCALE[line.unit];
    let reason: string | undefined;
    if (seenLineIds.has(line.lineId)) {
      reason = `${where}.lineId: "${line.lineId}" is repeated; expected unique line ids`;
    } else if (line.quantity <= 0) {
      reason = `${where}.quantity: ${line.quantity} is invalid; expected a positive quantity`;
    } else if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
      reason =
        line.unit === 'each'
          ? `${where}.quantity: ${line.quantity} is invalid; expected a whole number for unit "each"`
          : `${where}.quantity: ${line.quantity} is invalid; expected at most 3 decimals for unit "${line.unit}"`;
    }
    seenLineIds.add(line.lineId);

    if (reason === undefined) valid.push(line);
    else invalid.push({ lineId: line.lineId, sku: line.sku, reason });
  }
  return { valid, invalid };
}

/** Converts a quantity to integer steps of its unit (thousandths for measured units). */
export function toUnitSteps(quantity: number, unit: Unit): number {
  return Math.round(quantity * UNIT_SCALE[unit]);
}

/** Sum of line values in minor units, rounded half away from zero per line. */
export function orderValueMinor(lines: readonly OrderLine[]): number {
  let total = 0;
  for (const line of lines) total += Math.round(line.quantity * line.unitPriceMinor);
  return total;
}
