import { isLosslessNumber, isSafeNumber, LosslessNumber, parse } from 'lossless-json';
import { OrderSchema } from '../../domain/order.ts';
import { InputFormatError, showValue } from './errors.ts';
import { isJsonObject } from './fields.ts';
import { formatIssue, formatPath } from './record.ts';
import { createTextAdapter } from './textAdapter.ts';
import type { ParsedRecord, TextAdapter } from './types.ts';

const FORMAT = 'jsonl';

/**
 * Creates the adapter for JSON lines in Switchyard's own order schema (`OrderSchema`), one order
 * per line. Blank lines are skipped. A line that is not valid JSON or fails the schema becomes a
 * `rejected` record listing every issue as `line N: path: message (value)`. Integers beyond 2^53
 * are rejected with their exact digits instead of being rounded, because ids must be strings.
 */
export function createJsonlAdapter(): TextAdapter {
  return createTextAdapter(
    FORMAT,
    "JSON lines, one order per line in Switchyard's own schema (switchyard.order/1)",
    parseJsonLines,
  );
}

function parseJsonLines(text: string): ParsedRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    throw new InputFormatError(FORMAT, 'input is empty; expected one JSON order object per line');
  }

  const records: ParsedRecord[] = [];
  for (const [index, line] of body.split('\n').entries()) {
    if (line.trim() === '') continue;
    records.push(parseLine(line, index + 1));
  }
  return records;
}

function parseLine(line: string, lineNumber: number): ParsedRecord {
  const recordId = `line ${lineNumber}`;
  const reject = (issues: string[]): ParsedRecord => ({
    kind: 'rejected',
    recordId,
    reason: issues.map((issue) => `${recordId}: ${issue}`).join('\n'),
  });

  let value: unknown;
  try {
    value = parse(line, null, parseNumber);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return reject([`(root): invalid JSON: ${detail.replace(/position (\d+)/, (_match, at: string) => `column ${Number(at) + 1}`)}`]);
  }
  if (!isJsonObject(value)) return reject([`(root): expected a JSON object with one order (${showValue(value)})`]);

  const unsafe = findUnsafeNumbers(value, []);
  if (unsafe.length > 0) return reject(unsafe);

  const result = OrderSchema.safeParse(value, { reportInput: true });
  if (!result.success) return reject(result.error.issues.map(formatIssue));
  return { kind: 'order', recordId, order: result.data };
}

/** Keeps numbers that a JS number cannot hold exactly as `LosslessNumber`, so they can be reported with their digits. */
function parseNumber(text: string): number | LosslessNumber {
  return isSafeNumber(text, { approx: true }) ? Number(text) : new LosslessNumber(text);
}

function findUnsafeNumbers(value: unknown, path: (string | number)[]): string[] {
  if (isLosslessNumber(value)) {
    return [`${formatPath(path)}: number too large to hold exactly; expected ids as strings and integers within 2^53 (${value.toString()})`];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnsafeNumbers(item, [...path, index]));
  if (isJsonObject(value)) return Object.entries(value).flatMap(([key, item]) => findUnsafeNumbers(item, [...path, key]));
  return [];
}
