import { existsSync } from 'node:fs';
import { DEFAULT_RULE_SET } from '../sourcing/index.ts';
import { loadRuleSet } from '../sourcing/loadRuleSet.ts';
import type { RuleSet } from '../sourcing/types.ts';

/** Loads the rule set file when one is configured, else returns the built-in default. */
export async function loadRules(path: string | undefined): Promise<RuleSet> {
  if (path === undefined) return DEFAULT_RULE_SET;
  if (!existsSync(path)) throw new Error(`SWITCHYARD_RULES="${path}": file not found; expected a rule set in YAML or JSON (see docs/rules.md)`);
  return loadRuleSet(path);
}
