/**
 * Matches UCI cancellation invoices (`C...`) to the orders they cancel.
 *
 * The data does not say which invoice a cancellation reverses, so the matcher infers it from
 * the orders read so far:
 * 1. the most recent earlier order of the same customer that still has every cancelled SKU
 *    gets the whole cancellation;
 * 2. otherwise each SKU goes to the most recent earlier order of that customer that still has
 *    it, giving one cancel record per order;
 * 3. SKUs that no earlier order has (goods invoiced before the data read begins) are rejected
 *    in one record for the invoice.
 * A cancelled quantity is capped at what the order still has, after earlier cancellations.
 * Guest cancellations cannot be matched and are rejected, as are cancellations of fees only.
 *
 * Memory grows with the orders read: each customer order keeps its SKU quantities until
 * cancellations use them up.
 */
import type { CancelLine, UciRecord } from './uciRecord.ts';

/** SKUs named in a rejection reason before the rest are counted. */
const MAX_LISTED_SKUS = 10;

/** A cancellation invoice as the matcher needs it; `lines` carry positive quantities. */
export interface CancellationRequest {
  invoiceNo: string;
  customerId: string | undefined;
  /** ISO 8601 time of the cancellation invoice. */
  placedAt: string;
  lines: readonly CancelLine[];
  /** Fee codes on the invoice, which are not matched. */
  feeCodes: readonly string[];
}

interface RememberedOrder {
  orderId: string;
  /** Uncancelled units per SKU; only SKUs with units left. */
  remaining: Map<string, number>;
}

/** Infers which earlier order each cancellation invoice reverses. */
export class CancellationMatcher {
  private readonly ordersByCustomer = new Map<string, RememberedOrder[]>();

  /** Records an order so that later cancellations can match it; guest orders are ignored. */
  rememberOrder(customerId: string | undefined, orderId: string, lines: readonly { sku: string; quantity: number }[]): void {
    if (customerId === undefined) return;

    const remaining = new Map<string, number>();
    for (const line of lines) {
      if (line.quantity > 0) remaining.set(line.sku, (remaining.get(line.sku) ?? 0) + line.quantity);
    }
    if (remaining.size === 0) return;

    const orders = this.ordersByCustomer.get(customerId);
    if (orders === undefined) this.ordersByCustomer.set(customerId, [{ orderId, remaining }]);
    else orders.push({ orderId, remaining });
  }

  /** Returns the cancel records for a cancellation invoice, plus a rejection for what matched nothing. */
  match(request: CancellationRequest): UciRecord[] {
    const { invoiceNo, customerId } = request;
    const reject = (reason: string): UciRecord => ({ kind: 'rejected', recordId: invoiceNo, reason });

    if (request.lines.length === 0) {
      const codes = request.feeCodes.join(', ') || 'none';
      return [reject(`cancellation ${invoiceNo} lists only fee codes (${codes}); expected at least one product SKU to cancel`)];
    }
    if (customerId === undefined) {
      return [reject(`cancellation ${invoiceNo} has no CustomerID (guest); expected a customer id to find the order it cancels`)];
    }

    const orders = this.ordersByCustomer.get(customerId) ?? [];
    const whole = orders.findLast((order) => request.lines.every((line) => order.remaining.has(line.sku)));
    const assignments = new Map<RememberedOrder, CancelLine[]>();
    const unmatched: string[] = [];
    for (const line of request.lines) {
      const order = whole ?? orders.findLast((candidate) => candidate.remaining.has(line.sku));
      if (order === undefined) {
        unmatched.push(line.sku);
        continue;
      }
      const list = assignments.get(order);
      if (list === undefined) assignments.set(order, [line]);
      else list.push(line);
    }

    const records: UciRecord[] = [];
    for (const [order, lines] of assignments) {
      records.push(this.cancel(request, order, lines, whole === undefined));
    }
    if (unmatched.length > 0) {
      const listed = unmatched.slice(0, MAX_LISTED_SKUS).join(', ');
      const more = unmatched.length > MAX_LISTED_SKUS ? ` and ${unmatched.length - MAX_LISTED_SKUS} more` : '';
      const others = records.length === 0 ? 'none of its SKUs matched' : 'its other SKUs matched';
      records.push(
        reject(
          `cancellation ${invoiceNo}: SKUs ${listed}${more} are in no earlier order of customer ${customerId} read so far (${others}); expected goods ordered within the data read, so they were probably invoiced before it begins`,
        ),
      );
    }
    this.forgetCancelledOrders(customerId);
    return records;
  }

  private cancel(request: CancellationRequest, order: RememberedOrder, lines: readonly CancelLine[], perSku: boolean): UciRecord {
    const cancelled: CancelLine[] = [];
    const notes: string[] = [];
    for (const line of lines) {
      const available = order.remaining.get(line.sku) ?? 0;
      const quantity = Math.min(line.quantity, available);
      if (quantity < line.quantity) notes.push(`${line.sku} capped at the ${quantity} units still ordered (the invoice cancels ${line.quantity})`);
      cancelled.push({ sku: line.sku, quantity });

      if (available - quantity > 0) order.remaining.set(line.sku, available - quantity);
      else order.remaining.delete(line.sku);
    }

    const matchDescription = perSku
      ? 'matched SKU by SKU because no single earlier order has all its SKUs'
      : 'matched to the latest earlier order with all its SKUs';
    const details = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    return {
      kind: 'cancel',
      orderId: order.orderId,
      lines: cancelled,
      reason: `cancellation invoice ${request.invoiceNo} of customer ${request.customerId ?? ''}, ${matchDescription}${details}`,
      invoiceNo: request.invoiceNo,
      placedAt: request.placedAt,
    };
  }

  private forgetCancelledOrders(customerId: string): void {
    const orders = this.ordersByCustomer.get(customerId);
    if (orders === undefined) return;
    const open = orders.filter((order) => order.remaining.size > 0);
    if (open.length === 0) this.ordersByCustomer.delete(customerId);
    else this.ordersByCustomer.set(customerId, open);
  }
}
