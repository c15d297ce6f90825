import type { z } from 'zod';
import { OrderSchema, type OrderInput } from '../../domain/order.ts';
import { FieldError, showValue } from './errors.ts';
import type { ParsedRecord } from './types.ts';

/** One order line as adapters build it, before `OrderSchema` fills defaults. */
export type LineInput = OrderInput['lines'][number];

/** One order charge as adapters build it. */
export type ChargeInput = NonNullable<OrderInput['charges']>[number];

/** Position of a source record in its file, plus its order id once the adapter has read it. */
export interface RecordLabel {
  /** Position in the file, such as `line 7` or `order 2`; becomes the records' `recordId`. */
  readonly locator: string;
  orderId?: string;
}

/** Raised when a mapped order fails `OrderSchema`; carries one message per schema issue. */
export class OrderValidationError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join('\n'));
    this.name = 'OrderValidationError';
    this.issues = issues;
  }
}

/**
 * Runs `build` for one source record and returns its records. A `FieldError` or an
 * `OrderValidationError` thrown while building becomes a single `rejected` record, so a record
 * yields either all of its records or none. Other errors propagate.
 */
export function buildRecords(locator: string, build: (label: RecordLabel) => ParsedRecord[]): ParsedRecord[] {
  const label: RecordLabel = { locator };
  try {
    return build(label);
  } catch (error) {
    if (error instanceof FieldError) {
      return [{ kind: 'rejected', recordId: locator, reason: `${labelPrefix(label)}: ${error.message}` }];
    }
    if (error instanceof OrderValidationError) {
      const prefix = labelPrefix(label);
      return [{ kind: 'rejected', recordId: locator, reason: error.issues.map((issue) => `${prefix}: ${issue}`).join('\n') }];
    }
    throw error;
  }
}

/**
 * Validates a mapped order with `OrderSchema` and returns the parsed order (defaults filled in).
 * Throws `OrderValidationError` listing every issue as `path: message (value)`.
 */
export function validateOrder(input: OrderInput): OrderInput {
  const result = OrderSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new OrderValidationError(result.error.issues.map(formatIssue));
  return result.data;
}

/** Formats one schema issue as `lines[0].sku: message (value)`; a missing value shows as `(missing)`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const value = issue.input === undefined ? 'missing' : showValue(issue.input);
  return `${path}: ${issue.message} (${value})`;
}

/** Formats an issue path as `lines[0].sku`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

/** Joins first and last name the way address labels print them; undefined when both are blank. */
export function joinName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [first, last].filter((part): part is string => part !== undefined && part.trim() !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

/** Splits a comma-separated tag list ("vip, wholesale") into trimmed, non-empty tags. */
export function splitTags(tags: string | undefined): string[] {
  if (tags === undefined) return [];
  return tags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

function labelPrefix(label: RecordLabel): string {
  return label.orderId === undefined ? label.locator : `${label.locator} (order id ${label.orderId})`;
}

/** Drops undefined properties, as `exactOptionalPropertyTypes` requires for optional fields. */
export function definedOnly<T extends Record<string, string | undefined>>(fields: T): { [K in keyof T]?: string } {
  const result: { [K in keyof T]?: string } = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) result[key as keyof T] = value;
  }
  return result;
}
