import { z } from 'zod';
import { NodeIdSchema } from './ids.ts';

/** Kinds of fulfillment location. */
export const NodeTypeSchema = z.enum(['DC', 'STORE', 'DROPSHIP']);
export type NodeType = z.infer<typeof NodeTypeSchema>;

/** Whether a node takes work: paused nodes finish what they have, offline nodes are rerouted. */
export const NodeStatusSchema = z.enum(['online', 'paused', 'offline']);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

/** Static description of a fulfillment node, as configured or announced by its agent. */
export const FulfillmentNodeSchema = z.object({
  nodeId: NodeIdSchema,
  name: z.string().min(1).max(256),
  type: NodeTypeSchema,
  city: z.string().min(1).max(256),
  /** ISO 3166-1 alpha-2 code. */
  country: z.string().regex(/^[A-Z]{2}$/),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** IANA time zone name, such as `Europe/London`; capacity days and cut-offs use it. */
  timeZone: z.string().min(1),
  /** Shipments the node can release per local day. */
  dailyCapacity: z.number().int().min(0),
  /** Local time of day after which new work counts against the next day, `HH:MM`. */
  cutoffLocal: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a local time HH:MM' }),
  /** Cost of handling one shipment at this node, in minor units. */
  handlingCostMinor: z.number().int().min(0),
  /** Named groups that rules can include or exclude, such as `uk-stores`. */
  groups: z.array(z.string().min(1).max(64)).default([]),
});
export type FulfillmentNode = z.infer<typeof FulfillmentNodeSchema>;
export type FulfillmentNodeInput = z.input<typeof FulfillmentNodeSchema>;
