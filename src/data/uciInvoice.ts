/**
 * Turns the rows of one UCI invoice into order lines and charges.
 *
 * Rows merge by SKU in first-seen order: quantities add up, exact duplicate rows included.
 * When the merged rows of a SKU have different unit prices, the line takes the
 * quantity-weighted average price, rounded half away from zero to a whole penny. The line
 * value then differs from the rows' total by at most half a penny per unit. The attribute
 * `uciUnitPricesMinor` lists the original prices. If the rows mix positive and negative quantities or add up to 0,
 * an average means nothing, and the line takes the first row's price instead.
 *
 * Fee codes (postage, bank charges, manual adjustments...) are charges, not goods: their
 * rows become one charge per code, worth quantity times unit price.
 */
import type { ChargeSchema, OrderLineSchema } from '../domain/order.ts';
import type { z } from 'zod';
import { localTimeToIso } from './zonedTime.ts';
import { roundHalfAwayFromZero, type UciRow } from './uciRow.ts';

/** Stock codes that are fees or adjustments rather than goods (compared without case). */
export const UCI_FEE_CODES: ReadonlySet<string> = new Set([
  'POST',
  'DOT',
  'M',
  'D',
  'C2',
  'BANK CHARGES',
  'AMAZONFEE',
  'CRUK',
  'PADS',
  'S',
  'B',
]);

/** Time zone of the retailer's invoice clock: InvoiceDate values are UK local times. */
export const UCI_TIME_ZONE = 'Europe/London';

/** Maximum description length that the order schema accepts. */
const MAX_DESCRIPTION = 1024;

type LineInput = z.input<typeof OrderLineSchema>;
type ChargeInput = z.input<typeof ChargeSchema>;

/** The rows of one invoice, merged and checked for consistency. */
export interface UciInvoice {
  invoiceNo: string;
  /** True for cancellation invoices (numbers starting with `C`). */
  cancellation: boolean;
  /** Time of the invoice's first row, ISO 8601 with the UK offset of that day. */
  placedAt: string;
  /** Local date of the first row, `YYYY-MM-DD`. */
  localDate: string;
  customerId: string | undefined;
  /** Country name as the data spells it. */
  country: string;
  /** Goods, one line per SKU, with the summed (signed) quantity. */
  lines: LineInput[];
  charges: ChargeInput[];
}

/** Returns whether a stock code is a fee or adjustment rather than goods. */
export function isUciFeeCode(stockCode: string): boolean {
  return UCI_FEE_CODES.has(stockCode.trim().toUpperCase());
}

interface SkuTotals {
  sku: string;
  description: string;
  rows: { quantity: number; priceMinor: number }[];
}

function lineId(position: number): string {
  return `L${String(position).padStart(3, '0')}`;
}

function mergedPrice(rows: SkuTotals['rows']): number {
  const first = rows[0]?.priceMinor ?? 0;
  if (rows.every((row) => row.priceMinor === first)) return first;

  const allPositive = rows.every((row) => row.quantity > 0);
  const allNegative = rows.every((row) => row.quantity < 0);
  if (!allPositive && !allNegative) return first;

  let quantity = 0;
  let value = 0;
  for (const row of rows) {
    quantity += row.quantity;
    value += row.quantity * row.priceMinor;
  }
  return roundHalfAwayFromZero(value / quantity);
}

function toLine(totals: SkuTotals, position: number): LineInput {
  const quantity = totals.rows.reduce((sum, row) => sum + row.quantity, 0);
  const line: LineInput = {
    lineId: lineId(position),
    sku: totals.sku,
    quantity,
    unit: 'each',
    unitPriceMinor: mergedPrice(totals.rows),
  };
  if (totals.description !== '') line.description = totals.description.slice(0, MAX_DESCRIPTION);

  const prices = [...new Set(totals.rows.map((row) => row.priceMinor))];
  if (prices.length > 1) line.attributes = { uciUnitPricesMinor: prices.join(',') };
  return line;
}

function mergeRows(rows: readonly UciRow[]): { lines: LineInput[]; charges: ChargeInput[] } {
  const goods = new Map<string, SkuTotals>();
  const fees = new Map<string, ChargeInput>();

  for (const row of rows) {
    if (isUciFeeCode(row.stockCode)) {
      const code = row.stockCode.toUpperCase();
      const amount = roundHalfAwayFromZero(row.quantity * row.unitPriceMinor);
      const charge = fees.get(code);
      if (charge === undefined) {
        fees.set(code, row.description === '' ? { code, amountMinor: amount } : { code, description: row.description, amountMinor: amount });
      } else {
        charge.amountMinor += amount;
      }
      continue;
    }

    let totals = goods.get(row.stockCode);
    if (totals === undefined) {
      totals = { sku: row.stockCode, description: row.description, rows: [] };
      goods.set(row.stockCode, totals);
    }
    if (totals.description === '') totals.description = row.description;
    totals.rows.push({ quantity: row.quantity, priceMinor: row.unitPriceMinor });
  }

  const lines = [...goods.values()].map((totals, index) => toLine(totals, index + 1));
  return { lines, charges: [...fees.values()] };
}

/**
 * Merges the rows of one invoice. Returns a reason instead when the rows disagree on the
 * customer or the country, which one order cannot have.
 */
export function assembleInvoice(
  invoiceNo: string,
  rows: readonly UciRow[],
): { ok: true; invoice: UciInvoice } | { ok: false; reason: string } {
  const first = rows[0];
  if (first === undefined) return { ok: false, reason: `invoice ${invoiceNo} has no rows; expected at least one` };

  for (const row of rows) {
    if (row.customerId !== first.customerId) {
      return {
        ok: false,
        reason: `invoice ${invoiceNo}: CustomerID "${row.customerId ?? ''}" differs from "${first.customerId ?? ''}" on its first row; expected one customer per invoice`,
      };
    }
    if (row.country !== first.country) {
      return {
        ok: false,
        reason: `invoice ${invoiceNo}: Country "${row.country}" differs from "${first.country}" on its first row; expected one country per invoice`,
      };
    }
  }

  const { lines, charges } = mergeRows(rows);
  return {
    ok: true,
    invoice: {
      invoiceNo,
      cancellation: invoiceNo.toUpperCase().startsWith('C'),
      placedAt: localTimeToIso(first.invoiceDate, UCI_TIME_ZONE),
      localDate: first.localDate,
      customerId: first.customerId,
      country: first.country,
      lines,
      charges,
    },
  };
}
