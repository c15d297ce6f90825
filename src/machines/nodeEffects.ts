import type { Address } from '../domain/order.ts';
import type { AllocatedLine, ShipmentStep } from '../transport/messages.ts';

/** Side effects a fulfillment node actor emits for its runtime to carry out. */
export type NodeEffect =
  | { type: 'reply'; orderId: string; allocationId: string; accepted: boolean; code?: string; reason?: string }
  | { type: 'work'; orderId: string; allocationId: string; lines: AllocatedLine[]; placedAt: string; shipTo: Address }
  | { type: 'cancelWork'; orderId: string; allocationId: string; lines: AllocatedLine[]; whole: boolean; reason: string }
  | { type: 'progress'; orderId: string; allocationId: string; step: ShipmentStep; carrier?: string; trackingNumber?: string; at: string; lines?: AllocatedLine[] }
  | { type: 'workRejected'; orderId: string; allocationId: string; code: string; reason: string; at: string }
  | { type: 'availability'; sku: string; onHand: number; reserved: number };
