import type { Problem } from './problem.ts';
import { totalMilliUnits } from './problem.ts';
import { copyEvaluation, createScratch, evaluateSubset } from './evaluate.ts';
import type { Evaluation, Scratch } from './evaluate.ts';
import { FillBound } from './bound.ts';
import { IncrementalFill } from './incrementalFill.ts';

/** Limits on the work of one search. */
export interface SearchLimits {
  /** Subset evaluations the search may spend on branch and bound before it stops and the plan is marked heuristic. Default 4,000. */
  maxEvaluations: number;
  /** Above this many candidates, branch and bound runs over a shortlist of this size and a swap search follows. Default 48. */
  shortlistSize: number;
  /** Rounds of the local search over all candidates. Default 3. */
  swapRounds: number;
}

/** Default search limits. */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxEvaluations: 4000, shortlistSize: 48, swapRounds: 3 };

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
class Search {
  readonly scratch: Scratch;
  readonly top: Evaluation[] = [];
  readonly totalDemand: number;
  /** Fill of each candidate alone, in thousandths of a unit. */
  readonly singleFilled: Float64Array;
  evaluated = 0;
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

/**
 * Finds the best node subset of at most `maxShipments` nodes (see `compareEvaluations`).
 * Exact by branch and bound when there are at most `shortlistSize` candidates and the
 * evaluation budget holds; otherwise branch and bound over a shortlist, then a swap search.
 * The result is never worse than the best single node or the greedy plan, which seed the search.
 */
export function searchPlan(problem: Problem, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): SearchResult {
  const search = new Search(problem, limits);
  const count = problem.candidates.length;
  if (count === 0 || search.totalDemand === 0) return { best: undefined, exact: true, evaluated: 0, top: [] };

  const ranked = rankSingles(search);
  if (singleIsOptimal(search)) return { best: search.best, exact: true, evaluated: search.evaluated, top: search.top };
  growGreedy(search, ranked[0] ?? 0);

  const pool = count <= limits.shortlistSize ? Array.from({ length: count }, (_, index) => index) : shortlist(search, ranked);
  branchAndBound(search, pool);

  const exact = pool.length === count && !search.budgetExhausted;
  if (!exact) swapSearch(search);
  return { best: search.best, exact, evaluated: search.evaluated, top: search.top };
}

/** Evaluates every candidate alone and returns their indexes, best first. */
function rankSingles(search: Search): number[] {
  const { problem, singleFilled } = search;
  const single = [0];
  for (let index = 0; index < problem.candidates.length; index++) {
    single[0] = index;
    singleFilled[index] = search.evaluate(single).filled;
  }

  // For one node, compareEvaluations reduces to: more filled, earlier tier, cheaper, lower index.
  const ranked = Array.from({ length: problem.candidates.length }, (_, index) => index);
  const candidates = problem.candidates;
  ranked.sort((a, b) => {
    const filled = (singleFilled[b] ?? 0) - (singleFilled[a] ?? 0);
    if (filled !== 0) return filled;
    const left = candidates[a];
    const right = candidates[b];
    return (left?.tier ?? 0) - (right?.tier ?? 0) || (left?.cost ?? 0) - (right?.cost ?? 0) || a - b;
  });
  return ranked;
}

/**
 * True when the best single node fills everything from the earliest tier present and no two
 * nodes together cost less: then no subset can beat it (more nodes lose cost ties).
 */
function singleIsOptimal(search: Search): boolean {
  const { problem } = search;
  const best = search.best;
  const first = problem.candidates[0];
  if (best === undefined || first === undefined || !search.isFull(best.filled)) return false;
  if ((best.tierFilled[first.tier] ?? 0) < search.totalDemand) return false;
  if (problem.maxShipments === 1) return true;

  let cheapest = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  for (const candidate of problem.candidates) {
    if (candidate.cost < cheapest) {
      second = cheapest;
      cheapest = candidate.cost;
    } else if (candidate.cost < second) {
      second = candidate.cost;
    }
  }
  return cheapest + second + problem.extraShipmentPenalty >= best.cost;
}

/** Grows a plan from the best single node, adding the node that improves it most, until full or at the shipment limit. */
function growGreedy(search: Search, start: number): void {
  const { problem } = search;
  const count = problem.candidates.length;
  if (search.isFull(search.singleFilled[start] ?? 0)) return;

  let chosen = [start];
  while (chosen.length < problem.maxShipments) {
    let bestNext: Evaluation | undefined;
    const trial = new Array<number>(chosen.length + 1);
    for (let index = 0; index < count; index++) {
      if (chosen.includes(index)) continue;
      writeSorted(trial, chosen, index);
      const result = search.evaluate(trial);
      if (bestNext === undefined || compareEvaluations(result, bestNext) < 0) bestNext = copyEvaluation(result);
    }
    if (bestNext === undefined) return;
    chosen = bestNext.nodes;
    if (search.isFull(bestNext.filled)) return;
  }
}

/** Writes `nodes` plus `index` into `target` in ascending order (`target` has one more slot). */
function writeSorted(target: number[], nodes: readonly number[], index: number): void {
  let write = 0;
  let inserted = false;
  for (const node of nodes) {
    if (!inserted && index < node) {
      target[write++] = index;
      inserted = true;
    }
    target[write++] = node;
  }
  if (!inserted) target[write] = index;
}

/**
 * Candidates worth branch and bound when there are too many: the best plans' nodes, for each
 * SKU the two cheapest nodes that cover its demand (or, failing that, hold the most of it), the
 * cheapest nodes of the earliest tier (a quarter of the list), then the best single nodes.
 */
function shortlist(search: Search, ranked: readonly number[]): number[] {
  const { problem, limits } = search;
  const picked = new Set<number>();
  for (const plan of search.top) for (const node of plan.nodes) picked.add(node);

  for (let s = 0; s < problem.skus.length && picked.size < limits.shortlistSize; s++) {
    for (const index of coveringNodes(problem, s)) {
      if (picked.size >= limits.shortlistSize) break;
      picked.add(index);
    }
  }
  const cheapest = Math.min(problem.candidates.length, Math.ceil(limits.shortlistSize / 4));
  for (let index = 0; index < cheapest && picked.size < limits.shortlistSize; index++) picked.add(index);
  for (const index of ranked) {
    if (picked.size >= limits.shortlistSize) break;
    picked.add(index);
  }
  return [...picked].sort((a, b) => a - b);
}

/** The two best nodes for one SKU: covering its demand first, then holding more, then earlier tier, then cheaper. */
function coveringNodes(problem: Problem, sku: number): number[] {
  const demand = problem.demand[sku] ?? 0;
  const best: number[] = [];
  const better = (a: number, b: number): boolean => {
    const left = problem.candidates[a];
    const right = problem.candidates[b];
    if (left === undefined || right === undefined) return false;
    const heldLeft = Math.min(left.avail[sku] ?? 0, demand);
    const heldRight = Math.min(right.avail[sku] ?? 0, demand);
    if (heldLeft !== heldRight) return heldLeft > heldRight;
    if (left.tier !== right.tier) return left.tier < right.tier;
    return left.cost < right.cost;
  };

  for (let index = 0; index < problem.candidates.length; index++) {
    if ((problem.candidates[index]?.avail[sku] ?? 0) <= 0) continue;
    if (best.length < 2) {
      best.push(index);
      if (best.length === 2 && better(best[1] as number, best[0] as number)) best.reverse();
    } else if (better(index, best[1] as number)) {
      best[1] = index;
      if (better(best[1], best[0] as number)) best.reverse();
    }
  }
  return best;
}

/**
 * Depth-first search over subsets of `pool` in lexicographic order, pruning a branch when its
 * relaxed fill cannot beat the best plan, or can only tie it at a higher cost. Single nodes were
 * evaluated while ranking, so the first level only updates the incremental fill (or reuses the
 * single fill when the problem needs full evaluations).
 */
function branchAndBound(search: Search, pool: readonly number[]): void {
  const { problem, limits } = search;
  const bound = new FillBound(problem, pool);
  const stack: number[] = [];
  const penalty = problem.extraShipmentPenalty;
  const incremental = IncrementalFill.applies(problem) ? new IncrementalFill(problem) : undefined;

  // When the best plan already reaches the relaxed fill of the whole pool, only cost can improve.
  bound.compute([], 0);
  const poolFilled = bound.filled;
  const poolTierFilled = bound.tierFilled.slice();
  let checked: Evaluation | undefined;
  let bestFillIsMaximal = false;
  const fillIsMaximal = (best: Evaluation): boolean => {
    if (best !== checked) {
      checked = best;
      bestFillIsMaximal = best.filled === poolFilled && poolTierFilled.every((value, tier) => value === best.tierFilled[tier]);
    }
    return bestFillIsMaximal;
  };

  const mayImprove = (from: number, costSoFar: number): boolean => {
    const best = search.best;
    if (best === undefined) return true;
    if (from >= pool.length) return false;
    if (!fillIsMaximal(best)) {
      bound.compute(stack, from);
      const order = bound.compareFill(best);
      if (order < 0) return true;
      if (order > 0) return false;
    }
    const lowest = costSoFar + (stack.length > 0 ? penalty : 0) + (bound.minCostFrom[from] ?? Number.POSITIVE_INFINITY);
    return lowest < best.cost || (lowest === best.cost && stack.length + 1 < best.count);
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
      const depth = stack.length;
      stack.push(index);
      let filled: number;
      if (incremental !== undefined) {
        filled = incremental.add(depth, index);
        if (depth > 0) {
          search.evaluated++;
          search.consider(incremental.write(depth + 1, stack, cost, search.scratch.evaluation));
        }
      } else {
        filled = depth === 0 ? (search.singleFilled[index] ?? 0) : search.evaluate(stack).filled;
      }
      if (stack.length < problem.maxShipments && !search.isFull(filled)) visit(position + 1, cost);
      stack.pop();
      if (search.budgetExhausted) return;
    }
  };

  visit(0, 0);
}

/**
 * Local search from the best plan: each round evaluates dropping one node and replacing one node
 * with any other candidate, and moves to the best improvement found. Stops after `swapRounds`
 * rounds or when no move improves.
 */
function swapSearch(search: Search): void {
  const { problem, limits } = search;
  const count = problem.candidates.length;

  for (let round = 0; round < limits.swapRounds; round++) {
    const start = search.best;
    if (start === undefined) return;
    const before = copyEvaluation(start);

    for (let position = 0; position < before.count; position++) {
      const rest = before.nodes.filter((_, other) => other !== position);
      if (rest.length > 0) search.evaluate(rest);
      const trial = new Array<number>(before.count);
      for (let index = 0; index < count; index++) {
        if (before.nodes.includes(index)) continue;
        writeSorted(trial, rest, index);
        search.evaluate(trial);
      }
    }
    const after = search.best;
    if (after === undefined || compareEvaluations(after, before) >= 0) return;
  }
}
