import { parseRuleSet } from './parseRuleSet.ts';
import type { RuleSet } from './ruleSchema.ts';

/**
 * The document behind DEFAULT_RULE_SET (equal to config/rules/default.yaml): one rule for every
 * order that tries distribution centres, then dropship vendors, then stores, splits into at most
 * 3 shipments and backorders what nothing can fill.
 */
export const DEFAULT_RULE_SET_DOCUMENT = {
  version: 1,
  description: 'Distribution centres, then dropship, then stores; up to 3 shipments; backorder the rest.',
  costs: { fixedPerShipmentMinor: 500, perKmMinor: 1, extraShipmentPenaltyMinor: 300, afterCutoffPenaltyMinor: 400 },
  rules: [
    {
      id: 'default',
      description: 'Every order: DC, then dropship, then store.',
      tiers: [
        { label: 'Distribution centres', types: ['DC'] },
        { label: 'Dropship vendors', types: ['DROPSHIP'] },
        { label: 'Stores', types: ['STORE'] },
      ],
      split: { mode: 'split', maxShipments: 3, splitLineQuantities: true, allowPartial: true },
      afterCutoff: 'penalty',
      onNoFit: 'backorder',
    },
  ],
} as const;

/** Sensible defaults: DC, then dropship, then store; splits up to 3 shipments; backorder when nothing fits. */
export const DEFAULT_RULE_SET: RuleSet = parseRuleSet(DEFAULT_RULE_SET_DOCUMENT, 'DEFAULT_RULE_SET');
