import { z } from 'zod';

/** Characters allowed in ids, chosen so that an id can be one NATS subject token. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const idSchema = (what: string) =>
  z.string().regex(ID_PATTERN, {
    message: `invalid ${what}; expected 1-128 letters, digits, "_" or "-"`,
  });

/** Order id as the merchant assigned it; a string even when the source used a 64-bit number. */
export const OrderIdSchema = idSchema('order id').brand<'OrderId'>();
export type OrderId = z.infer<typeof OrderIdSchema>;

/** Fulfillment node id (a distribution center, a store or a dropship vendor). */
export const NodeIdSchema = idSchema('node id').brand<'NodeId'>();
export type NodeId = z.infer<typeof NodeIdSchema>;

/** Stock keeping unit: any non-empty string up to 64 characters without control characters. */
export const SkuSchema = z
  .string()
  .min(1, { message: 'invalid SKU; expected a non-empty string' })
  .max(64, { message: 'invalid SKU; expected at most 64 characters' })
  .regex(/^[^\p{Cc}]+$/u, { message: 'invalid SKU; expected no control characters' })
  .brand<'Sku'>();
export type Sku = z.infer<typeof SkuSchema>;

export const asOrderId = (value: string): OrderId => OrderIdSchema.parse(value);
export const asNodeId = (value: string): NodeId => NodeIdSchema.parse(value);
export const asSku = (value: string): Sku => SkuSchema.parse(value);
