import { FIELD_NAMES, fieldKind } from './fields.ts';
import type { FieldKind } from './fields.ts';
import { isValidTimeZone, parseTimeOfDay } from '../domain/localTime.ts';

/** Comparison operators of a condition leaf. */
export const OPERATORS = [
  'eq',
  'ne',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Scalar a condition compares with: text, a number, or `HH:MM` for time fields. */
export type ConditionValue = string | number | boolean | readonly (string | number)[];

/** One comparison of a field with a value. `timeZone` is required for `placedTimeLocal`. */
export interface ConditionLeaf {
  field: string;
  op: Operator;
  value?: ConditionValue;
  timeZone?: string;
}

/** A condition tree: a leaf, or `all` / `any` / `none` of sub-conditions. */
export type Condition = ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { none: Condition[] };

/** A validation problem: where it is (path segments) and what was expected. */
export interface ConditionIssue {
  path: (string | number)[];
  message: string;
}

const OPERATORS_BY_KIND: Readonly<Record<FieldKind, readonly Operator[]>> = {
  string: ['eq', 'ne', 'in', 'not_in', 'contains', 'starts_with', 'exists'],
  number: ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  tags: ['contains', 'in', 'not_in', 'exists'],
  time: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'],
};

const COMBINATORS = ['all', 'any', 'none'] as const;
const LEAF_KEYS = new Set(['field', 'op', 'value', 'timeZone']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a condition tree and appends every problem to `issues`, with paths relative to the tree.
 * Returns nothing: the tree is valid when no issue was added.
 */
export function validateCondition(value: unknown, path: (string | number)[], issues: ConditionIssue[]): void {
  if (!isRecord(value)) {
    issues.push({ path, message: `expected an object with "all", "any", "none" or "field"; got ${describe(value)}` });
    return;
  }

  const combinator = COMBINATORS.find((key) => key in value);
  if (combinator !== undefined) {
    validateCombinator(value, combinator, path, issues);
    return;
  }
  validateLeaf(value, path, issues);
}

function validateCombinator(
  value: Record<string, unknown>,
  combinator: (typeof COMBINATORS)[number],
  path: (string | number)[],
  issues: ConditionIssue[],
): void {
  const extraKeys = Object.keys(value).filter((key) => key !== combinator);
  if (extraKeys.length > 0) {
    issues.push({ path, message: `unexpected key(s) ${extraKeys.map((k) => `"${k}"`).join(', ')} next to "${combinator}"; nest them in a separate condition` });
  }
  const children = value[combinator];
  if (!Array.isArray(children) || children.length === 0) {
    issues.push({ path: [...path, combinator], message: `expected a non-empty list of conditions; got ${describe(children)}` });
    return;
  }
  children.forEach((child, index) => validateCondition(child, [...path, combinator, index], issues));
}

function validateLeaf(value: Record<string, unknown>, path: (string | number)[], issues: ConditionIssue[]): void {
  for (const key of Object.keys(value)) {
    if (!LEAF_KEYS.has(key)) issues.push({ path: [...path, key], message: `unknown key "${key}"; expected field, op, value or timeZone` });
  }

  const { field, op } = value;
  if (typeof field !== 'string') {
    issues.push({ path: [...path, 'field'], message: `expected a field name such as "channel"; got ${describe(field)}` });
  }
  const kind = typeof field === 'string' ? fieldKind(field) : undefined;
  if (typeof field === 'string' && kind === undefined) {
    issues.push({ path: [...path, 'field'], message: `unknown field "${field}"; expected one of ${FIELD_NAMES.join(', ')}` });
  }

  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
    issues.push({ path: [...path, 'op'], message: `unknown operator ${describe(op)}; expected one of ${OPERATORS.join(', ')}` });
    return;
  }
  if (kind === undefined) return;
  if (!OPERATORS_BY_KIND[kind].includes(op as Operator)) {
    issues.push({ path: [...path, 'op'], message: `operator "${op}" does not apply to ${kind} field "${String(field)}"; expected one of ${OPERATORS_BY_KIND[kind].join(', ')}` });
    return;
  }

  if (kind === 'time') validateTimeZone(value.timeZone, [...path, 'timeZone'], issues);
  else if (value.timeZone !== undefined) issues.push({ path: [...path, 'timeZone'], message: 'timeZone applies only to placedTimeLocal' });

  const message = checkValue(op as Operator, kind, value.value);
  if (message !== undefined) issues.push({ path: [...path, 'value'], message });
}

function validateTimeZone(timeZone: unknown, path: (string | number)[], issues: ConditionIssue[]): void {
  if (typeof timeZone !== 'string') {
    issues.push({ path, message: `expected an IANA time zone such as "Europe/London"; got ${describe(timeZone)}` });
  } else if (!isValidTimeZone(timeZone)) {
    issues.push({ path, message: `unknown time zone "${timeZone}"; expected an IANA name such as "Europe/London"` });
  }
}

/** Returns what is wrong with a leaf's value for its operator and field kind, or undefined when it is valid. */
function checkValue(op: Operator, kind: FieldKind, value: unknown): string | undefined {
  const scalar = scalarCheck(kind === 'tags' ? 'string' : kind);

  switch (op) {
    case 'exists':
      return value === undefined || typeof value === 'boolean' ? undefined : `expected true or false (default true); got ${describe(value)}`;
    case 'in':
    case 'not_in':
      if (!Array.isArray(value) || value.length === 0) return `expected a non-empty list; got ${describe(value)}`;
      return firstProblem(value, scalar);
    case 'starts_with':
      if (Array.isArray(value)) return value.length === 0 ? 'expected a non-empty list of prefixes' : firstProblem(value, scalarCheck('string'));
      return scalarCheck('string')(value);
    case 'contains':
      return scalarCheck('string')(value);
    case 'between':
      return checkRange(kind, value);
    default:
      return scalar(value);
  }
}

function checkRange(kind: FieldKind, value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length !== 2) return `expected a list of two bounds [low, high]; got ${describe(value)}`;
  const problem = firstProblem(value, scalarCheck(kind));
  if (problem !== undefined) return problem;
  if (kind === 'number' && (value[0] as number) > (value[1] as number)) {
    return `expected low <= high; got [${String(value[0])}, ${String(value[1])}]`;
  }
  return undefined;
}

function scalarCheck(kind: FieldKind): (value: unknown) => string | undefined {
  if (kind === 'number') {
    return (value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : `expected a number; got ${describe(value)}`);
  }
  if (kind === 'time') {
    return (value) => (typeof value === 'string' && parseTimeOfDay(value) !== undefined ? undefined : `expected a local time "HH:MM"; got ${describe(value)}`);
  }
  return (value) => (typeof value === 'string' ? undefined : `expected a string; got ${describe(value)}`);
}

function firstProblem(values: unknown[], check: (value: unknown) => string | undefined): string | undefined {
  for (const [index, item] of values.entries()) {
    const problem = check(item);
    if (problem !== undefined) return `item ${index}: ${problem}`;
  }
  return undefined;
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}
