import type { CostSettings, Rule, RuleSet } from './ruleSchema.ts';
import type { Backorder, PlannedShipment, SourcingRequest } from './types.ts';
import type { AttemptExplanation } from './explanation.ts';
import type { Candidate, Problem } from './problem.ts';
import { totalMilliUnits } from './problem.ts';
import type { LineToPlan } from './buildProblem.ts';
import { buildProblem } from './buildProblem.ts';
import { buildTierCandidates, createExclusionLog, exclusionGroups } from './candidates.ts';
import type { CandidateInputs } from './candidates.ts';
import { ruleIndexFor } from './ruleIndex.ts';
import type { RuleIndex } from './ruleIndex.ts';
import type { ExclusionLog } from './candidates.ts';
import { createScratch, evaluateSubset } from './evaluate.ts';
import type { Assignment } from './evaluate.ts';
import { searchPlan } from './search.ts';
import type { SearchLimits, SearchResult } from './search.ts';

/** State shared by every attempt of one request. */
export interface AttemptContext {
  request: SourcingRequest;
  ruleSet: RuleSet;
  rejectedOrder: ReadonlySet<string>;
  rejectedLines: ReadonlyMap<string, ReadonlySet<string>>;
  rejectedLineIds: ReadonlySet<string>;
  /** Units promised by earlier attempts of this request, keyed `nodeId \n sku`; undefined with a single attempt. */
  consumed: Map<string, number> | undefined;
  limits: SearchLimits;
}

/** Outcome of applying one rule to a set of lines. */
export interface AttemptResult {
  /** Undefined when the rule found a plan it accepts; otherwise why it did not fit. */
  noFitReason: string | undefined;
  shipments: PlannedShipment[];
  backorders: Backorder[];
  explanation: AttemptExplanation;
}

/**
 * Applies one rule to lines: searches tier 1 alone, then tiers 1-2, and so on until a plan
 * fills everything (or the tiers run out), then turns the best node subset into shipments.
 */
export function attemptRule(context: AttemptContext, rule: Rule, lines: readonly LineToPlan[]): AttemptResult {
  const { request } = context;
  const costs = ruleCosts(context.ruleSet, rule);
  const { problem, safetySteps } = buildProblem(lines, rule, costs.extraShipmentPenaltyMinor, context.rejectedLineIds);
  const log: ExclusionLog = createExclusionLog();
  const states = request.network.nodes;
  const index = ruleIndexFor(states, rule);
  log.shared.push(...index.staticExclusions);
  const inputs: CandidateInputs = { network: request.network, rule, costs, problem, destination: request.order.destination, now: request.now, safetySteps, consumed: context.consumed, rejectedLines: context.rejectedLines, rejectedOrder: context.rejectedOrder, log };

  const demand = totalMilliUnits(problem);
  const { search, tiersSearched } = searchTiers(context, inputs, index, demand);
  for (let tier = tiersSearched; tier < rule.tiers.length; tier++) {
    const nodeIds = index.tierNodeIds[tier] ?? [];
    if (nodeIds.length > 0) log.shared.push({ reason: `tier ${tier + 1} not searched: earlier tiers fill every line`, nodeIds });
  }

  const explanation: AttemptExplanation = {
    ruleId: rule.id,
    lineIds: lines.map(({ line }) => line.lineId),
    result: 'planned',
    tiersSearched,
    search: search.exact ? 'exact' : 'heuristic',
    subsetsEvaluated: search.evaluated,
    candidates: problem.candidates.map((candidate) => ({
      nodeId: candidate.nodeId,
      tier: candidate.tier + 1,
      distanceKm: roundKm(candidate.distanceKm),
      shipmentCostMinor: candidate.cost,
      afterCutoff: candidate.afterCutoff,
    })),
    plansConsidered: search.top.map((plan) => ({
      nodeIds: plan.nodes.map((index) => problem.candidates[index]?.nodeId ?? ''),
      filledMilliUnits: plan.filled,
      totalCostMinor: plan.cost,
    })),
    excluded: exclusionGroups(log),
  };

  const best = search.best;
  const noFitReason = explainNoFit(rule, problem, best?.filled ?? 0, demand);
  if (noFitReason !== undefined || best === undefined) {
    return { noFitReason: noFitReason ?? 'no plan found', shipments: [], backorders: [], explanation };
  }

  const assignments: Assignment[] = [];
  evaluateSubset(problem, best.nodes, createScratch(problem), assignments);
  return {
    noFitReason: undefined,
    shipments: toShipments(problem, assignments),
    backorders: toBackorders(problem, assignments, rule),
    explanation,
  };
}

/**
 * Adds the rule's tiers to the candidates one at a time and searches each prefix, until a plan
 * fills everything. A prefix whose total stock cannot fill everything is not searched unless it
 * is the last, because no plan in it could stop the loop.
 */
