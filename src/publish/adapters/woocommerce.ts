import type { OrderInput } from '../../domain/order.ts';
import { resolveCoordinates } from './destination.ts';
import { FieldError, InputFormatError } from './errors.ts';
import {
  asObject,
  childPath,
  isJsonObject,
  readAmount,
  readArray,
  readId,
  readInteger,
  readObject,
  readOptionalId,
  readOptionalObject,
  readOptionalString,
  readString,
  type SourceObject,
} from './fields.ts';
import { parseJsonDocument } from './jsonDocument.ts';
import { divideMinorUnits, toMinorUnits } from './money.ts';
import {
  buildRecords,
  definedOnly,
  joinName,
  validateOrder,
  type ChargeInput,
  type LineInput,
  type RecordLabel,
} from './record.ts';
import { createTextAdapter } from './textAdapter.ts';
import type { AdapterOptions, Geocoder, ParsedRecord, TextAdapter } from './types.ts';

const FORMAT = 'woocommerce';
const EXPECTED_DOCUMENT = 'a WooCommerce REST API v3 order object (as order webhooks send it) or an array of them';

/** Statuses of orders that were placed and then ended without fulfilment: published as order plus cancel. */
const CANCELLED_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'refunded', 'failed']);

/** Statuses of orders that were never placed or were deleted: rejected. */
const UNPLACED_STATUSES: ReadonlySet<string> = new Set(['checkout-draft', 'trash']);

/** `date_created_gmt` is UTC without an offset, such as `2017-03-22T19:28:02`. */
const GMT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * Creates the adapter for WooCommerce REST API v3 orders. Decisions:
 * - a line without a SKU uses `variation:<variation_id>`, else `product:<product_id>`;
 * - the unit price is the pre-discount `subtotal` divided by the quantity, rounded half away from
 *   zero in minor units, and the line attribute `discountMinor` keeps `subtotal - total`;
 * - shipping lines become `shipping` charges and fee lines `fee` charges; taxes are not carried;
 * - `placedAt` is `date_created_gmt` read as UTC, because `date_created` has no offset;
 * - status cancelled, refunded or failed yields the order, then a cancel whose reason is the status;
 *   checkout-draft and trash are rejected; every other status, custom ones included, is an order;
 * - product names are kept as sent, HTML entities such as `&ndash;` included.
 */
export function createWooCommerceAdapter(options: AdapterOptions): TextAdapter {
  return createTextAdapter(
    FORMAT,
    'WooCommerce REST API v3 order JSON (also the order webhook body), one object or an array',
    (text) => parseWooOrders(text, options.geocode),
  );
}

function parseWooOrders(text: string, geocode: Geocoder): ParsedRecord[] {
  const document = parseJsonDocument(FORMAT, text, EXPECTED_DOCUMENT);
  const orders = listOrders(document);
  return orders.flatMap((order, index) => buildRecords(`order ${index + 1}`, (label) => readOrder(order, label, geocode)));
}

function listOrders(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (isJsonObject(document) && 'line_items' in document) return [document];

  const found = isJsonObject(document)
    ? `a JSON object with keys ${Object.keys(document).slice(0, 8).join(', ') || '(none)'}`
    : `a JSON ${document === null ? 'null' : typeof document}`;
  throw new InputFormatError(FORMAT, `found ${found}; expected ${EXPECTED_DOCUMENT}`);
}

function readOrder(value: unknown, label: RecordLabel, geocode: Geocoder): ParsedRecord[] {
  const source = asObject(value, '', 'a WooCommerce order object');
  const orderId = readId(source, 'id');
  label.orderId = orderId;

  const status = readString(source, 'status', 'an order status such as "processing"');
  if (UNPLACED_STATUSES.has(status)) {
    throw new FieldError('status', status, 'a placed order; checkout-draft and trash orders are not published');
  }

  const currency = readString(source, 'currency', 'an ISO 4217 currency code such as "USD"');
  const lineItems = readArray(source, 'line_items');
  if (lineItems.length === 0) throw new FieldError('line_items', lineItems, 'at least one line item');
  const lines = lineItems.map((item, index) => readLine(asObject(item, childPath('line_items', index)), currency));

  const shippingLines = readArray(source, 'shipping_lines').map((item, index) =>
    asObject(item, childPath('shipping_lines', index)),
  );
  const feeLines = readArray(source, 'fee_lines').map((item, index) => asObject(item, childPath('fee_lines', index)));
  const charges: ChargeInput[] = [
    ...shippingLines.map((line) => readCharge(line, 'shipping', 'method_title', currency)),
    ...feeLines.map((line) => readCharge(line, 'fee', 'name', currency)),
  ];

  const firstShipping = shippingLines[0];
  const shippingMethod =
    firstShipping === undefined
      ? undefined
      : (readOptionalString(firstShipping, 'method_id') ?? readOptionalString(firstShipping, 'method_title'));
  const channel = readOptionalString(source, 'created_via');

  const input: OrderInput = {
    orderId,
    source: 'woocommerce',
    placedAt: readPlacedAt(source),
    currency,
    customer: readCustomer(source),
    destination: readDestination(source, geocode),
    lines,
    charges,
    ...(channel === undefined ? {} : { channel }),
    ...(shippingMethod === undefined ? {} : { shippingMethod }),
  };
  const order = validateOrder(input);

  const records: ParsedRecord[] = [{ kind: 'order', recordId: label.locator, order }];
  if (CANCELLED_STATUSES.has(status)) records.push({ kind: 'cancel', recordId: label.locator, orderId, reason: status });
  return records;
}

