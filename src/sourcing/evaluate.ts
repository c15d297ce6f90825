import type { Problem } from './problem.ts';

/** Fill and cost of one node subset. Tier fill is what makes earlier tiers preferred. */
export interface Evaluation {
  /** Candidate indexes, ascending (so in tier, cost, nodeId order); only the first `count` are meaningful. */
  nodes: number[];
  /** Number of nodes in the subset. */
  count: number;
  /** Quantity filled, in thousandths of a unit. */
  filled: number;
  /** Quantity filled per tier, in thousandths of a unit. */
  tierFilled: number[];
  /** Sum of shipment costs plus the extra-shipment penalty, in minor units. */
  cost: number;
}

/** Quantity of one line planned at one candidate. */
export interface Assignment {
  candidate: number;
  line: number;
  quantity: number;
}

/** Reusable buffers so that evaluating a subset allocates nothing. */
export interface Scratch {
  evaluation: Evaluation;
  remaining: Int32Array;
}

/** Allocates the buffers for a problem. */
export function createScratch(problem: Problem): Scratch {
  return {
    evaluation: { nodes: new Array<number>(problem.maxShipments).fill(0), count: 0, filled: 0, tierFilled: new Array<number>(problem.tierCount).fill(0), cost: 0 },
    remaining: new Int32Array(problem.maxShipments * problem.skus.length),
  };
}

/** Copies an evaluation so the scratch can be reused. */
export function copyEvaluation(evaluation: Evaluation): Evaluation {
  return { nodes: evaluation.nodes.slice(0, evaluation.count), count: evaluation.count, filled: evaluation.filled, tierFilled: evaluation.tierFilled.slice(), cost: evaluation.cost };
}

/**
 * Computes the fill and cost of a node subset into `scratch.evaluation`, and the per-line
 * quantities into `assignments` when given. Per SKU, nodes are drawn in tier, cost, nodeId order,
 * which maximizes the fill of each tier in turn. Ship-together groups and lines that may not split
 * are placed first, each whole at the first node that can take it (first fit).
 */
export function evaluateSubset(problem: Problem, subset: readonly number[], scratch: Scratch, assignments?: Assignment[]): Evaluation {
  const result = scratch.evaluation;
  const nodes = result.nodes;
  result.count = subset.length;
  result.filled = 0;
  result.tierFilled.fill(0);
  result.cost = subset.length === 0 ? 0 : problem.extraShipmentPenalty * (subset.length - 1);
  for (let position = 0; position < subset.length; position++) {
    const node = subset[position] ?? 0;
    nodes[position] = node;
    result.cost += problem.candidates[node]?.cost ?? 0;
  }

  if (problem.groups.length === 0 && !problem.hasRejections) {
    fillBySku(problem, subset, undefined, result, assignments);
    return result;
  }

  const remaining = loadRemaining(problem, subset, scratch);
  placeGroups(problem, subset, remaining, result, assignments);
  if (problem.hasRejections) fillByLine(problem, subset, remaining, result, assignments);
  else fillBySku(problem, subset, remaining, result, assignments);
  return result;
}

function loadRemaining(problem: Problem, nodes: readonly number[], scratch: Scratch): Int32Array {
  const skuCount = problem.skus.length;
  const remaining = scratch.remaining;
  for (let position = 0; position < nodes.length; position++) {
    const candidate = problem.candidates[nodes[position] ?? 0];
    if (candidate !== undefined) remaining.set(candidate.avail, position * skuCount);
  }
  return remaining;
}

/** Greedy per SKU over the divisible lines; `remaining` is undefined when nothing was placed before. */
function fillBySku(problem: Problem, nodes: readonly number[], remaining: Int32Array | undefined, result: Evaluation, assignments: Assignment[] | undefined): void {
  const skuCount = problem.skus.length;
  const candidates = problem.candidates;
  const demand = remaining === undefined ? problem.demand : problem.divisibleDemand;

  for (let s = 0; s < skuCount; s++) {
    let open = demand[s] ?? 0;
    if (open === 0) continue;
    const milli = problem.milliPerStep[s] ?? 0;

    for (let position = 0; position < nodes.length && open > 0; position++) {
      const index = nodes[position] ?? 0;
      const candidate = candidates[index];
      if (candidate === undefined) continue;
      const available = remaining === undefined ? (candidate.avail[s] ?? 0) : (remaining[position * skuCount + s] ?? 0);
      if (available <= 0) continue;

      const take = available < open ? available : open;
      open -= take;
      result.filled += take * milli;
      result.tierFilled[candidate.tier] = (result.tierFilled[candidate.tier] ?? 0) + take * milli;
      if (remaining !== undefined) remaining[position * skuCount + s] = available - take;
      if (assignments !== undefined) assignSkuToLines(problem, s, index, take, assignments);
    }
  }
}

/** Spreads a SKU quantity from one candidate over the SKU's divisible lines, earlier lines first. */
function assignSkuToLines(problem: Problem, skuIndex: number, candidate: number, quantity: number, assignments: Assignment[]): void {
  const assigned = assignedPerLine(problem, assignments);
  let left = quantity;
  for (const line of problem.divisibleLinesBySku[skuIndex] ?? []) {
    if (left === 0) break;
    const planned = problem.lines[line];
    if (planned === undefined) continue;

    const open = planned.quantity - (assigned[line] ?? 0);
    if (open <= 0) continue;
    const take = open < left ? open : left;
    assignments.push({ candidate, line, quantity: take });
    assigned[line] = (assigned[line] ?? 0) + take;
    left -= take;
  }
}

const assignedTotals = new WeakMap<Assignment[], Int32Array>();

