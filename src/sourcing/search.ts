import type { Problem } from './problem.ts';
import { Search, DEFAULT_SEARCH_LIMITS } from './searchState.ts';
import type { SearchLimits, SearchResult } from './searchState.ts';
import { branchAndBound } from './branchAndBound.ts';
import { growGreedy, swapSearch } from './localSearch.ts';

export { DEFAULT_SEARCH_LIMITS, compareEvaluations } from './searchState.ts';
export type { SearchLimits, SearchResult } from './searchState.ts';

/**
 * Finds the best node subset of at most `maxShipments` nodes (see `compareEvaluations`).
 * Exact by branch and bound when there are at most `shortlistSize` candidates and the
 * evaluation budget holds. Otherwise it runs branch and bound over a shortlist, then a local search.
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

/**
 * Returns the candidates worth branch and bound when there are too many. They are the best plans'
 * nodes, for each SKU the two cheapest nodes that cover its demand (or else have the most of it),
 * the cheapest nodes of the earliest tier (a quarter of the list), then the best single nodes.
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

/** Returns the two best nodes for one SKU: covering its demand first, then with more of it, then earlier tier, then cheaper. */
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

