/**
 * Fields that rule conditions can read. Order fields describe the whole order; line fields
 * (`line.*`) describe one line and, in an order-level rule, match when any line matches.
 */

/** Comparison kind of a field's value: text, number, list of tags, or local time of day. */
export type FieldKind = 'string' | 'number' | 'tags' | 'time';

/** Field names and the kind of value each holds. */
export const ORDER_FIELDS: Readonly<Record<string, FieldKind>> = {
  channel: 'string',
  orderType: 'string',
  shippingMethod: 'string',
  source: 'string',
  currency: 'string',
  'destination.country': 'string',
  'destination.region': 'string',
  'destination.postalCode': 'string',
  'destination.city': 'string',
  /** Sum of line values in minor units. */
  orderValueMinor: 'number',
  lineCount: 'number',
  'customer.tags': 'tags',
  'customer.customerId': 'string',
  /** Placement time of day in the condition's `timeZone`, as `HH:MM`. */
  placedTimeLocal: 'time',
};

/** Line fields; `line.attributes.<name>` reads any attribute of the line. */
export const LINE_FIELDS: Readonly<Record<string, FieldKind>> = {
  'line.sku': 'string',
  'line.category': 'string',
  'line.unit': 'string',
  /** Ordered quantity in the line's unit (not in unit steps). */
  'line.quantity': 'number',
};

/** Prefix of the line attribute fields. */
export const LINE_ATTRIBUTE_PREFIX = 'line.attributes.';

/** Every fixed field name, for error messages. */
export const FIELD_NAMES: readonly string[] = [
  ...Object.keys(ORDER_FIELDS),
  ...Object.keys(LINE_FIELDS),
  `${LINE_ATTRIBUTE_PREFIX}<name>`,
];

/** Returns the kind of a field, or undefined when the name is unknown. */
export function fieldKind(field: string): FieldKind | undefined {
  if (field.startsWith(LINE_ATTRIBUTE_PREFIX) && field.length > LINE_ATTRIBUTE_PREFIX.length) return 'string';
  return ORDER_FIELDS[field] ?? LINE_FIELDS[field];
}

/** True for fields read from a line rather than from the order. */
export function isLineField(field: string): boolean {
  return field.startsWith('line.');
}
