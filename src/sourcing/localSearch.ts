import { copyEvaluation } from './evaluate.ts';
import type { Evaluation } from './evaluate.ts';
import type { Problem } from './problem.ts';
import { compareEvaluations } from './searchState.ts';
import type { Search } from './searchState.ts';

/** Candidates fully evaluated per greedy step: those with the most relaxed fill. */
const GREEDY_FINALISTS = 8;

/**
 * Demand left open by a node set when each SKU takes the total stock of the set, in unit steps.
 * The fill this leaves out is an upper bound of the set's real fill (ship-together groups and
 * rejections can only lower it), so it filters moves cheaply before a full evaluation.
 */
function relaxedOpen(problem: Problem, nodes: readonly number[], open: Float64Array): number {
  let filled = 0;
  for (let s = 0; s < problem.skus.length; s++) {
    const demand = problem.demand[s] ?? 0;
    let stock = 0;
    for (const index of nodes) stock += problem.candidates[index]?.avail[s] ?? 0;
    const take = stock < demand ? stock : demand;
    open[s] = demand - take;
    filled += take * (problem.milliPerStep[s] ?? 0);
  }
  return filled;
}

/** Relaxed fill that one more candidate adds to a set with the given open demand. */
function relaxedGain(problem: Problem, index: number, open: Float64Array): number {
  const candidate = problem.candidates[index];
  if (candidate === undefined) return 0;
  let gained = 0;
  for (let s = 0; s < problem.skus.length; s++) {
    const want = open[s] ?? 0;
    if (want <= 0) continue;
    const stock = candidate.avail[s] ?? 0;
    gained += (stock < want ? stock : want) * (problem.milliPerStep[s] ?? 0);
  }
  return gained;
}

/**
 * Grows a plan from the best single node, one node at a time, until it fills everything or
 * reaches the shipment limit. Each step ranks all candidates by relaxed fill gain (then tier,
 * then cost) and fully evaluates the best few.
 */
export function growGreedy(search: Search, start: number): void {
  const { problem } = search;
  const count = problem.candidates.length;
  if (search.isFull(search.singleFilled[start] ?? 0)) return;

  const open = new Float64Array(problem.skus.length);
  let chosen = [start];
  while (chosen.length < problem.maxShipments) {
    relaxedOpen(problem, chosen, open);
    search.work += count * problem.skus.length;
    const finalists = topByGain(problem, chosen, open);

    let bestNext: Evaluation | undefined;
    const trial = new Array<number>(chosen.length + 1);
    for (const index of finalists) {
      writeSorted(trial, chosen, index);
      const result = search.evaluate(trial);
      if (bestNext === undefined || compareEvaluations(result, bestNext) < 0) bestNext = copyEvaluation(result);
    }
    if (bestNext === undefined) return;
    chosen = bestNext.nodes;
    if (search.isFull(bestNext.filled)) return;
  }
}

/** Returns the candidates outside `chosen` with the largest relaxed gain, then earlier tier, then lower cost. */
function topByGain(problem: Problem, chosen: readonly number[], open: Float64Array): number[] {
  const scored: { index: number; gain: number }[] = [];
  for (let index = 0; index < problem.candidates.length; index++) {
    if (!chosen.includes(index)) scored.push({ index, gain: relaxedGain(problem, index, open) });
  }
  scored.sort((a, b) => {
    if (a.gain !== b.gain) return b.gain - a.gain;
    const left = problem.candidates[a.index];
    const right = problem.candidates[b.index];
    return (left?.tier ?? 0) - (right?.tier ?? 0) || (left?.cost ?? 0) - (right?.cost ?? 0) || a.index - b.index;
  });
  return scored.slice(0, GREEDY_FINALISTS).map((item) => item.index);
}

/** Writes `nodes` plus `index` into `target` in ascending order (`target` has one more slot). */
export function writeSorted(target: number[], nodes: readonly number[], index: number): void {
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
 * Local search from the best plan: each round tries dropping one node and replacing one node
 * with any other candidate, and moves to the best improvement found. A replacement whose relaxed
 * fill falls short of the best plan's fill cannot win and is skipped without evaluation. Stops
 * after `swapRounds` rounds or when no move improves.
 */
export function swapSearch(search: Search): void {
  const { problem, limits } = search;
  const count = problem.candidates.length;
  const open = new Float64Array(problem.skus.length);

  for (let round = 0; round < limits.swapRounds; round++) {
    const start = search.best;
    if (start === undefined) return;
    const before = copyEvaluation(start);

    for (let position = 0; position < before.count; position++) {
      const rest = before.nodes.filter((_, other) => other !== position);
      if (rest.length > 0) search.evaluate(rest);
      const restFilled = relaxedOpen(problem, rest, open);
      search.work += count * problem.skus.length;
      const trial = new Array<number>(before.count);
      for (let index = 0; index < count; index++) {
        if (before.nodes.includes(index)) continue;
        if (restFilled + relaxedGain(problem, index, open) < before.filled) continue;
        writeSorted(trial, rest, index);
        search.evaluate(trial);
      }
    }
    const after = search.best;
    if (after === undefined || compareEvaluations(after, before) >= 0) return;
  }
}
