import type { Order, OrderLine } from '../domain/order.ts';
import { orderValueMinor } from '../domain/order.ts';
import type { Condition, ConditionLeaf, ConditionValue, Operator } from './conditionSchema.ts';
import { LINE_ATTRIBUTE_PREFIX, isLineField } from './fields.ts';
import { localMinutesOfDay, parseTimeOfDay } from '../domain/localTime.ts';

/** Facts about an order computed once per decision and shared by every condition. */
export interface OrderFacts {
  order: Order;
  valueMinor: number;
  placedAtMs: number;
}

/** Computes the order-wide facts conditions read. */
export function orderFacts(order: Order): OrderFacts {
  return { order, valueMinor: orderValueMinor(order.lines), placedAtMs: Date.parse(order.placedAt) };
}

/** A compiled condition: reads the order facts and, for line rules, the line being decided. */
export type Predicate = (facts: OrderFacts, line: OrderLine | undefined) => boolean;

type Reader = (facts: OrderFacts, line: OrderLine | undefined) => unknown;

const compiled = new WeakMap<object, Predicate>();

/** Compiles a validated condition into a predicate; results are memoized per condition object. */
export function compileCondition(condition: Condition): Predicate {
  const cached = compiled.get(condition);
  if (cached !== undefined) return cached;

  const predicate = compileUncached(condition);
  compiled.set(condition, predicate);
  return predicate;
}

function compileUncached(condition: Condition): Predicate {
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    return (facts, line) => parts.every((part) => part(facts, line));
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    return (facts, line) => parts.some((part) => part(facts, line));
  }
  if ('none' in condition) {
    const parts = condition.none.map(compileCondition);
    return (facts, line) => !parts.some((part) => part(facts, line));
  }
  return compileLeaf(condition);
}

function compileLeaf(leaf: ConditionLeaf): Predicate {
  const test = compileTest(leaf);

  if (!isLineField(leaf.field)) {
    const read = orderReader(leaf);
    return (facts, line) => test(read(facts, line));
  }

  const readLine = lineReader(leaf.field);
  return (facts, line) => {
    if (line !== undefined) return test(readLine(line));
    // An order-level rule reading a line field matches when any line matches.
    return facts.order.lines.some((orderLine) => test(readLine(orderLine)));
  };
}

function orderReader(leaf: ConditionLeaf): Reader {
  switch (leaf.field) {
    case 'destination.country':
      return (facts) => facts.order.destination.country;
    case 'destination.region':
      return (facts) => facts.order.destination.region;
    case 'destination.postalCode':
      return (facts) => facts.order.destination.postalCode;
    case 'destination.city':
      return (facts) => facts.order.destination.city;
    case 'orderValueMinor':
      return (facts) => facts.valueMinor;
    case 'lineCount':
      return (facts) => facts.order.lines.length;
    case 'customer.tags':
      return (facts) => facts.order.customer.tags;
    case 'customer.customerId':
      return (facts) => facts.order.customer.customerId;
    case 'placedTimeLocal': {
      const timeZone = leaf.timeZone ?? 'UTC';
      return (facts) => (Number.isNaN(facts.placedAtMs) ? undefined : localMinutesOfDay(timeZone, facts.placedAtMs));
    }
    default: {
      const key = leaf.field as 'channel' | 'orderType' | 'shippingMethod' | 'source' | 'currency';
      return (facts) => facts.order[key];
    }
  }
}

function lineReader(field: string): (line: OrderLine) => unknown {
  if (field.startsWith(LINE_ATTRIBUTE_PREFIX)) {
    const name = field.slice(LINE_ATTRIBUTE_PREFIX.length);
    return (line) => line.attributes?.[name];
  }
  switch (field) {
    case 'line.sku':
      return (line) => line.sku;
    case 'line.category':
      return (line) => line.category;
    case 'line.unit':
      return (line) => line.unit;
    default:
      return (line) => line.quantity;
  }
}

/** Values of time fields are compared as minutes since midnight. */
function normalize(value: string | number | boolean, isTime: boolean): string | number | boolean {
  if (isTime && typeof value === 'string') return parseTimeOfDay(value) ?? Number.NaN;
  return value;
}

function compileTest(leaf: ConditionLeaf): (actual: unknown) => boolean {
  const isTime = leaf.field === 'placedTimeLocal';
  const raw: ConditionValue | undefined = leaf.value;
  const list = Array.isArray(raw) ? (raw as readonly (string | number)[]).map((item) => normalize(item, isTime)) : [];
  const scalar = raw === undefined || Array.isArray(raw) ? undefined : normalize(raw as string | number | boolean, isTime);

  switch (leaf.op) {
    case 'exists':
      return (actual) => (isPresent(actual) ? scalar !== false : scalar === false);
    case 'eq':
      return (actual) => actual === scalar;
    case 'ne':
      return (actual) => actual !== scalar;
    case 'in': {
      const set = new Set(list);
      return (actual) => (Array.isArray(actual) ? actual.some((item) => set.has(item as string)) : set.has(actual as string));
    }
    case 'not_in': {
      const set = new Set(list);
      return (actual) => (Array.isArray(actual) ? !actual.some((item) => set.has(item as string)) : !set.has(actual as string));
    }
    case 'contains':
      return (actual) => (Array.isArray(actual) ? actual.includes(scalar) : typeof actual === 'string' && actual.includes(String(scalar)));
    case 'starts_with': {
      const prefixes = raw === undefined ? [] : Array.isArray(raw) ? list.map(String) : [String(raw)];
      return (actual) => typeof actual === 'string' && prefixes.some((prefix) => actual.startsWith(prefix));
    }
    case 'between':
      return compileBetween(list as number[], isTime);
    default:
      return compileComparison(leaf.op, scalar as number);
  }
}

function compileBetween([low, high]: number[], isTime: boolean): (actual: unknown) => boolean {
  const lo = low ?? Number.NaN;
  const hi = high ?? Number.NaN;
  // A time window whose start is after its end wraps midnight, such as 22:00-06:00.
  if (isTime && lo > hi) return (actual) => typeof actual === 'number' && (actual >= lo || actual <= hi);
  return (actual) => typeof actual === 'number' && actual >= lo && actual <= hi;
}

function compileComparison(op: Operator, bound: number): (actual: unknown) => boolean {
  switch (op) {
    case 'gt':
      return (actual) => typeof actual === 'number' && actual > bound;
    case 'gte':
      return (actual) => typeof actual === 'number' && actual >= bound;
    case 'lt':
      return (actual) => typeof actual === 'number' && actual < bound;
    default:
      return (actual) => typeof actual === 'number' && actual <= bound;
  }
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}
