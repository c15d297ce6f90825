/**
 * Parsing and checking of one row of the UCI "Online Retail" CSV (one invoice line).
 * Money is converted to pence exactly from the decimal text, rounding half away from zero
 * when a price has more than two decimals.
 */
import type { LocalDateTime } from './zonedTime.ts';

/** Columns of the UCI CSV, in the order the data set lists them. */
export const UCI_COLUMNS = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
] as const;
export type UciColumn = (typeof UCI_COLUMNS)[number];

/** Position of each UCI column in a file's rows. */
export type UciColumnIndex = Readonly<Record<UciColumn, number>> & { fieldCount: number };

/** One checked invoice line. */
export interface UciRow {
  invoiceNo: string;
  stockCode: string;
  description: string;
  quantity: number;
  invoiceDate: LocalDateTime;
  /** Local calendar date of `invoiceDate`, `YYYY-MM-DD`. */
  localDate: string;
  unitPriceMinor: number;
  /** CustomerID without a trailing ".0"; undefined for guest orders. */
  customerId: string | undefined;
  country: string;
}

/** A checked row, or the invoice number it belongs to and what is wrong with it. */
export type ParsedUciRow = { ok: true; row: UciRow } | { ok: false; invoiceNo: string; reason: string };

/**
 * Finds the UCI columns in a header row (names compared without case and surrounding spaces).
 * Throws when a column is missing, naming the source.
 */
export function mapUciHeader(header: readonly string[], source: string): UciColumnIndex {
  const positions = new Map(header.map((name, index) => [name.trim().toLowerCase(), index]));
  const index: Partial<Record<UciColumn, number>> = {};
  const missing: string[] = [];
  for (const column of UCI_COLUMNS) {
    const position = positions.get(column.toLowerCase());
    if (position === undefined) missing.push(column);
    else index[column] = position;
  }
  if (missing.length > 0) {
    throw new Error(
      `${source}: header is missing the columns ${missing.join(', ')}; expected the UCI Online Retail columns ${UCI_COLUMNS.join(', ')}`,
    );
  }
  return { ...(index as Record<UciColumn, number>), fieldCount: header.length };
}

/** Rounds to the nearest integer, with halves going away from zero (2.5 to 3, -2.5 to -3). */
export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/**
 * Converts a decimal amount in pounds, such as "2.55" or "-11062.06", to pence. Digits after
 * the second decimal round half away from zero. Returns undefined for text that is not a
 * plain decimal number.
 */
export function parsePriceMinor(text: string): number | undefined {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text.trim()) ?? /^([+-]?)()\.(\d+)$/.exec(text.trim());
  if (match === null) return undefined;

  const [, sign = '', whole = '', fraction = ''] = match;
  const pence = Number(whole || '0') * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  const roundsUp = fraction.length > 2 && Number(fraction[2]) >= 5;
  const magnitude = pence + (roundsUp ? 1 : 0);
  return sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an InvoiceDate as `YYYY-MM-DD HH:MM[:SS]` (this copy of the data) or
 * `M/D/YYYY H:MM[:SS]` (the original spreadsheet export). Returns undefined when the text
 * has neither form or names an impossible date or time.
 */
export function parseUciDate(text: string): LocalDateTime | undefined {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);

  let parts: (string | undefined)[];
  if (iso !== null) parts = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]];
  else if (us !== null) parts = [us[3], us[1], us[2], us[4], us[5], us[6]];
  else return undefined;

  const [year, month, day, hour, minute, second] = parts.map((part) => Number(part ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}

/** Formats the date part of a local time as `YYYY-MM-DD`. */
export function formatLocalDate(local: LocalDateTime): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${String(local.year).padStart(4, '0')}-${pad(local.month)}-${pad(local.day)}`;
}

function normalizeCustomerId(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+\.0+$/.test(trimmed) ? trimmed.slice(0, trimmed.indexOf('.')) : trimmed;
}

/**
 * Checks one CSV row against the column layout. `where` locates the row in messages, such as
 * `2010-12-01.csv line 12`. A failed row keeps its invoice number so that the whole invoice
 * can be rejected.
 */
export function parseUciRow(fields: readonly string[], columns: UciColumnIndex, where: string): ParsedUciRow {
  const field = (column: UciColumn) => fields[columns[column]] ?? '';
  const invoiceNo = field('InvoiceNo').trim();
  const fail = (reason: string): ParsedUciRow => ({ ok: false, invoiceNo, reason: `${where}: ${reason}` });

  if (fields.length !== columns.fieldCount) {
    return fail(`row has ${fields.length} fields; expected ${columns.fieldCount} as in the header`);
  }
  if (invoiceNo === '') return fail('InvoiceNo is empty; expected an invoice number such as 536365');

  const stockCode = field('StockCode').trim();
  if (stockCode === '') return fail('StockCode is empty; expected a stock code such as 85123A');

  const quantityText = field('Quantity').trim();
  const quantity = /^[+-]?\d+(\.\d+)?$/.test(quantityText) ? Number(quantityText) : Number.NaN;
  if (!Number.isFinite(quantity)) return fail(`Quantity "${quantityText}" is not a number; expected an integer such as 6`);

  const invoiceDate = parseUciDate(field('InvoiceDate'));
  if (invoiceDate === undefined) {
    return fail(`InvoiceDate "${field('InvoiceDate')}" is not a valid date; expected YYYY-MM-DD HH:MM[:SS] such as 2010-12-01 08:26:00`);
  }

  const unitPriceMinor = parsePriceMinor(field('UnitPrice'));
  if (unitPriceMinor === undefined) {
    return fail(`UnitPrice "${field('UnitPrice')}" is not a number; expected a decimal amount in pounds such as 2.55`);
  }

  const country = field('Country').trim();
  if (country === '') return fail('Country is empty; expected a country name such as United Kingdom');

  return {
    ok: true,
    row: {
      invoiceNo,
      stockCode,
      description: field('Description').trim(),
      quantity,
      invoiceDate,
      localDate: formatLocalDate(invoiceDate),
      unitPriceMinor,
      customerId: normalizeCustomerId(field('CustomerID')),
      country,
    },
  };
}
