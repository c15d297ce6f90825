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
  readOptionalAmount,
  readOptionalId,
  readOptionalNumber,
  readOptionalObject,
  readOptionalString,
  readString,
  type SourceObject,
} from './fields.ts';
import { parseJsonDocument } from './jsonDocument.ts';
import { toMinorUnits } from './money.ts';
import {
  buildRecords,
  definedOnly,
  joinName,
  splitTags,
  validateOrder,
  type ChargeInput,
  type LineInput,
  type RecordLabel,
} from './record.ts';
import { createTextAdapter } from './textAdapter.ts';
import type { AdapterOptions, Geocoder, ParsedRecord, TextAdapter } from './types.ts';

const FORMAT = 'shopify-webhook';
const EXPECTED_DOCUMENT =
  'a Shopify order object (the orders/create webhook body), an array of them, or an Admin API response {"order": ...} or {"orders": [...]}';

/**
 * Creates the adapter for Shopify order JSON: the `orders/create` webhook body, or Admin REST API
 * responses. Decisions:
 * - ids (order, line, customer) stay strings with every digit, because they can exceed 2^53;
 * - a line without a SKU uses `variant:<variant_id>` as its SKU;
 * - prices are shop-currency list prices; a line's discount (its `discount_allocations`, else
 *   `total_discount`) is kept in the line attribute `discountMinor`, not subtracted;
 * - each shipping line is a `shipping` charge, and its discount a negative `shipping-discount` charge;
 * - taxes are not carried;
 * - an order with `cancelled_at` set yields the order, then a cancel whose reason is `cancel_reason`.
 */
export function createShopifyWebhookAdapter(options: AdapterOptions): TextAdapter {
  return createTextAdapter(
    FORMAT,
    'Shopify order JSON: the orders/create webhook body, an array of them, or an Admin API {"order"}/{"orders"} response',
    (text) => parseShopifyOrders(text, options.geocode),
  );
}

function parseShopifyOrders(text: string, geocode: Geocoder): ParsedRecord[] {
  const document = parseJsonDocument(FORMAT, text, EXPECTED_DOCUMENT);
  const orders = listOrders(document);
  return orders.flatMap((order, index) => buildRecords(`order ${index + 1}`, (label) => readOrder(order, label, geocode)));
}

/** Finds the order objects in a document; throws `InputFormatError` for any other shape. */
function listOrders(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (isJsonObject(document)) {
    if ('line_items' in document) return [document];
    if (isJsonObject(document.order)) return [document.order];
    if (Array.isArray(document.orders)) return document.orders;
    const keys = Object.keys(document).slice(0, 8).join(', ');
    throw new InputFormatError(FORMAT, `found a JSON object with keys ${keys || '(none)'}; expected ${EXPECTED_DOCUMENT}`);
  }
  throw new InputFormatError(FORMAT, `found a JSON ${document === null ? 'null' : typeof document}; expected ${EXPECTED_DOCUMENT}`);
}

function readOrder(value: unknown, label: RecordLabel, geocode: Geocoder): ParsedRecord[] {
  const source = asObject(value, '', 'a Shopify order object');
  const orderId = readId(source, 'id');
  label.orderId = orderId;

  const currency = readString(source, 'currency', 'an ISO 4217 currency code such as "USD"');
  const lineItems = readArray(source, 'line_items');
  if (lineItems.length === 0) throw new FieldError('line_items', lineItems, 'at least one line item');
  const lines = lineItems.map((item, index) => readLine(asObject(item, childPath('line_items', index)), currency));

  const shippingLines = readArray(source, 'shipping_lines').map((item, index) =>
    asObject(item, childPath('shipping_lines', index)),
  );
  const firstShipping = shippingLines[0];
  const shippingMethod =
    firstShipping === undefined
      ? undefined
      : (readOptionalString(firstShipping, 'code') ?? readOptionalString(firstShipping, 'title'));
  const channel = readOptionalString(source, 'source_name');

  const input: OrderInput = {
    orderId,
    source: 'shopify',
    placedAt: readString(source, 'created_at', 'an ISO 8601 timestamp'),
    currency,
    customer: readCustomer(source),
    destination: readDestination(source, geocode),
    lines,
    charges: shippingLines.flatMap((line) => readShippingCharges(line, currency)),
    ...(channel === undefined ? {} : { channel }),
    ...(shippingMethod === undefined ? {} : { shippingMethod }),
  };
  const order = validateOrder(input);

  const records: ParsedRecord[] = [{ kind: 'order', recordId: label.locator, order }];
  if (readOptionalString(source, 'cancelled_at') !== undefined) {
    // A null cancel_reason becomes "other", Shopify's own value for an unstated reason.
    const reason = readOptionalString(source, 'cancel_reason') ?? 'other';
    records.push({ kind: 'cancel', recordId: label.locator, orderId, reason });
  }
  return records;
}

