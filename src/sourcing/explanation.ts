/** Why sourcing decided what it did: rules tried, candidates, plans compared and exclusions. */
export interface Explanation {
  /** Each rule in order with whether its conditions matched the order (order rules) or which lines (line rules). */
  rules: RuleEvaluation[];
  /** Each attempt to plan a set of lines under one rule, in the order made. */
  attempts: AttemptExplanation[];
  /** One-sentence summary of the decision. */
  summary: string;
}

/** Whether one rule's conditions matched. */
export interface RuleEvaluation {
  ruleId: string;
  scope: 'order' | 'line';
  matched: boolean;
  /** For line rules: the lines it matched (and now decides). */
  lineIds?: string[];
}

/** One rule applied to a set of lines. */
export interface AttemptExplanation {
  ruleId: string;
  lineIds: string[];
  /** `planned`: the plan was kept (maybe partial); otherwise the rule's no-fit action applied. */
  result: 'planned' | 'next_rule' | 'backorder' | 'hold' | 'cancel';
  /** Tiers searched, counting from 1; later tiers are searched only when earlier ones cannot fill everything. */
  tiersSearched: number;
  /** `exact`: every node subset within the shipment limit was covered (by evaluation or a bound); `heuristic`: see docs/rules.md. */
  search: 'exact' | 'heuristic';
  /** Node subsets whose fill and cost were computed. */
  subsetsEvaluated: number;
  candidates: CandidateSummary[];
  /** The best plans compared, best first (up to 5), the chosen one first. */
  plansConsidered: PlanOption[];
  /** Nodes left out, grouped by reason. */
  excluded: ExcludedGroup[];
}

/** A node that passed every filter and has stock of at least one requested SKU. */
export interface CandidateSummary {
  nodeId: string;
  /** Tier position, counting from 1. */
  tier: number;
  distanceKm: number;
  /** Cost of a shipment from this node in minor units, including the cut-off penalty when it applies. */
  shipmentCostMinor: number;
  afterCutoff: boolean;
}

/** One node subset and what it would achieve. */
export interface PlanOption {
  nodeIds: string[];
  /** Quantity it fills, in thousandths of a unit summed over lines (1 each = 1000). */
  filledMilliUnits: number;
  /** Total cost in minor units, with the extra-shipment penalty. */
  totalCostMinor: number;
}

/** Nodes excluded for one reason. */
export interface ExcludedGroup {
  reason: string;
  /** May be shared (frozen) between plans of the same network snapshot: do not modify. */
  nodeIds: readonly string[];
}
