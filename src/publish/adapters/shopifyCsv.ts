import { CsvError, parse } from 'csv-parse/sync';
import type { OrderInput } from '../../domain/order.ts';
import { resolveCoordinates } from './destination.ts';
import { FieldError, InputFormatError } from './errors.ts';
import { toMinorUnits } from './money.ts';
import { buildRecords, definedOnly, validateOrder, type ChargeInput, type LineInput, type RecordLabel } from './record.ts';
import { createTextAdapter } from './textAdapter.ts';
import type { AdapterOptions, Geocoder, ParsedRecord, TextAdapter } from './types.ts';

const FORMAT = 'shopify-csv';

/** Columns this adapter reads that every Shopify orders export has. */
const REQUIRED_COLUMNS = [
  'Name',
  'Id',
  'Created at',
  'Currency',
  'Lineitem quantity',
  'Lineitem price',
  'Lineitem sku',
  'Shipping City',
  'Shipping Country',
] as const;

/** Shopify writes times as `2024-03-01 10:15:22 -0500`; ISO 8601 with `T` and a colon offset is accepted too. */
const SHOPIFY_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)? ?(Z|[+-]\d{2}:?\d{2})$/;

/** One data row of the export with its line number in the file (where the row starts). */
interface CsvRow {
  readonly line: number;
  get(column: string): string;
}

/**
 * Creates the adapter for the CSV from Shopify admin's "Export orders". Order-level columns are
 * filled only on an order's first row, and each further row with the same `Name` is one more line
 * item. Decisions:
 * - the order id is the `Id` column, kept as text; line ids are the row's position in the order ("1", "2", ...);
 * - a row without `Lineitem sku` rejects its order, because the export carries no variant id to use instead;
 * - `Lineitem discount` is kept in the line attribute `discountMinor`, not subtracted from the price;
 * - a non-zero `Shipping` becomes a `shipping` charge; taxes are not carried;
 * - a leading apostrophe, which the export adds to zip codes and phones such as `'02116`, is removed;
 * - an order with `Cancelled at` set yields the order, then a cancel with reason `other`,
 *   because the export has no cancel reason column.
 */
export function createShopifyCsvAdapter(options: AdapterOptions): TextAdapter {
  return createTextAdapter(
    FORMAT,
    'CSV from Shopify admin "Export orders": one row per line item, order columns on the first row',
    (text) => parseShopifyCsv(text, options.geocode),
  );
}

function parseShopifyCsv(text: string, geocode: Geocoder): ParsedRecord[] {
  const rows = readRows(text);
  return groupOrders(rows).flatMap((group) =>
    buildRecords(`line ${group[0]?.line ?? 0}`, (label) => readOrder(group, label, geocode)),
  );
}

/** Parses the whole file and checks its header; throws `InputFormatError` when either fails. */
function readRows(text: string): CsvRow[] {
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new InputFormatError(FORMAT, 'input is empty; expected a Shopify orders export with its header row');
  }

  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof parsed;
  } catch (error) {
    const detail = error instanceof CsvError || error instanceof Error ? error.message : String(error);
    throw new InputFormatError(FORMAT, `invalid CSV: ${detail}`, { cause: error });
  }

  const [header, ...data] = parsed;
  const columns = new Map<string, number>();
  for (const [index, name] of (header?.record ?? []).entries()) {
    if (!columns.has(name)) columns.set(name, index);
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new InputFormatError(
      FORMAT,
      `header is missing the columns ${missing.map((name) => `"${name}"`).join(', ')}; expected the header row of a Shopify orders export`,
    );
  }

  return data.map(({ record, info }) => {
    const newlinesInside = record.reduce((count, field) => count + field.split('\n').length - 1, 0);
    return {
      line: info.lines - newlinesInside,
      get: (column: string) => {
        const index = columns.get(column);
        return index === undefined ? '' : (record[index] ?? '');
      },
    };
  });
}

/** Groups consecutive rows by `Name`; a row with an empty `Name` continues the current order. */
function groupOrders(rows: readonly CsvRow[]): CsvRow[][] {
  const groups: CsvRow[][] = [];
  let current: CsvRow[] | undefined;
  let currentName = '';

  for (const row of rows) {
    const name = row.get('Name');
    if (current === undefined || (name !== '' && name !== currentName)) {
      current = [];
      groups.push(current);
      currentName = name;
    }
    current.push(row);
  }
  return groups;
}

