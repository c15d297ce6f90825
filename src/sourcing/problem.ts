/**
 * The optimization problem of one rule applied to a set of lines, in arrays the search can
 * scan quickly. Built by `buildCandidates` and `buildProblem`, solved by `searchPlan`.
 */

/** A line to plan, in unit steps. */
export interface ProblemLine {
  lineId: string;
  sku: string;
  /** Index into `Problem.skus`. */
  skuIndex: number;
  quantity: number;
  /** Index into `Problem.groups` when the line must ship whole from one node with its group; -1 otherwise. */
  group: number;
}

/** Lines that ship together, whole, from one node. */
export interface AtomicGroup {
  lineIndexes: number[];
  /** Size of the group in thousandths of a unit, used to place big groups first. */
  milliUnits: number;
}

/** A node that can take part in a plan. */
export interface Candidate {
  nodeId: string;
  /** Tier position counting from 0. */
  tier: number;
  /** Shipment cost in minor units (fixed + distance + handling + cut-off penalty). */
  cost: number;
  distanceKm: number;
  afterCutoff: boolean;
  /** Units available per SKU index after safety stock, capped at the demand. */
  avail: Int32Array;
  /** Lines this node rejected earlier; undefined when none. */
  rejectedLines: ReadonlySet<string> | undefined;
}

/** Everything the search needs. Candidates are sorted by tier, then cost, then nodeId. */
export interface Problem {
  skus: string[];
  /** Demand per SKU index, in unit steps. */
  demand: Int32Array;
  /** Thousandths of a unit per unit step, per SKU index (1000 for `each`, 1 for measured units). */
  milliPerStep: Int32Array;
  lines: ProblemLine[];
  /** Ship-together groups, largest first. */
  groups: AtomicGroup[];
  /** Indexes of the lines outside groups, per SKU index, in request order. */
  divisibleLinesBySku: number[][];
  /** Demand of the lines outside groups, per SKU index. */
  divisibleDemand: Int32Array;
  /** True when some node rejected some line of this problem. */
  hasRejections: boolean;
  /** Lines outside groups in the order they are filled line by line: rejected lines first, then request order. */
  divisibleLineOrder: number[];
  tierCount: number;
  candidates: Candidate[];
  maxShipments: number;
  /** Penalty per shipment beyond the first, in minor units. */
  extraShipmentPenalty: number;
}

/** Total demand of a problem in thousandths of a unit. */
export function totalMilliUnits(problem: Problem): number {
  let total = 0;
  for (let s = 0; s < problem.skus.length; s++) total += (problem.demand[s] ?? 0) * (problem.milliPerStep[s] ?? 0);
  return total;
}
