/**
 * The content of a packing slip: one per shipment, built from the placed order and one of its
 * allocations. Pure: the text and HTML renderers format what this returns.
 */
import { UNIT_SCALE, type Address, type Unit } from '../domain/order.ts';
import type { Allocation, AllocationStatus } from '../machines/orderState.ts';

/** Allocation statuses that make a shipment: a node accepted the work and has not lost it. */
export const SHIPMENT_STATUSES: readonly AllocationStatus[] = ['accepted', 'picked', 'packed', 'shipped', 'delivered'];

/** Allocation statuses after which the carrier and tracking number are printed. */
const HANDED_OVER: readonly AllocationStatus[] = ['shipped', 'delivered'];

/** The parts of an order a slip prints; both `Order` and an adapter's `OrderInput` fit. */
export interface SlipOrder {
  orderId: string;
  /** Placement time, ISO 8601 with an offset. */
  placedAt: string;
  destination: Address;
  lines: readonly { lineId: string; sku: string; unit?: Unit | undefined; description?: string | undefined }[];
}

/** The parts of an allocation a slip prints. */
export interface SlipAllocation extends Pick<Allocation, 'allocationId' | 'nodeId' | 'status' | 'lines'> {
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
}

/** Ship-to address as printed, every field exactly as the order carries it. */
export interface ShipTo {
  name?: string;
  company?: string;
  line1?: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
}

/** One line of a slip; the quantity is in the order line's unit, not in integer unit steps. */
export interface SlipLine {
  lineId: string;
  sku: string;
  description?: string;
  quantity: number;
  unit: Unit;
}

/** Everything one packing slip shows. */
export interface PackingSlip {
  orderId: string;
  /** Placement date `YYYY-MM-DD`, in the offset the order was placed with. */
  placedDate: string;
  allocationId: string;
  nodeId: string;
  status: AllocationStatus;
  shipTo: ShipTo;
  lines: SlipLine[];
  /** Set once the shipment was handed to the carrier (`shipped` or `delivered`). */
  carrier?: string;
  trackingNumber?: string;
}

/** Returns true when the allocation is a shipment that gets a packing slip. */
export function isShipment(allocation: Pick<Allocation, 'status'>): boolean {
  return SHIPMENT_STATUSES.includes(allocation.status);
}

/**
 * Builds the slip of one shipment. Throws when the allocation is not a shipment, or lists a
 * line that the order does not have.
 */
export function buildPackingSlip(order: SlipOrder, allocation: SlipAllocation): PackingSlip {
  if (!isShipment(allocation)) {
    throw new Error(`allocation ${allocation.allocationId} of order ${order.orderId} is ${allocation.status}; expected one of ${SHIPMENT_STATUSES.join(', ')}`);
  }

  const lines = allocation.lines.map((allocated): SlipLine => {
    const line = order.lines.find((candidate) => candidate.lineId === allocated.lineId);
    if (line === undefined) throw new Error(`allocation ${allocation.allocationId} lists line ${allocated.lineId}, which order ${order.orderId} does not have`);
    const unit = line.unit ?? 'each';
    return { lineId: line.lineId, sku: allocated.sku, ...defined({ description: line.description }), quantity: allocated.quantity / UNIT_SCALE[unit], unit };
  });

  const slip: PackingSlip = {
    orderId: order.orderId,
    placedDate: order.placedAt.slice(0, 10),
    allocationId: allocation.allocationId,
    nodeId: allocation.nodeId,
    status: allocation.status,
    shipTo: shipToOf(order.destination),
    lines,
  };
  if (HANDED_OVER.includes(allocation.status)) Object.assign(slip, defined({ carrier: allocation.carrier, trackingNumber: allocation.trackingNumber }));
  return slip;
}

/** Builds one slip per shipment of the order, in allocation order; an empty list when none shipped. */
export function buildPackingSlips(order: SlipOrder, allocations: readonly SlipAllocation[]): PackingSlip[] {
  return allocations.filter(isShipment).map((allocation) => buildPackingSlip(order, allocation));
}

/** Formats a quantity with up to three decimals, the precision of measured units. */
export function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : String(Number(quantity.toFixed(3)));
}

/** Returns the English name of an ISO 3166-1 alpha-2 country code, or the code when unknown. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function shipToOf(destination: Address): ShipTo {
  const { name, company, line1, line2, region, postalCode } = destination;
  return { ...defined({ name, company, line1, line2, region, postalCode }), city: destination.city, country: destination.country };
}

/** Copies the fields that are not undefined, as `exactOptionalPropertyTypes` requires. */
function defined<T extends Record<string, string | undefined>>(fields: T): { [K in keyof T]?: string } {
  const result: { [K in keyof T]?: string } = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) result[key as keyof T] = value;
  return result;
}
