import type { Problem } from './problem.ts';
import { totalMilliUnits } from './problem.ts';
import { copyEvaluation, createScratch, evaluateSubset } from './evaluate.ts';
import type { Evaluation, Scratch } from './evaluate.ts';

/** Limits on the work of one search. */
export interface SearchLimits {
  /** Subset evaluations the search may spend on branch and bound before it stops and the plan is marked heuristic. Default 4,000. */
  maxEvaluations: number;
  /** Above this many candidates, branch and bound runs over a shortlist of this size and a local search follows. Default 48. */
  shortlistSize: number;
  /** Rounds of the local search over all candidates. Default 3. */
  swapRounds: number;
  /**
   * Work branch and bound may spend, in SKU steps (one per SKU per node added or evaluated),
   * so that orders with many SKUs stop sooner. Default 1,500,000.
   */
  maxWork?: number;
}

/** Default search limits. */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxEvaluations: 4000, shortlistSize: 48, swapRounds: 3, maxWork: 1_500_000 };

/** Best plan found and how it was found. */
export interface SearchResult {
  best: Evaluation | undefined;
  /** True when every subset within the shipment limit was evaluated or ruled out by a bound. */
  exact: boolean;
  evaluated: number;
  /** Up to five best subsets, best first. */
  top: Evaluation[];
}

const TOP_PLANS = 5;

/**
 * Orders evaluations: more filled, then more filled in earlier tiers, then cheaper, then fewer
 * shipments, then candidate indexes (so nodeIds) in lexicographic order. Negative when `a` is better.
 */
export function compareEvaluations(a: Evaluation, b: Evaluation): number {
  if (a.filled !== b.filled) return b.filled - a.filled;
  for (let tier = 0; tier < a.tierFilled.length; tier++) {
    const difference = (b.tierFilled[tier] ?? 0) - (a.tierFilled[tier] ?? 0);
    if (difference !== 0) return difference;
  }
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.count !== b.count) return a.count - b.count;
  for (let position = 0; position < a.count; position++) {
    const difference = (a.nodes[position] ?? 0) - (b.nodes[position] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** State of one search run. */
export class Search {
  readonly scratch: Scratch;
  readonly top: Evaluation[] = [];
  readonly totalDemand: number;
  /** Fill of each candidate alone, in thousandths of a unit. */
  readonly singleFilled: Float64Array;
  evaluated = 0;
  /** SKU steps of work spent: one per SKU per node evaluated. */
  work = 0;
  budgetExhausted = false;

  constructor(
    readonly problem: Problem,
    readonly limits: SearchLimits,
  ) {
    this.scratch = createScratch(problem);
    this.totalDemand = totalMilliUnits(problem);
    this.singleFilled = new Float64Array(problem.candidates.length);
  }

  get best(): Evaluation | undefined {
    return this.top[0];
  }

  evaluate(nodes: readonly number[]): Evaluation {
    this.evaluated++;
    this.work += nodes.length * this.problem.skus.length;
    const result = evaluateSubset(this.problem, nodes, this.scratch);
    this.consider(result);
    return result;
  }

  consider(result: Evaluation): void {
    if (result.filled === 0) return;
    const top = this.top;
    if (top.length === TOP_PLANS && compareEvaluations(result, top[TOP_PLANS - 1] as Evaluation) >= 0) return;
    for (const kept of top) if (compareEvaluations(kept, result) === 0) return;

    let position = top.length;
    while (position > 0 && compareEvaluations(result, top[position - 1] as Evaluation) < 0) position--;
    top.splice(position, 0, copyEvaluation(result));
    if (top.length > TOP_PLANS) top.pop();
  }

  isFull(filled: number): boolean {
    return filled >= this.totalDemand;
  }
}

