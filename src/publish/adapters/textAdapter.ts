import { readFile } from 'node:fs/promises';
import type { FormatName, ParsedRecord, TextAdapter } from './types.ts';

/**
 * Builds a `TextAdapter` from a parse function. Its `read` loads the whole file as UTF-8 and
 * parses it before yielding, so a file-level error arrives before any record.
 */
export function createTextAdapter(format: FormatName, describe: string, parse: (text: string) => ParsedRecord[]): TextAdapter {
  return {
    format,
    describe,
    parse,
    read: async function* (path: string) {
      const records = parse(await readFile(path, 'utf8'));
      yield* records;
    },
  };
}
