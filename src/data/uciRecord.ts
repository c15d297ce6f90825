/**
 * Records that the UCI reader yields: an order to place, a cancellation of an earlier order,
 * or an input record that cannot become either, with the reason.
 */
import type { OrderInput } from '../domain/order.ts';

/** An invoice turned into an order in Switchyard's own schema. */
export interface UciOrderRecord {
  kind: 'order';
  order: OrderInput;
}

/** Quantity of one SKU to cancel, in units (positive). */
export interface CancelLine {
  sku: string;
  quantity: number;
}

/** A cancellation invoice (`C...`) matched to one earlier order. */
export interface UciCancelRecord {
  kind: 'cancel';
  /** The matched order's id (its invoice number). */
  orderId: string;
  lines: CancelLine[];
  /** Explanation of the cancellation and of how it was matched, for logs and order history. */
  reason: string;
  /** The cancellation invoice number, such as `C536379`. */
  invoiceNo: string;
  /** Time of the cancellation invoice, ISO 8601 with offset. */
  placedAt: string;
}

/** An input record that cannot become an order or a cancellation. */
export interface UciRejectedRecord {
  kind: 'rejected';
  /** The invoice number, or `FILE:LINE` for a row without one. */
  recordId: string;
  /** Explanation naming the field, the value and what was expected. */
  reason: string;
}

/** One record of a UCI replay, in placement order. */
export type UciRecord = UciOrderRecord | UciCancelRecord | UciRejectedRecord;
