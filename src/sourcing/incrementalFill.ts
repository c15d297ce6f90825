import type { Problem } from './problem.ts';
import type { Evaluation } from './evaluate.ts';

/**
 * Fill of a subset that grows one node at a time in candidate order, as branch and bound
 * visits it. Each added node can only take what the earlier ones left open, so adding it costs
 * one pass over the SKUs instead of a full evaluation. Valid only without ship-together groups
 * and per-line rejections (`IncrementalFill.applies`).
 */
export class IncrementalFill {
  private readonly skuCount: number;
  private readonly tierCount: number;
  /** Open demand per depth and SKU: open[depth * skus + s]; depth 0 is the whole demand. */
  private readonly open: Float64Array;
  private readonly filled: Float64Array;
  private readonly tierFilled: Float64Array;

  /** True when the problem has no groups and no rejections. */
  static applies(problem: Problem): boolean {
    return problem.groups.length === 0 && !problem.hasRejections;
  }

  constructor(private readonly problem: Problem) {
    const depths = problem.maxShipments + 1;
    this.skuCount = problem.skus.length;
    this.tierCount = problem.tierCount;
    this.open = new Float64Array(depths * this.skuCount);
    this.filled = new Float64Array(depths);
    this.tierFilled = new Float64Array(depths * this.tierCount);
    for (let s = 0; s < this.skuCount; s++) this.open[s] = problem.demand[s] ?? 0;
  }

  /** Computes depth + 1 as depth plus the candidate and returns the new fill in thousandths of a unit. */
  add(depth: number, candidateIndex: number): number {
    const { skuCount, tierCount, problem } = this;
    const candidate = problem.candidates[candidateIndex];
    const from = depth * skuCount;
    const to = from + skuCount;
    let gained = 0;
    for (let s = 0; s < skuCount; s++) {
      const open = this.open[from + s] ?? 0;
      const stock = candidate?.avail[s] ?? 0;
      const take = stock < open ? stock : open;
      this.open[to + s] = open - take;
      gained += take * (problem.milliPerStep[s] ?? 0);
    }

    for (let tier = 0; tier < tierCount; tier++) this.tierFilled[(depth + 1) * tierCount + tier] = this.tierFilled[depth * tierCount + tier] ?? 0;
    const tierSlot = (depth + 1) * tierCount + (candidate?.tier ?? 0);
    this.tierFilled[tierSlot] = (this.tierFilled[tierSlot] ?? 0) + gained;
    this.filled[depth + 1] = (this.filled[depth] ?? 0) + gained;
    return this.filled[depth + 1] ?? 0;
  }

  /** Writes the subset at `depth` (its nodes are `nodes`, its cost `cost`) into `target`. */
  write(depth: number, nodes: readonly number[], cost: number, target: Evaluation): Evaluation {
    target.count = nodes.length;
    for (let position = 0; position < nodes.length; position++) target.nodes[position] = nodes[position] ?? 0;
    target.filled = this.filled[depth] ?? 0;
    for (let tier = 0; tier < this.tierCount; tier++) target.tierFilled[tier] = this.tierFilled[depth * this.tierCount + tier] ?? 0;
    target.cost = cost;
    return target;
  }
}
