import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_RULE_SET, RuleSetError, parseRuleSet } from '../../src/sourcing/index.ts';
import { loadRuleSet, parseRuleSetText } from '../../src/sourcing/loadRuleSet.ts';

function problemsOf(data: unknown): string[] {
  try {
    parseRuleSet(data);
  } catch (error) {
    if (error instanceof RuleSetError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('parseRuleSet', () => {
  it('applies defaults to a minimal rule', () => {
    const ruleSet = parseRuleSet({ version: 1, rules: [{ id: 'only', tiers: ['DC'] }] });

    const rule = ruleSet.rules[0]!;
    expect(rule.scope).toBe('order');
    expect(rule.split).toEqual({ mode: 'split', maxShipments: 3, splitLineQuantities: true, allowPartial: true });
    expect(rule.onNoFit).toBe('backorder');
    expect(rule.tiers[0]).toEqual({ types: ['DC'], groups: [], nodes: [] });
    expect(ruleSet.costs.fixedPerShipmentMinor).toBe(500);
  });

  it('names an unknown operator with its path', () => {
    const problems = problemsOf({
      version: 1,
      rules: [
        { id: 'a', tiers: ['DC'] },
        { id: 'b', tiers: ['DC'] },
        { id: 'c', tiers: ['DC'] },
        { id: 'd', tiers: ['DC'], when: { all: [{ field: 'channel', op: 'eq', value: 'web' }, { field: 'channel', op: 'equal', value: 'web' }] } },
      ],
    });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^rules\[3\]\.when\.all\[1\]\.op: unknown operator "equal"; expected one of eq, ne, in, /);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      version: 2,
      rules: [
        { id: 'a', tiers: ['WAREHOUSE'], split: { maxShipments: 0 }, onNoFit: 'drop' },
        { id: 'a', tiers: [], when: { field: 'colour', op: 'eq', value: 'red' } },
      ],
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: unsupported version 2; expected 1$/),
        expect.stringMatching(/^rules\[0\]\.tiers\[0\]\.types\[0\]: unknown location type "WAREHOUSE"; expected one of DC, STORE, DROPSHIP$/),
        expect.stringMatching(/^rules\[0\]\.split\.maxShipments: expected at least 1 shipment$/),
        expect.stringMatching(/^rules\[0\]\.onNoFit: unknown action "drop"/),
        expect.stringMatching(/^rules\[1\]\.tiers: expected at least one tier$/),
        expect.stringMatching(/^rules\[1\]\.when\.field: unknown field "colour"; expected one of channel, /),
        expect.stringMatching(/^rules\[1\]\.id: rule id "a" repeats rules\[0\]\.id/),
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('checks values against the operator', () => {
    const problems = problemsOf({
      version: 1,
      rules: [
        {
          id: 'a',
          tiers: ['DC'],
          when: {
            any: [
              { field: 'orderValueMinor', op: 'between', value: [500, 100] },
              { field: 'channel', op: 'gt', value: 3 },
              { field: 'placedTimeLocal', op: 'between', value: ['22:00', '06:00'] },
              { field: 'customer.tags', op: 'in', value: [] },
            ],
          },
        },
      ],
    });

    expect(problems).toEqual([
      'rules[0].when.any[0].value: expected low <= high; got [500, 100]',
      'rules[0].when.any[1].op: operator "gt" does not apply to string field "channel"; expected one of eq, ne, in, not_in, contains, starts_with, exists',
      'rules[0].when.any[2].timeZone: expected an IANA time zone such as "Europe/London"; got nothing',
      'rules[0].when.any[3].value: expected a non-empty list; got a list',
    ]);
  });

  it('reports a missing field as missing', () => {
    const problems = problemsOf({ version: 1, rules: [{ tiers: ['DC'] }] });

    expect(problems).toEqual(['rules[0].id: missing; expected string']);
  });

  it('rejects YAML that does not parse', () => {
    expect(() => parseRuleSetText('rules: [', 'broken.yaml')).toThrow(/rule set broken\.yaml.*\n.*not valid YAML/);
  });

  it('default.yaml equals DEFAULT_RULE_SET', async () => {
    const fromFile = await loadRuleSet('config/rules/default.yaml');

    expect(fromFile).toEqual(DEFAULT_RULE_SET);
  });

  it('loads the same set from JSON', () => {
    const fromYaml = parseRuleSetText(readFileSync('config/rules/default.yaml', 'utf8'), 'default.yaml');
    const fromJson = parseRuleSetText(JSON.stringify(fromYaml), 'default.json');

    expect(fromJson).toEqual(fromYaml);
  });
});

describe('config/rules examples', () => {
  it.each(['default.yaml', 'omnichannel.yaml', 'ship-complete.json'])('%s is valid', async (file) => {
    const ruleSet = await loadRuleSet(`config/rules/${file}`);

    expect(ruleSet.rules.length).toBeGreaterThan(0);
  });
});
