import { isLosslessNumber, isSafeNumber } from 'lossless-json';
import { FieldError } from './errors.ts';

/** A JSON object from a parsed source document, with the path used in error messages. */
export interface SourceObject {
  readonly path: string;
  readonly value: Readonly<Record<string, unknown>>;
}

/** Returns true for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** Joins a parent path and a key the way error messages show them: `line_items[1].price`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Wraps a value as a `SourceObject`, or throws `FieldError` when it is not a JSON object. */
export function asObject(value: unknown, path: string, expected = 'a JSON object'): SourceObject {
  if (!isJsonObject(value)) throw new FieldError(path, value, expected);
  return { path, value };
}

/** Reads a required nested object. */
export function readObject(source: SourceObject, key: string, expected = 'a JSON object'): SourceObject {
  return asObject(source.value[key], childPath(source.path, key), expected);
}

/** Reads an optional nested object; null and absent give undefined. */
export function readOptionalObject(source: SourceObject, key: string): SourceObject | undefined {
  const value = source.value[key];
  if (value === undefined || value === null) return undefined;
  return asObject(value, childPath(source.path, key));
}

/** Reads an optional array; null and absent give an empty array. */
export function readArray(source: SourceObject, key: string): unknown[] {
  const value = source.value[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(childPath(source.path, key), value, 'a JSON array');
  return value;
}

/** Reads a required non-empty string, kept exactly as sent (no trimming, no normalisation). */
export function readString(source: SourceObject, key: string, expected = 'a non-empty string'): string {
  const value = source.value[key];
  if (typeof value !== 'string' || value.trim() === '') throw new FieldError(childPath(source.path, key), value, expected);
  return value;
}

/** Reads an optional string; null, absent and blank give undefined. Other types are an error. */
export function readOptionalString(source: SourceObject, key: string): string | undefined {
  const value = source.value[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FieldError(childPath(source.path, key), value, 'a string or null');
  return value.trim() === '' ? undefined : value;
}

/**
 * Reads an integer id as a string with every digit kept: ids above 2^53 (Shopify's 64-bit ids)
 * arrive as lossless numbers and are never converted to a JS number. Numeric strings are accepted too.
 */
export function readId(source: SourceObject, key: string): string {
  const value = source.value[key];
  const text = isLosslessNumber(value) || typeof value === 'number' ? value.toString() : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw new FieldError(childPath(source.path, key), value, 'a non-negative integer id');
  }
  return text;
}

/** Reads an optional integer id as a string; null, absent and 0 give undefined. */
export function readOptionalId(source: SourceObject, key: string): string | undefined {
  const value = source.value[key];
  if (value === undefined || value === null) return undefined;
  const id = readId(source, key);
  return /^0+$/.test(id) ? undefined : id;
}

/** Reads a required integer within JavaScript's safe range. */
export function readInteger(source: SourceObject, key: string, expected = 'an integer'): number {
  const value = readNumberValue(source.value[key]);
  if (value === undefined || !Number.isSafeInteger(value)) throw new FieldError(childPath(source.path, key), source.value[key], expected);
  return value;
}

/** Reads an optional finite number (such as a coordinate); null and absent give undefined. */
export function readOptionalNumber(source: SourceObject, key: string): number | undefined {
  const raw = source.value[key];
  if (raw === undefined || raw === null) return undefined;
  const value = readNumberValue(raw);
  if (value === undefined) throw new FieldError(childPath(source.path, key), raw, 'a number or null');
  return value;
}

/**
 * Reads a money amount as decimal text: JSON strings ("19.99") as they are, JSON numbers with
 * the digits they had in the source. Conversion to minor units happens in `toMinorUnits`.
 */
export function readAmount(source: SourceObject, key: string): string {
  const value = source.value[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (isLosslessNumber(value) || typeof value === 'number') return value.toString();
  throw new FieldError(childPath(source.path, key), value, 'a decimal amount such as "19.99"');
}

/** Reads an optional money amount; null, absent and "" give undefined. */
export function readOptionalAmount(source: SourceObject, key: string): string | undefined {
  const value = source.value[key];
  if (value === undefined || value === null || value === '') return undefined;
  return readAmount(source, key);
}

function readNumberValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (!isLosslessNumber(value)) return undefined;

  const text = value.toString();
  const parsed = Number(text);
  if (!Number.isFinite(parsed)) return undefined;
  return /^-?\d+$/.test(text) && !isSafeNumber(text) ? undefined : parsed;
}
