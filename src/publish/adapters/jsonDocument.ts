import { parse } from 'lossless-json';
import { InputFormatError } from './errors.ts';
import type { FormatName } from './types.ts';

/**
 * Parses a whole JSON document with lossless-json, so every number keeps its source digits
 * (`LosslessNumber`) and 64-bit ids are never rounded. A byte order mark is ignored. Throws
 * `InputFormatError` for empty or invalid JSON, with the line and column of the syntax error.
 */
export function parseJsonDocument(format: FormatName, text: string, expected: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new InputFormatError(format, `input is empty; expected ${expected}`);

  try {
    return parse(body);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputFormatError(format, `invalid JSON${locateSyntaxError(body, detail)}: ${detail}; expected ${expected}`, {
      cause: error,
    });
  }
}

/** Turns lossless-json's "at position N" into " at line L, column C" (1-based). */
function locateSyntaxError(text: string, detail: string): string {
  const match = /position (\d+)/.exec(detail);
  if (match?.[1] === undefined) return '';

  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
