import type { Problem } from './problem.ts';
import type { Evaluation } from './evaluate.ts';

/**
 * Upper bounds for branch and bound over a pool of candidates (ascending indexes, so in tier,
 * cost order). The bound relaxes the shipment limit and ship-together groups: it fills each SKU
 * from all allowed nodes tier by tier, which no real subset can beat in `compareEvaluations` order.
 */
export class FillBound {
  private readonly skuCount: number;
  /** Stock per pool position and SKU summed over positions >= p, per tier: suffix[(p * tiers + t) * skus + s]. */
  private readonly suffix: Float64Array;
  private readonly open: Float64Array;
  /** Stock of the chosen nodes per tier and SKU: chosen[t * skus + s]. */
  private readonly chosen: Float64Array;
  readonly tierFilled: number[];
  filled = 0;

  constructor(private readonly problem: Problem, private readonly pool: readonly number[]) {
    const skus = problem.skus.length;
    const tiers = problem.tierCount;
    this.skuCount = skus;
    this.suffix = new Float64Array((pool.length + 1) * tiers * skus);
    this.open = new Float64Array(skus);
    this.chosen = new Float64Array(tiers * skus);
    this.tierFilled = new Array<number>(tiers).fill(0);

    for (let position = pool.length - 1; position >= 0; position--) {
      const candidate = problem.candidates[pool[position] ?? 0];
      if (candidate === undefined) continue;
      const here = position * tiers * skus;
      const next = (position + 1) * tiers * skus;
      for (let slot = 0; slot < tiers * skus; slot++) this.suffix[here + slot] = this.suffix[next + slot] ?? 0;
      for (let s = 0; s < skus; s++) {
        const slot = here + candidate.tier * skus + s;
        this.suffix[slot] = (this.suffix[slot] ?? 0) + (candidate.avail[s] ?? 0);
      }
    }
  }

  /** Computes the relaxed fill of `chosen` (candidate indexes) plus every pool position >= `from`. */
  compute(chosen: readonly number[], from: number): void {
    const { problem, skuCount } = this;
    const tiers = problem.tierCount;
    const base = from * tiers * skuCount;
    this.chosen.fill(0);
    for (const index of chosen) {
      const candidate = problem.candidates[index];
      if (candidate === undefined) continue;
      const offset = candidate.tier * skuCount;
      for (let s = 0; s < skuCount; s++) this.chosen[offset + s] = (this.chosen[offset + s] ?? 0) + (candidate.avail[s] ?? 0);
    }
    this.filled = 0;
    this.tierFilled.fill(0);
    for (let s = 0; s < skuCount; s++) this.open[s] = problem.demand[s] ?? 0;

    for (let tier = 0; tier < tiers; tier++) {
      const offset = tier * skuCount;
      let tierFilled = 0;
      for (let s = 0; s < skuCount; s++) {
        const open = this.open[s] ?? 0;
        if (open <= 0) continue;
        const stock = (this.suffix[base + offset + s] ?? 0) + (this.chosen[offset + s] ?? 0);
        const take = stock < open ? stock : open;
        this.open[s] = open - take;
        tierFilled += take * (problem.milliPerStep[s] ?? 0);
      }
      this.tierFilled[tier] = tierFilled;
      this.filled += tierFilled;
    }
  }

  /** Compares the last computed bound with an evaluation's fill: negative when the bound is better, 0 when equal. */
  compareFill(evaluation: Evaluation): number {
    if (this.filled !== evaluation.filled) return evaluation.filled - this.filled;
    for (let tier = 0; tier < this.tierFilled.length; tier++) {
      const difference = (evaluation.tierFilled[tier] ?? 0) - (this.tierFilled[tier] ?? 0);
      if (difference !== 0) return difference;
    }
    return 0;
  }
}

/** Cheapest shipment cost at each pool position and after it; the last entry is +Infinity. */
export function suffixMinCost(problem: Problem, pool: readonly number[]): Float64Array {
  const minCost = new Float64Array(pool.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let position = pool.length - 1; position >= 0; position--) {
    minCost[position] = Math.min(minCost[position + 1] ?? Number.POSITIVE_INFINITY, problem.candidates[pool[position] ?? 0]?.cost ?? Number.POSITIVE_INFINITY);
  }
  return minCost;
}

/** Relaxed fill of the whole pool (every node at once, tier by tier), in thousandths of a unit. */
export function relaxedPoolFill(problem: Problem, pool: readonly number[]): { filled: number; tierFilled: number[] } {
  const skus = problem.skus.length;
  const stock = new Float64Array(problem.tierCount * skus);
  for (const index of pool) {
    const candidate = problem.candidates[index];
    if (candidate === undefined) continue;
    for (let s = 0; s < skus; s++) stock[candidate.tier * skus + s] = (stock[candidate.tier * skus + s] ?? 0) + (candidate.avail[s] ?? 0);
  }

  const tierFilled = new Array<number>(problem.tierCount).fill(0);
  let filled = 0;
  for (let s = 0; s < skus; s++) {
    let open = problem.demand[s] ?? 0;
    const milli = problem.milliPerStep[s] ?? 0;
    for (let tier = 0; tier < problem.tierCount && open > 0; tier++) {
      const available = stock[tier * skus + s] ?? 0;
      const take = available < open ? available : open;
      open -= take;
      tierFilled[tier] = (tierFilled[tier] ?? 0) + take * milli;
      filled += take * milli;
    }
  }
  return { filled, tierFilled };
}