function readPlacedAt(source: SourceObject): string {
  const gmt = readString(source, 'date_created_gmt', 'a UTC timestamp such as "2017-03-22T19:28:02"');
  if (!GMT_TIMESTAMP.test(gmt)) throw new FieldError('date_created_gmt', gmt, 'a UTC timestamp such as "2017-03-22T19:28:02"');
  return `${gmt}Z`;
}

function readLine(line: SourceObject, currency: string): LineInput {
  const lineId = readId(line, 'id');
  const productId = readOptionalId(line, 'product_id');
  const variationId = readOptionalId(line, 'variation_id');

  let sku = readOptionalString(line, 'sku');
  if (sku === undefined && variationId !== undefined) sku = `variation:${variationId}`;
  if (sku === undefined && productId !== undefined) sku = `product:${productId}`;
  if (sku === undefined) {
    throw new FieldError(childPath(line.path, 'sku'), line.value.sku, 'a SKU, or a product_id or variation_id to use in its place');
  }

  const quantity = readInteger(line, 'quantity', 'a positive whole quantity');
  if (quantity <= 0) throw new FieldError(childPath(line.path, 'quantity'), quantity, 'a positive whole quantity');

  const subtotalMinor = toMinorUnits(readAmount(line, 'subtotal'), currency, childPath(line.path, 'subtotal'));
  const totalMinor = toMinorUnits(readAmount(line, 'total'), currency, childPath(line.path, 'total'));

  const attributes: Record<string, string> = {};
  if (productId !== undefined) attributes.productId = productId;
  if (variationId !== undefined) attributes.variationId = variationId;
  if (subtotalMinor !== totalMinor) attributes.discountMinor = String(subtotalMinor - totalMinor);
  Object.assign(attributes, readLineMeta(line));

  const description = readOptionalString(line, 'name');
  return {
    lineId,
    sku,
    quantity,
    unit: 'each',
    unitPriceMinor: divideMinorUnits(subtotalMinor, quantity),
    ...(description === undefined ? {} : { description }),
    attributes,
  };
}

/** Visible line meta data (variation attributes such as `pa_color`) as `meta:<key>` attributes; keys starting with `_` are internal and skipped. */
function readLineMeta(line: SourceObject): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [index, item] of readArray(line, 'meta_data').entries()) {
    const meta = asObject(item, childPath(childPath(line.path, 'meta_data'), index));
    const key = readOptionalString(meta, 'key');
    const value = meta.value.value;
    if (key === undefined || key.startsWith('_') || typeof value !== 'string') continue;
    attributes[`meta:${key}`] = value;
  }
  return attributes;
}

function readCharge(line: SourceObject, code: string, titleKey: string, currency: string): ChargeInput {
  const title = readOptionalString(line, titleKey);
  return {
    code,
    ...(title === undefined ? {} : { description: title }),
    amountMinor: toMinorUnits(readAmount(line, 'total'), currency, childPath(line.path, 'total')),
  };
}

function readCustomer(source: SourceObject): OrderInput['customer'] {
  const billing = readOptionalObject(source, 'billing');
  const customerId = readOptionalId(source, 'customer_id');
  const name = billing === undefined ? undefined : joinName(readOptionalString(billing, 'first_name'), readOptionalString(billing, 'last_name'));
  const email = billing === undefined ? undefined : readOptionalString(billing, 'email');
  return { ...definedOnly({ customerId, name, email }), tags: [] };
}

/** Reads the shipping address. Its phone field exists since WooCommerce 5.6, so older orders use the billing phone. */
function readDestination(source: SourceObject, geocode: Geocoder): OrderInput['destination'] {
  const address = readObject(source, 'shipping', 'a shipping address object');
  const billing = readOptionalObject(source, 'billing');
  const country = readString(address, 'country', 'an ISO 3166-1 alpha-2 country code such as "US" (virtual orders have no shipping address and cannot be routed)');
  const city = readString(address, 'city', 'a city name (virtual orders have no shipping address and cannot be routed)');
  const { lat, lon } = resolveCoordinates({ cityPath: `${address.path}.city`, country, city }, geocode);

  const optional = {
    name: joinName(readOptionalString(address, 'first_name'), readOptionalString(address, 'last_name')),
    company: readOptionalString(address, 'company'),
    line1: readOptionalString(address, 'address_1'),
    line2: readOptionalString(address, 'address_2'),
    region: readOptionalString(address, 'state'),
    postalCode: readOptionalString(address, 'postcode'),
    phone: readOptionalString(address, 'phone') ?? (billing === undefined ? undefined : readOptionalString(billing, 'phone')),
  };
  return { ...definedOnly(optional), city, country, lat, lon };
}
