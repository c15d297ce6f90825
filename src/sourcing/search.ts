import type { Problem } from './problem.ts';
import { totalMilliUnits } from './problem.ts';
import { copyEvaluation, createScratch, evaluateSubset } from './evaluate.ts';
import type { Evaluation, Scratch } from './evaluate.ts';
import { FillBound } from './bound.ts';

/** Limits on the work of one search. */
export interface SearchLimits {
  /** Subset evaluations the exact search may spend before it stops and the plan is marked heuristic. Default 4,000. */
  maxEvaluations: number;
  /** Above this many candidates, the exact search runs over a shortlist and a swap search follows. Default 32. */
  shortlistSize: number;
  /** Rounds of the swap search over all candidates. Default 4. */
  swapRounds: number;
}

/** Default search limits. */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxEvaluations: 4000, shortlistSize: 32, swapRounds: 4 };

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
  if (a.nodes.length !== b.nodes.length) return a.nodes.length - b.nodes.length;
  for (let position = 0; position < a.nodes.length; position++) {
    const difference = (a.nodes[position] ?? 0) - (b.nodes[position] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** State of one search run. */
class Search {
  readonly scratch: Scratch;
  readonly top: Evaluation[] = [];
  readonly totalDemand: number;
  evaluated = 0;
  budgetExhausted = false;

  constructor(readonly problem: Problem, readonly limits: SearchLimits) {
    this.scratch = createScratch(problem);
    this.totalDemand = totalMilliUnits(problem);
  }

  get best(): Evaluation | undefined {
    return this.top[0];
  }

  evaluate(nodes: readonly number[]): Evaluation {
    this.evaluated++;
    const result = evaluateSubset(this.problem, nodes, this.scratch);
    this.consider(result);
    return result;
  }

  consider(result: Evaluation): void {
    if (result.filled === 0) return;
    const top = this.top;
    if (top.length === TOP_PLANS && compareEvaluations(result, top[TOP_PLANS - 1] as Evaluation) >= 0) return;
    if (top.some((kept) => compareEvaluations(kept, result) === 0)) return;

    let position = top.length;
    while (position > 0 && compareEvaluations(result, top[position - 1] as Evaluation) < 0) position--;
    top.splice(position, 0, copyEvaluation(result));
    if (top.length > TOP_PLANS) top.pop();
  }
}

/**
 * Finds the best node subset of at most `maxShipments` nodes (see `compareEvaluations`).
 * Exact by branch and bound when the candidates are few; otherwise a shortlist search plus
 * swap search, never worse than the best single node or the greedy plan (both are tried).
 */
export function searchPlan(problem: Problem, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): SearchResult {
  const search = new Search(problem, limits);
  const count = problem.candidates.length;
  if (count === 0 || search.totalDemand === 0) return { best: undefined, exact: true, evaluated: 0, top: [] };

  seedWithSinglesAndGreedy(search);

  const all = Array.from({ length: count }, (_, index) => index);
  const pool = count <= limits.shortlistSize ? all : shortlist(search);
  branchAndBound(search, pool);

  const exact = pool.length === count && !search.budgetExhausted;
  if (!exact) swapSearch(search);
  return { best: search.best, exact, evaluated: search.evaluated, top: search.top };
}

function isFull(search: Search, evaluation: Evaluation): boolean {
  return evaluation.filled >= search.totalDemand;
}

/** Evaluates every single node, then grows a greedy plan one best node at a time. */
function seedWithSinglesAndGreedy(search: Search): void {
  const { problem } = search;
  const count = problem.candidates.length;
  for (let index = 0; index < count; index++) search.evaluate([index]);

  const chosen: number[] = [];
  while (chosen.length < problem.maxShipments) {
    let bestNext: Evaluation | undefined;
    let bestIndex = -1;
    for (let index = 0; index < count; index++) {
      if (chosen.includes(index)) continue;
      const trial = search.evaluate(insertSorted(chosen, index));
      if (bestNext === undefined || compareEvaluations(trial, bestNext) < 0) {
        bestNext = copyEvaluation(trial);
        bestIndex = index;
      }
    }
    if (bestNext === undefined || bestIndex < 0) return;
    chosen.splice(0, chosen.length, ...bestNext.nodes);
    if (isFull(search, bestNext)) return;
  }
}

function insertSorted(nodes: readonly number[], index: number): number[] {
  const result = nodes.slice();
  let position = result.length;
  while (position > 0 && (result[position - 1] ?? 0) > index) position--;
  result.splice(position, 0, index);
  return result;
}

/** Candidates worth the exact search when there are too many: the best plans' nodes, then the best singles. */
function shortlist(search: Search): number[] {
  const { problem, limits } = search;
  const picked = new Set<number>();
  for (const plan of search.top) for (const node of plan.nodes) picked.add(node);

  const singles = Array.from({ length: problem.candidates.length }, (_, index) => index);
  const singleScore = singles.map((index) => copyEvaluation(evaluateSubset(problem, [index], search.scratch)));
  singles.sort((a, b) => compareEvaluations(singleScore[a] as Evaluation, singleScore[b] as Evaluation));
  for (const index of singles) {
    if (picked.size >= limits.shortlistSize) break;
    picked.add(index);
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * Depth-first search over subsets of `pool` in lexicographic order, pruning a branch when its
 * relaxed fill cannot beat the best plan, or can only tie it at a higher cost.
 */
function branchAndBound(search: Search, pool: readonly number[]): void {
  const { problem, limits } = search;
  const bound = new FillBound(problem, pool);
  const stack: number[] = [];
  const penalty = problem.extraShipmentPenalty;

  const mayImprove = (from: number, costSoFar: number): boolean => {
    const best = search.best;
    if (best === undefined) return true;
    if (from >= pool.length) return false;
    bound.compute(stack, from);
    const order = bound.compareFill(best);
    if (order < 0) return true;
    if (order > 0) return false;
    const lowest = costSoFar + (stack.length > 0 ? penalty : 0) + (bound.minCostFrom[from] ?? Number.POSITIVE_INFINITY);
    return lowest < best.cost || (lowest === best.cost && stack.length + 1 < best.nodes.length);
  };

  const visit = (from: number, costSoFar: number): void => {
    for (let position = from; position < pool.length; position++) {
      if (search.evaluated >= limits.maxEvaluations) {
        search.budgetExhausted = true;
        return;
      }
      if (!mayImprove(position, costSoFar)) return;

      const index = pool[position] ?? 0;
      const cost = costSoFar + (stack.length > 0 ? penalty : 0) + (problem.candidates[index]?.cost ?? 0);
      stack.push(index);
      const result = search.evaluate(stack);
      const extend = stack.length < problem.maxShipments && !isFull(search, result);
      if (extend) visit(position + 1, cost);
      stack.pop();
      if (search.budgetExhausted) return;
    }
  };

  visit(0, 0);
}

/** Replaces one node of the best plan with any other candidate while that improves it. */
function swapSearch(search: Search): void {
  const { problem, limits } = search;
  const count = problem.candidates.length;

  for (let round = 0; round < limits.swapRounds; round++) {
    const start = search.best;
    if (start === undefined) return;
    let improved = false;

    for (let position = 0; position < start.nodes.length && !improved; position++) {
      const rest = start.nodes.filter((_, other) => other !== position);
      for (let index = 0; index < count; index++) {
        if (start.nodes.includes(index)) continue;
        const trial = search.evaluate(insertSorted(rest, index));
        if (compareEvaluations(trial, start) < 0) improved = true;
      }
    }
    if (!improved) return;
  }
}