function readOrder(group: readonly CsvRow[], label: RecordLabel, geocode: Geocoder): ParsedRecord[] {
  const [first] = group;
  if (first === undefined) return [];

  const orderId = requireCell(first, 'Id', 'the numeric Shopify order id on the order\'s first row');
  if (!/^\d+$/.test(orderId)) throw new FieldError(cellPath(first, 'Id'), orderId, 'a numeric Shopify order id');
  label.orderId = orderId;

  const firstRowExpected = (example: string) =>
    `${example} on the order's first row; a file that starts in the middle of an order lacks it`;
  const placedAt = readTime(first, 'Created at', firstRowExpected('a time such as "2024-03-01 10:15:22 -0500"'));
  const currency = requireCell(first, 'Currency', firstRowExpected('an ISO 4217 currency code such as "USD"'));
  const lines = group.map((row, index) => readLine(row, index, currency));

  const charges: ChargeInput[] = [];
  const shippingMethod = cell(first, 'Shipping Method');
  const shipping = cell(first, 'Shipping');
  if (shipping !== undefined) {
    const amountMinor = toMinorUnits(shipping, currency, cellPath(first, 'Shipping'));
    if (amountMinor !== 0) charges.push({ code: 'shipping', ...definedOnly({ description: shippingMethod }), amountMinor });
  }
  const channel = cell(first, 'Source');

  const input: OrderInput = {
    orderId,
    source: 'shopify',
    placedAt,
    currency,
    customer: { ...definedOnly({ name: cell(first, 'Billing Name'), email: cell(first, 'Email') }), tags: [] },
    destination: readDestination(first, geocode),
    lines,
    charges,
    ...(channel === undefined ? {} : { channel }),
    ...(shippingMethod === undefined ? {} : { shippingMethod }),
  };
  const order = validateOrder(input);

  const records: ParsedRecord[] = [{ kind: 'order', recordId: label.locator, order }];
  if (cell(first, 'Cancelled at') !== undefined) {
    readTime(first, 'Cancelled at', 'a time such as "2024-03-01 10:15:22 -0500"');
    records.push({ kind: 'cancel', recordId: label.locator, orderId, reason: 'other' });
  }
  return records;
}

function readLine(row: CsvRow, index: number, currency: string): LineInput {
  const sku = requireCell(row, 'Lineitem sku', 'a SKU; the export has no variant id to use in its place');

  const quantityText = requireCell(row, 'Lineitem quantity', 'a positive whole quantity');
  const quantity = Number(quantityText);
  if (!/^\d+$/.test(quantityText) || !Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new FieldError(cellPath(row, 'Lineitem quantity'), quantityText, 'a positive whole quantity');
  }

  const price = requireCell(row, 'Lineitem price', 'a decimal amount such as "19.99"');
  const attributes: Record<string, string> = {};
  const discount = cell(row, 'Lineitem discount');
  const discountMinor = discount === undefined ? 0 : toMinorUnits(discount, currency, cellPath(row, 'Lineitem discount'));
  if (discountMinor !== 0) attributes.discountMinor = String(discountMinor);
  if (cell(row, 'Lineitem requires shipping') === 'false') attributes.requiresShipping = 'false';
  const vendor = cell(row, 'Vendor');
  if (vendor !== undefined) attributes.vendor = vendor;

  const description = cell(row, 'Lineitem name');
  return {
    lineId: String(index + 1),
    sku,
    quantity,
    unit: 'each',
    unitPriceMinor: toMinorUnits(price, currency, cellPath(row, 'Lineitem price')),
    ...(description === undefined ? {} : { description }),
    attributes,
  };
}

function readDestination(first: CsvRow, geocode: Geocoder): OrderInput['destination'] {
  const noAddress = 'a shipping address on the order\'s first row, because an order without one cannot be routed';
  const country = requireCell(first, 'Shipping Country', noAddress);
  const city = requireCell(first, 'Shipping City', noAddress);
  const { lat, lon } = resolveCoordinates({ cityPath: cellPath(first, 'Shipping City'), country, city }, geocode);

  const optional = {
    name: cell(first, 'Shipping Name'),
    company: cell(first, 'Shipping Company'),
    line1: cell(first, 'Shipping Address1'),
    line2: cell(first, 'Shipping Address2'),
    region: cell(first, 'Shipping Province'),
    postalCode: withoutApostrophe(cell(first, 'Shipping Zip')),
    phone: withoutApostrophe(cell(first, 'Shipping Phone')),
  };
  return { ...definedOnly(optional), city, country, lat, lon };
}

/** Converts an export time to ISO 8601 with a colon offset, such as `2024-03-01T10:15:22-05:00`. */
function readTime(row: CsvRow, column: string, expected: string): string {
  const text = requireCell(row, column, expected);
  const match = SHOPIFY_TIME.exec(text);
  if (match === null) throw new FieldError(cellPath(row, column), text, expected);

  const [, date = '', time = '', fraction = '', zone = ''] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return `${date}T${time}${fraction}${offset}`;
}

/** Returns a cell's text exactly as exported, or undefined when it is blank. */
function cell(row: CsvRow, column: string): string | undefined {
  const value = row.get(column);
  return value.trim() === '' ? undefined : value;
}

function requireCell(row: CsvRow, column: string, expected: string): string {
  const value = cell(row, column);
  if (value === undefined) throw new FieldError(cellPath(row, column), '', expected);
  return value;
}

function cellPath(row: CsvRow, column: string): string {
  return `${column} (line ${row.line})`;
}

function withoutApostrophe(value: string | undefined): string | undefined {
  return value?.startsWith("'") === true ? value.slice(1) : value;
}