/** Running total assigned per line, kept beside an assignment list while it is filled. */
function assignedPerLine(problem: Problem, assignments: Assignment[]): Int32Array {
  let totals = assignedTotals.get(assignments);
  if (totals === undefined) {
    totals = new Int32Array(problem.lines.length);
    for (const assignment of assignments) totals[assignment.line] = (totals[assignment.line] ?? 0) + assignment.quantity;
    assignedTotals.set(assignments, totals);
  }
  return totals;
}

/**
 * Places each ship-together group, whole, at the first node (in tier, cost order) that can take
 * it. A group that fits nowhere gets one repair try: move one placed group to another node of
 * the subset so that the new group fits where it was.
 */
function placeGroups(problem: Problem, nodes: readonly number[], remaining: Int32Array, result: Evaluation, assignments: Assignment[] | undefined): void {
  const skuCount = problem.skus.length;
  const placedAt = new Int32Array(problem.groups.length).fill(-1);
  const fits = (group: number, position: number): boolean => {
    const candidate = problem.candidates[nodes[position] ?? 0];
    return candidate !== undefined && takeGroup(problem, problem.groups[group]?.lineIndexes ?? [], candidate.rejectedLines, remaining, position * skuCount);
  };
  const giveBack = (group: number, position: number): void => {
    for (const lineIndex of problem.groups[group]?.lineIndexes ?? []) {
      const line = problem.lines[lineIndex];
      if (line !== undefined) remaining[position * skuCount + line.skuIndex] = (remaining[position * skuCount + line.skuIndex] ?? 0) + line.quantity;
    }
  };

  for (let group = 0; group < problem.groups.length; group++) {
    for (let position = 0; position < nodes.length && placedAt[group] === -1; position++) {
      if (fits(group, position)) placedAt[group] = position;
    }
    if (placedAt[group] === -1) repairPlacement(group, placedAt, nodes.length, fits, giveBack);
  }

  for (let group = 0; group < problem.groups.length; group++) {
    const position = placedAt[group] ?? -1;
    const candidate = problem.candidates[nodes[position] ?? -1];
    const spec = problem.groups[group];
    if (position < 0 || candidate === undefined || spec === undefined) continue;
    result.filled += spec.milliUnits;
    result.tierFilled[candidate.tier] = (result.tierFilled[candidate.tier] ?? 0) + spec.milliUnits;
    if (assignments !== undefined) {
      for (const line of spec.lineIndexes) assignments.push({ candidate: nodes[position] ?? 0, line, quantity: problem.lines[line]?.quantity ?? 0 });
    }
  }
}

/** Tries to make room for `group` by moving one placed group to another position; updates `placedAt` on success. */
function repairPlacement(
  group: number,
  placedAt: Int32Array,
  positions: number,
  fits: (group: number, position: number) => boolean,
  giveBack: (group: number, position: number) => void,
): void {
  for (let other = 0; other < group; other++) {
    const from = placedAt[other] ?? -1;
    if (from < 0) continue;
    giveBack(other, from);
    if (fits(group, from)) {
      for (let to = 0; to < positions; to++) {
        if (to === from || !fits(other, to)) continue;
        placedAt[group] = from;
        placedAt[other] = to;
        return;
      }
      giveBack(group, from);
    }
    if (!fits(other, from)) throw new Error(`group ${other} no longer fits at position ${from} after a failed repair; expected its stock to be restored`);
  }
}

/** Deducts a whole group from one node's remaining stock; restores it and returns false when it does not fit. */
function takeGroup(problem: Problem, lineIndexes: readonly number[], rejected: ReadonlySet<string> | undefined, remaining: Int32Array, offset: number): boolean {
  let taken = 0;
  for (const lineIndex of lineIndexes) {
    const line = problem.lines[lineIndex];
    if (line === undefined) continue;
    const slot = offset + line.skuIndex;
    if (rejected?.has(line.lineId) === true || (remaining[slot] ?? 0) < line.quantity) break;
    remaining[slot] = (remaining[slot] ?? 0) - line.quantity;
    taken++;
  }
  if (taken === lineIndexes.length) return true;

  for (let undo = 0; undo < taken; undo++) {
    const line = problem.lines[lineIndexes[undo] ?? 0];
    if (line !== undefined) remaining[offset + line.skuIndex] = (remaining[offset + line.skuIndex] ?? 0) + line.quantity;
  }
  return false;
}

/** Greedy per divisible line (needed when some nodes rejected some lines); lines with rejections go first. */
function fillByLine(problem: Problem, nodes: readonly number[], remaining: Int32Array, result: Evaluation, assignments: Assignment[] | undefined): void {
  const skuCount = problem.skus.length;

  for (const lineIndex of problem.divisibleLineOrder) {
    const line = problem.lines[lineIndex];
    if (line === undefined) continue;
    let open = line.quantity;
    const milli = problem.milliPerStep[line.skuIndex] ?? 0;

    for (let position = 0; position < nodes.length && open > 0; position++) {
      const index = nodes[position] ?? 0;
      const candidate = problem.candidates[index];
      if (candidate === undefined || candidate.rejectedLines?.has(line.lineId) === true) continue;
      const slot = position * skuCount + line.skuIndex;
      const available = remaining[slot] ?? 0;
      if (available <= 0) continue;

      const take = available < open ? available : open;
      open -= take;
      remaining[slot] = available - take;
      result.filled += take * milli;
      result.tierFilled[candidate.tier] = (result.tierFilled[candidate.tier] ?? 0) + take * milli;
      assignments?.push({ candidate: index, line: lineIndex, quantity: take });
    }
  }
}
