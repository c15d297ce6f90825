import { z } from 'zod';
import { NodeTypeSchema } from '../domain/node.ts';
import type { NodeType } from '../domain/node.ts';
import { describe, validateCondition } from './conditionSchema.ts';
import type { Condition, ConditionIssue } from './conditionSchema.ts';

const NODE_TYPES = NodeTypeSchema.options;

const nodeTypeSchema = z.enum(NODE_TYPES, {
  error: (issue) => `unknown location type ${describe(issue.input)}; expected one of ${NODE_TYPES.join(', ')}`,
});

const nameSchema = z.string().min(1, { error: 'expected a non-empty name' }).max(128);

const nonNegativeInt = (what: string) =>
  z.number({ error: `expected ${what} as a whole number` }).int({ error: `expected ${what} as a whole number` }).min(0, { error: `expected ${what} of 0 or more` });

/** Cost model of a shipment; every amount in minor units of the order currency. */
export const CostSettingsSchema = z
  .object({
    /** Fixed cost of any shipment. Default 500. */
    fixedPerShipmentMinor: nonNegativeInt('a fixed cost in minor units').default(500),
    /** Cost per great-circle km from node to destination; may be fractional, the product is rounded half up per shipment. Default 1. */
    perKmMinor: z.number({ error: 'expected a cost per km in minor units' }).min(0, { error: 'expected a cost per km of 0 or more' }).finite().default(1),
    /** Penalty for each shipment beyond the first. Default 300. */
    extraShipmentPenaltyMinor: nonNegativeInt('a penalty in minor units').default(300),
    /** Penalty for a node past its cut-off (the shipment leaves a day later). Default 400. */
    afterCutoffPenaltyMinor: nonNegativeInt('a penalty in minor units').default(400),
  })
  .strict();
export type CostSettings = z.output<typeof CostSettingsSchema>;

const tierObjectSchema = z
  .object({
    /** Name shown in explanations. */
    label: z.string().max(128).optional(),
    types: z.array(nodeTypeSchema).default([]),
    groups: z.array(nameSchema).default([]),
    nodes: z.array(nameSchema).default([]),
  })
  .strict()
  .refine((tier) => tier.types.length + tier.groups.length + tier.nodes.length > 0, {
    error: 'expected at least one of types, groups or nodes',
  });

/** One tier: nodes of these types, in these groups, or named here. A plain string is a location type. */
const tierSchema = z.preprocess((value) => (typeof value === 'string' ? { types: [value] } : value), tierObjectSchema);
export type Tier = z.output<typeof tierObjectSchema>;

const splitSchema = z
  .object({
    /** `ship_complete`: one node ships everything or the rule does not fit; `split`: up to maxShipments. */
    mode: z.enum(['ship_complete', 'split'], { error: (issue) => `unknown split mode ${describe(issue.input)}; expected ship_complete or split` }).default('split'),
    /** Maximum shipments in a plan; ignored for ship_complete (always 1). Default 3. */
    maxShipments: z.number().int({ error: 'expected a whole number of shipments' }).min(1, { error: 'expected at least 1 shipment' }).max(50, { error: 'expected at most 50 shipments' }).default(3),
    /** Whether one line's quantity may come from several nodes. Default true. */
    splitLineQuantities: z.boolean().default(true),
    /** Lines with the same value of this line attribute ship together from one node, whole (kits). */
    shipTogetherAttribute: z.string().min(1).max(128).optional(),
    /** Whether a plan may leave part of the order unfilled (backordered); ship_complete forces false. Default true. */
    allowPartial: z.boolean().default(true),
  })
  .strict();
export type SplitPolicy = z.output<typeof splitSchema>;

const safetyStockSchema = z
  .object({
    DC: z.number().min(0).finite().optional(),
    STORE: z.number().min(0).finite().optional(),
    DROPSHIP: z.number().min(0).finite().optional(),
  })
  .strict();

const conditionSchema = z.unknown().superRefine((value, ctx) => {
  const issues: ConditionIssue[] = [];
  validateCondition(value, [], issues);
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

/** Action when a rule finds no plan: try the next matching rule, backorder, hold for review, or cancel. */
export const NoFitActionSchema = z.enum(['next_rule', 'backorder', 'hold', 'cancel'], {
  error: (issue) => `unknown action ${describe(issue.input)}; expected one of next_rule, backorder, hold, cancel`,
});
export type NoFitAction = z.output<typeof NoFitActionSchema>;

const ruleSchema = z
  .object({
    id: nameSchema,
    description: z.string().max(1024).optional(),
    /** `order`: conditions on the order decide for all lines; `line`: decides, per matching line, ahead of order rules. */
    scope: z.enum(['order', 'line'], { error: (issue) => `unknown scope ${describe(issue.input)}; expected order or line` }).default('order'),
    /** Conditions; a rule without `when` matches every order (or line). */
    when: conditionSchema.optional(),
    /** Tiers in order of preference: later tiers are searched only when earlier ones cannot fill everything. */
    tiers: z.array(tierSchema).min(1, { error: 'expected at least one tier' }),
    exclude: z
      .object({ nodes: z.array(nameSchema).default([]), groups: z.array(nameSchema).default([]) })
      .strict()
      .default({ nodes: [], groups: [] }),
    /** Nodes farther than this great-circle distance from the destination are excluded, in km. */
    maxDistanceKm: z.number().positive({ error: 'expected a distance in km above 0' }).finite().optional(),
    /** Units kept back per node type, in the SKU's unit (whole units for `each`, kg for `kg`). */
    safetyStock: safetyStockSchema.default({}),
    split: splitSchema.default({ mode: 'split', maxShipments: 3, splitLineQuantities: true, allowPartial: true }),
    /** `penalty` adds afterCutoffPenaltyMinor to a node past its cut-off; `exclude` leaves it out. */
    afterCutoff: z.enum(['penalty', 'exclude'], { error: (issue) => `unknown cut-off policy ${describe(issue.input)}; expected penalty or exclude` }).default('penalty'),
    /** Overrides of the rule set's costs for this rule. */
    costs: CostSettingsSchema.partial().optional(),
    onNoFit: NoFitActionSchema.default('backorder'),
    /** Text given as hold or cancel reason; a generated sentence otherwise. */
    reason: z.string().max(1024).optional(),
  })
  .strict();

/** Schema of a rule set document (YAML or JSON), version 1. `parseRuleSet` also checks that rule ids are unique. */
export const RuleSetSchema = z
  .object({
    version: z.literal(1, { error: (issue) => `unsupported version ${describe(issue.input)}; expected 1` }),
    description: z.string().max(4096).optional(),
    costs: CostSettingsSchema.default({ fixedPerShipmentMinor: 500, perKmMinor: 1, extraShipmentPenaltyMinor: 300, afterCutoffPenaltyMinor: 400 }),
    rules: z.array(ruleSchema).min(1, { error: 'expected at least one rule' }),
  })
  .strict()
  .strict();

/** A rule as parsed, with defaults applied. */
export type Rule = Omit<z.output<typeof ruleSchema>, 'when' | 'tiers'> & { when?: Condition; tiers: Tier[] };

/** A validated rule set: ordered rules, the first whose conditions match applies. */
export type RuleSet = Omit<z.output<typeof RuleSetSchema>, 'rules'> & { rules: Rule[] };

export type { NodeType };
