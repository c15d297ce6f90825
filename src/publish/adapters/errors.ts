import { isLosslessNumber } from 'lossless-json';
import type { FormatName } from './types.ts';

/** Raised when a whole input file cannot be read, so none of its records is returned. */
export class InputFormatError extends Error {
  readonly format: FormatName;

  constructor(format: FormatName, message: string, options?: { cause?: unknown }) {
    super(`${format}: ${message}`, options);
    this.name = 'InputFormatError';
    this.format = format;
  }
}

/** Raised for an unknown `--format` name, or a file whose shape matches no known format. */
export class UnknownFormatError extends Error {
  /** The format names accepted at the time of the error. */
  readonly accepted: readonly string[];

  constructor(message: string, accepted: readonly string[], describeFormat: (name: string) => string) {
    const list = accepted.map((name) => `  ${name}: ${describeFormat(name)}`).join('\n');
    super(`${message}; expected one of these formats:\n${list}`);
    this.name = 'UnknownFormatError';
    this.accepted = accepted;
  }
}

/**
 * Raised inside an adapter when one field of a source record is missing or invalid. The
 * adapter turns it into a `rejected` record, so it never escapes `parse`.
 */
export class FieldError extends Error {
  readonly path: string;

  constructor(path: string, value: unknown, expected: string) {
    const problem = value === undefined || value === null || value === '' ? 'missing' : `${showValue(value)} is invalid`;
    const shownPath = path === '' ? '(root)' : path;
    super(`${shownPath}: ${problem}; expected ${expected}`);
    this.name = 'FieldError';
    this.path = shownPath;
  }
}

/** Maximum characters of a value quoted in an error message. */
const MAX_SHOWN_CHARS = 80;

/**
 * Formats a source value for an error message: strings quoted, lossless numbers with their
 * exact digits, objects as truncated JSON.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) {
    return String(value);
  }
  if (isLosslessNumber(value)) return value.toString();

  let json: string;
  try {
    json = JSON.stringify(value, (_key, item: unknown) => (isLosslessNumber(item) ? item.toString() : item));
  } catch {
    json = Object.prototype.toString.call(value);
  }
  return truncate(json);
}

function truncate(text: string): string {
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}...` : text;
}

