/**
 * Builds Switchyard orders from merged UCI invoices. The data has no addresses, so the
 * destination is a real city of the invoice's country, assigned by customer id (or, for guest
 * orders, by invoice number) with probability proportional to population.
 */
import { ORDER_SCHEMA_VERSION, OrderSchema, type OrderInput } from '../domain/order.ts';
import { resolveUciCountry } from './countries.ts';
import { assignCity } from './geo.ts';
import type { UciInvoice } from './uciInvoice.ts';
import type { UciOrderRecord, UciRejectedRecord } from './uciRecord.ts';

/** Prices in the data are pounds sterling. */
export const UCI_CURRENCY = 'GBP';

/** Value of `source` on every order read from the UCI data. */
export const UCI_SOURCE = 'uci';

/** Customer tag on orders that have no CustomerID. */
export const GUEST_TAG = 'guest';

function reject(invoiceNo: string, reason: string): UciRejectedRecord {
  return { kind: 'rejected', recordId: invoiceNo, reason };
}

/**
 * Turns a non-cancellation invoice into an order record, or rejects it when its country is
 * not a country, it has no goods, or the order fails `OrderSchema`. Lines with a negative or
 * zero quantity are kept: the engine rejects them line by line with a reason.
 */
export function toOrderRecord(invoice: UciInvoice): UciOrderRecord | UciRejectedRecord {
  const { invoiceNo } = invoice;
  const country = resolveUciCountry(invoice.country);
  if (!country.ok) return reject(invoiceNo, `invoice ${invoiceNo}: ${country.reason}`);

  if (invoice.lines.length === 0) {
    const codes = invoice.charges.map((charge) => charge.code).join(', ');
    return reject(invoiceNo, `invoice ${invoiceNo} lists only fee codes (${codes}); expected at least one product line`);
  }

  const negativePrice = invoice.lines.find((line) => line.unitPriceMinor < 0);
  if (negativePrice !== undefined) {
    return reject(
      invoiceNo,
      `invoice ${invoiceNo}: UnitPrice of StockCode ${negativePrice.sku} is ${negativePrice.unitPriceMinor} pence; expected 0 or more for goods`,
    );
  }

  const cityKey = invoice.customerId ?? invoiceNo;
  let city;
  try {
    city = assignCity(country.code, cityKey);
  } catch (error) {
    return reject(invoiceNo, `invoice ${invoiceNo}: ${(error as Error).message}`);
  }

  const order: OrderInput = {
    schema: ORDER_SCHEMA_VERSION,
    orderId: invoiceNo,
    source: UCI_SOURCE,
    placedAt: invoice.placedAt,
    currency: UCI_CURRENCY,
    customer: invoice.customerId === undefined ? { tags: [GUEST_TAG] } : { customerId: invoice.customerId, tags: [] },
    destination: { city: city.name, country: city.country, lat: city.lat, lon: city.lon },
    lines: invoice.lines,
    charges: invoice.charges,
  };

  const checked = OrderSchema.safeParse(order);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    return reject(invoiceNo, `invoice ${invoiceNo}: order field ${path} is invalid: ${issue?.message ?? 'unknown problem'}`);
  }
  return { kind: 'order', order };
}