function readLine(line: SourceObject, currency: string): LineInput {
  const lineId = readId(line, 'id');
  const variantId = readOptionalId(line, 'variant_id');
  const productId = readOptionalId(line, 'product_id');

  const sku = readOptionalString(line, 'sku') ?? (variantId === undefined ? undefined : `variant:${variantId}`);
  if (sku === undefined) throw new FieldError(childPath(line.path, 'sku'), line.value.sku, 'a SKU, or a variant_id to use in its place');

  // NOTE: only the ordered `quantity` is read. A payload sent after an order edit that removed
  // units would need the line's current quantity, which this adapter does not read.
  const quantity = readInteger(line, 'quantity', 'a positive whole quantity');
  if (quantity <= 0) throw new FieldError(childPath(line.path, 'quantity'), quantity, 'a positive whole quantity');

  const attributes: Record<string, string> = {};
  if (variantId !== undefined) attributes.variantId = variantId;
  if (productId !== undefined) attributes.productId = productId;
  const discountMinor = readLineDiscount(line, currency);
  if (discountMinor !== 0) attributes.discountMinor = String(discountMinor);
  if (line.value.requires_shipping === false) attributes.requiresShipping = 'false';
  Object.assign(attributes, readLineProperties(line));

  const description = readOptionalString(line, 'name') ?? readOptionalString(line, 'title');
  return {
    lineId,
    sku,
    quantity,
    unit: 'each',
    unitPriceMinor: toMinorUnits(readAmount(line, 'price'), currency, childPath(line.path, 'price')),
    ...(description === undefined ? {} : { description }),
    attributes,
  };
}

/** Sums the line's discount allocations; older payloads without them carry `total_discount`. */
function readLineDiscount(line: SourceObject, currency: string): number {
  const allocations = readArray(line, 'discount_allocations');
  if (allocations.length === 0) {
    const total = readOptionalAmount(line, 'total_discount');
    return total === undefined ? 0 : toMinorUnits(total, currency, childPath(line.path, 'total_discount'));
  }

  let sum = 0;
  for (const [index, item] of allocations.entries()) {
    const allocation = asObject(item, childPath(childPath(line.path, 'discount_allocations'), index));
    sum += toMinorUnits(readAmount(allocation, 'amount'), currency, childPath(allocation.path, 'amount'));
  }
  return sum;
}

/** Line item properties (engraving text, gift notes) as `property:<name>` attributes; names starting with `_` are private to the shop and skipped. */
function readLineProperties(line: SourceObject): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [index, item] of readArray(line, 'properties').entries()) {
    const property = asObject(item, childPath(childPath(line.path, 'properties'), index));
    const name = readOptionalString(property, 'name');
    const value = property.value.value;
    if (name === undefined || name.startsWith('_') || typeof value !== 'string') continue;
    attributes[`property:${name}`] = value;
  }
  return attributes;
}

function readShippingCharges(line: SourceObject, currency: string): ChargeInput[] {
  const title = readOptionalString(line, 'title');
  const description = title === undefined ? {} : { description: title };
  const charges: ChargeInput[] = [
    { code: 'shipping', ...description, amountMinor: toMinorUnits(readAmount(line, 'price'), currency, childPath(line.path, 'price')) },
  ];

  let discount = 0;
  for (const [index, item] of readArray(line, 'discount_allocations').entries()) {
    const allocation = asObject(item, childPath(childPath(line.path, 'discount_allocations'), index));
    discount += toMinorUnits(readAmount(allocation, 'amount'), currency, childPath(allocation.path, 'amount'));
  }
  if (discount !== 0) charges.push({ code: 'shipping-discount', ...description, amountMinor: -discount });
  return charges;
}

/** Reads the customer. The order's own email wins over the customer record's, because it is the contact for this order. */
function readCustomer(source: SourceObject): OrderInput['customer'] {
  const customer = readOptionalObject(source, 'customer');
  const billing = readOptionalObject(source, 'billing_address');
  const customerId = customer === undefined ? undefined : readOptionalId(customer, 'id');
  const name =
    (customer === undefined ? undefined : joinName(readOptionalString(customer, 'first_name'), readOptionalString(customer, 'last_name'))) ??
    (billing === undefined ? undefined : readOptionalString(billing, 'name'));
  const email =
    readOptionalString(source, 'email') ??
    readOptionalString(source, 'contact_email') ??
    (customer === undefined ? undefined : readOptionalString(customer, 'email'));
  const tags = customer === undefined ? [] : splitTags(readOptionalString(customer, 'tags'));

  return {
    ...(customerId === undefined ? {} : { customerId }),
    ...(name === undefined ? {} : { name }),
    ...(email === undefined ? {} : { email }),
    tags,
  };
}

function readDestination(source: SourceObject, geocode: Geocoder): OrderInput['destination'] {
  const address = readObject(source, 'shipping_address', 'a shipping address object, because an order without one cannot be routed');
  const country = readString(address, 'country_code', 'an ISO 3166-1 alpha-2 country code such as "US"');
  const city = readString(address, 'city', 'a city name');
  const { lat, lon } = resolveCoordinates(
    {
      cityPath: `${address.path}.city`,
      country,
      city,
      lat: readOptionalNumber(address, 'latitude'),
      lon: readOptionalNumber(address, 'longitude'),
    },
    geocode,
  );

  const optional = {
    name: readOptionalString(address, 'name') ?? joinName(readOptionalString(address, 'first_name'), readOptionalString(address, 'last_name')),
    company: readOptionalString(address, 'company'),
    line1: readOptionalString(address, 'address1'),
    line2: readOptionalString(address, 'address2'),
    region: readOptionalString(address, 'province_code'),
    postalCode: readOptionalString(address, 'zip'),
    phone: readOptionalString(address, 'phone'),
  };
  return { ...definedOnly(optional), city, country, lat, lon };
}
