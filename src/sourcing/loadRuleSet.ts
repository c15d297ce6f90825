import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRuleSet } from './parseRuleSet.ts';
import type { RuleSet } from './ruleSchema.ts';
import { RuleSetError } from './errors.ts';

/**
 * Reads a rule set from a `.yaml`, `.yml` or `.json` file and validates it.
 * Throws RuleSetError (with the file name) when the file cannot be parsed or is invalid.
 */
export async function loadRuleSet(path: string): Promise<RuleSet> {
  const text = await readFile(path, 'utf8');
  return parseRuleSetText(text, path);
}

/** Parses rule set text; the format follows the file extension of `source` (JSON for `.json`, YAML otherwise). */
export function parseRuleSetText(text: string, source: string): RuleSet {
  const isJson = extname(source).toLowerCase() === '.json';
  let data: unknown;
  try {
    data = isJson ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RuleSetError([{ path: '(root)', message: `not valid ${isJson ? 'JSON' : 'YAML'}: ${message}` }], source);
  }
  return parseRuleSet(data, source);
}
