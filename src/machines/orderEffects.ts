import type { Address } from '../domain/order.ts';
import type { OrderStatus } from '../domain/status.ts';
import type { AllocatedLine, ShipmentStep } from '../transport/messages.ts';

/**
 * Side effects an order actor emits for its runtime to carry out. The machine only emits them,
 * so it stays free of network and disk and can be replayed in tests.
 */
export type OrderEffect =
  | { type: 'reserve'; allocationId: string; nodeId: string; lines: AllocatedLine[]; shipTo: Address; placedAt: string }
  | { type: 'release'; allocationId: string; nodeId: string; lines: AllocatedLine[]; reason: string }
  | { type: 'status'; status: OrderStatus; previous: OrderStatus | undefined; reason?: string }
  | { type: 'shipment'; allocationId: string; nodeId: string; step: ShipmentStep | 'rejected' | 'cancelled'; carrier?: string; trackingNumber?: string; reason?: string }
  | { type: 'sourced'; attempt: number; ruleId: string | undefined; shipments: number; backorderedLines: number; distanceKm: number[] }
  | { type: 'commandRejected'; command: string; state: string; reason: string };
