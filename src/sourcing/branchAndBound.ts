import type { Evaluation } from './evaluate.ts';
import { FillBound, relaxedPoolFill, suffixMinCost } from './bound.ts';
import { IncrementalFill } from './incrementalFill.ts';
import type { Search } from './searchState.ts';

/**
 * Depth-first search over subsets of `pool` in lexicographic order, pruning a branch when its
 * relaxed fill cannot beat the best plan, or can only tie it at a higher cost. Single nodes were
 * evaluated while ranking, so the first level only updates the incremental fill (or reuses the
 * single fill when the problem needs full evaluations).
 */
export function branchAndBound(search: Search, pool: readonly number[]): void {
  const { problem, limits } = search;
  const minCostFrom = suffixMinCost(problem, pool);
  let bound: FillBound | undefined;
  const stack: number[] = [];
  const penalty = problem.extraShipmentPenalty;
  const incremental = IncrementalFill.applies(problem) ? new IncrementalFill(problem) : undefined;
  const maxWork = limits.maxWork ?? Number.POSITIVE_INFINITY;

  // When the best plan already reaches the relaxed fill of the whole pool, only cost can improve.
  const { filled: poolFilled, tierFilled: poolTierFilled } = relaxedPoolFill(problem, pool);
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
      bound ??= new FillBound(problem, pool);
      bound.compute(stack, from);
      search.work += (problem.tierCount + stack.length) * problem.skus.length;
      const order = bound.compareFill(best);
      if (order < 0) return true;
      if (order > 0) return false;
    }
    const lowest = costSoFar + (stack.length > 0 ? penalty : 0) + (minCostFrom[from] ?? Number.POSITIVE_INFINITY);
    return lowest < best.cost || (lowest === best.cost && stack.length + 1 < best.count);
  };

  const visit = (from: number, costSoFar: number): void => {
    for (let position = from; position < pool.length; position++) {
      if (search.evaluated >= limits.maxEvaluations || search.work >= maxWork) {
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
        search.work += problem.skus.length;
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

