import type { z } from 'zod';
import { RuleSetSchema } from './ruleSchema.ts';
import type { RuleSet } from './ruleSchema.ts';
import { RuleSetError } from './errors.ts';
import type { RuleSetProblem } from './errors.ts';

/** Formats a path as `rules[3].when.all[1].op`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(root)' : text;
}

function toProblem(issue: z.core.$ZodIssue): RuleSetProblem {
  let message = issue.message;
  if (issue.code === 'invalid_type' && message.endsWith('received undefined')) {
    message = `missing; ${message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}`;
  }
  if (issue.code === 'unrecognized_keys') {
    message = `unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}; check the spelling against docs/rules.md`;
  }
  return { path: formatPath(issue.path), message };
}

/**
 * Validates a rule set document (already parsed from YAML or JSON) and applies defaults.
 * Throws RuleSetError listing every problem with its path; `source` names the file in the message.
 * Treat the result as immutable: compiled conditions and node indexes are cached per rule object.
 */
export function parseRuleSet(data: unknown, source?: string): RuleSet {
  const result = RuleSetSchema.safeParse(data);
  const problems = result.success ? [] : result.error.issues.map(toProblem);
  problems.push(...repeatedRuleIds(data));
  if (problems.length > 0 || !result.success) throw new RuleSetError(problems, source);
  return result.data as RuleSet;
}

/** Rule ids used twice, checked on the raw document so they are reported next to every other problem. */
function repeatedRuleIds(data: unknown): RuleSetProblem[] {
  const rules = typeof data === 'object' && data !== null ? (data as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules)) return [];

  const problems: RuleSetProblem[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule: unknown, index) => {
    const id = typeof rule === 'object' && rule !== null ? (rule as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first !== undefined) problems.push({ path: `rules[${index}].id`, message: `rule id "${id}" repeats rules[${first}].id; expected unique ids` });
    else seen.set(id, index);
  });
  return problems;
}