function searchTiers(context: AttemptContext, inputs: CandidateInputs, index: RuleIndex, demand: number): { search: SearchResult; tiersSearched: number } {
  const { problem, rule } = inputs;
  const tierCount = rule.tiers.length;
  const stockSum = new Float64Array(problem.skus.length);
  let search: SearchResult = { best: undefined, exact: true, evaluated: 0, top: [] };
  let tiersSearched = 0;
  let searched = 0;

  for (let tier = 0; tier < tierCount; tier++) {
    const added = buildTierCandidates(inputs, context.request.network.nodes, index.tierPositions[tier] ?? new Int32Array(0), tier, problem.candidates.length === 0);
    tiersSearched = tier + 1;
    if (added.length === 0) continue;
    problem.candidates.push(...added);
    if (!addStock(problem, added, stockSum) && tier < tierCount - 1) continue;

    search = searchPlan(problem, context.limits);
    searched = problem.candidates.length;
    if ((search.best?.filled ?? 0) >= demand) break;
  }
  if (searched < problem.candidates.length) search = searchPlan(problem, context.limits);
  return { search, tiersSearched };
}

/** Returns the rule set's costs with the rule's overrides applied. */
export function ruleCosts(ruleSet: RuleSet, rule: Rule | undefined): CostSettings {
  const costs = { ...ruleSet.costs };
  const overrides = rule?.costs ?? {};
  for (const key of Object.keys(costs) as (keyof CostSettings)[]) {
    const value = overrides[key];
    if (value !== undefined) costs[key] = value;
  }
  return costs;
}

/** Adds candidates' stock to per-SKU totals; returns true when the totals cover every SKU's demand. */
function addStock(problem: Problem, added: readonly Candidate[], stockSum: Float64Array): boolean {
  for (const candidate of added) for (let s = 0; s < stockSum.length; s++) stockSum[s] = (stockSum[s] ?? 0) + (candidate.avail[s] ?? 0);
  for (let s = 0; s < stockSum.length; s++) if ((stockSum[s] ?? 0) < (problem.demand[s] ?? 0)) return false;
  return true;
}

function roundKm(km: number): number {
  return Math.round(km * 10) / 10;
}

/** Returns why the rule does not accept its best plan, or undefined when it does. */
function explainNoFit(rule: Rule, problem: Problem, filled: number, demand: number): string | undefined {
  if (demand === 0) return undefined;
  if (filled === 0) {
    return problem.candidates.length === 0
      ? `rule "${rule.id}": no eligible node holds stock of the requested SKUs`
      : `rule "${rule.id}": no plan within ${problem.maxShipments} shipment(s) fills any line${problem.groups.length > 0 ? '; grouped lines must ship whole from one node' : ''}`;
  }
  if (filled >= demand) return undefined;
  if (rule.split.mode === 'ship_complete') return `rule "${rule.id}": no single node can ship every line complete`;
  if (!rule.split.allowPartial) return `rule "${rule.id}": the best plan fills ${filled / 1000} of ${demand / 1000} units and the rule allows no partial plan`;
  return undefined;
}

/** Groups assignments into one shipment per node, lines in request order. */
function toShipments(problem: Problem, assignments: readonly Assignment[]): PlannedShipment[] {
  const byCandidate = new Map<number, Map<number, number>>();
  for (const { candidate, line, quantity } of assignments) {
    if (quantity <= 0) continue;
    let lines = byCandidate.get(candidate);
    if (lines === undefined) byCandidate.set(candidate, (lines = new Map<number, number>()));
    lines.set(line, (lines.get(line) ?? 0) + quantity);
  }

  const shipments: PlannedShipment[] = [];
  for (const candidateIndex of [...byCandidate.keys()].sort((a, b) => a - b)) {
    const candidate = problem.candidates[candidateIndex] as Candidate;
    const lines = byCandidate.get(candidateIndex) ?? new Map<number, number>();
    shipments.push({
      nodeId: candidate.nodeId,
      lines: [...lines.keys()].sort((a, b) => a - b).map((index) => {
        const line = problem.lines[index];
        return { lineId: line?.lineId ?? '', sku: line?.sku ?? '', quantity: lines.get(index) ?? 0 };
      }),
      distanceKm: roundKm(candidate.distanceKm),
      costMinor: candidate.cost,
      afterCutoff: candidate.afterCutoff,
    });
  }
  return shipments;
}

/** Returns the unfilled remainder of each line, with the most specific reason the candidates support. */
function toBackorders(problem: Problem, assignments: readonly Assignment[], rule: Rule): Backorder[] {
  const assigned = new Float64Array(problem.lines.length);
  for (const { line, quantity } of assignments) assigned[line] = (assigned[line] ?? 0) + quantity;

  const backorders: Backorder[] = [];
  problem.lines.forEach((line, index) => {
    const open = line.quantity - (assigned[index] ?? 0);
    if (open <= 0) return;

    let stock = 0;
    for (const candidate of problem.candidates) if (candidate.rejectedLines?.has(line.lineId) !== true) stock += candidate.avail[line.skuIndex] ?? 0;
    let reason: string;
    if (stock === 0) reason = `no stock at any eligible node under rule "${rule.id}"`;
    else if (stock < (problem.demand[line.skuIndex] ?? 0)) reason = `only ${stock} unit steps available at eligible nodes under rule "${rule.id}"`;
    else if (line.group >= 0) reason = `no node within ${problem.maxShipments} shipment(s) can ship the line whole with its group`;
    else reason = `shipment limit of ${problem.maxShipments} reached; stock remains at other nodes`;
    backorders.push({ lineId: line.lineId, sku: line.sku, quantity: open, reason });
  });
  return backorders;
}
