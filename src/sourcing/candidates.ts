import type { NodeType } from '../domain/node.ts';
import type { NetworkSnapshot, NodeState } from './types.ts';
import type { CostSettings, Rule } from './ruleSchema.ts';
import type { Candidate, Problem } from './problem.ts';
import { greatCircleKm } from './geo.ts';
import { localMinutesOfDay, parseTimeOfDay } from '../domain/localTime.ts';

/** Nodes left out: groups shared from the rule index, plus groups built during the decision. */
export interface ExclusionLog {
  shared: { reason: string; nodeIds: readonly string[] }[];
  built: Map<string, string[]>;
}

/** Creates an empty exclusion log. */
export function createExclusionLog(): ExclusionLog {
  return { shared: [], built: new Map() };
}

/** Adds a node to the exclusion log under a reason. */
export function logExclusion(log: ExclusionLog, reason: string, nodeId: string): void {
  const nodeIds = log.built.get(reason);
  if (nodeIds === undefined) log.built.set(reason, [nodeId]);
  else nodeIds.push(nodeId);
}

/** Returns the log as explanation groups: shared groups first, then the others in the order first seen. */
export function exclusionGroups(log: ExclusionLog): { reason: string; nodeIds: readonly string[] }[] {
  const groups = log.shared.slice();
  for (const [reason, nodeIds] of log.built) groups.push({ reason, nodeIds });
  return groups;
}

const REJECTED_ORDER = 'rejected this order earlier';
const NO_CAPACITY = 'no shipment capacity left today';
const NO_STOCK = 'no stock of the requested SKUs after safety stock';
const BAD_CLOCK = 'invalid time zone or cut-off';
const STATUS_REASON: Readonly<Record<string, string>> = {
  paused: 'status paused; only online nodes take work',
  offline: 'status offline; only online nodes take work',
};

/** Everything needed to turn a node into a candidate for one problem. */
export interface CandidateInputs {
  network: NetworkSnapshot;
  rule: Rule;
  costs: CostSettings;
  problem: Problem;
  destination: { lat: number; lon: number };
  now: number;
  /** Safety stock in unit steps per node type, per SKU index. */
  safetySteps: Readonly<Record<NodeType, Int32Array | undefined>>;
  /** Units already promised by earlier rule attempts of the same request, keyed `nodeId \n sku`. */
  consumed: ReadonlyMap<string, number> | undefined;
  /** Lines each node rejected earlier. */
  rejectedLines: ReadonlyMap<string, ReadonlySet<string>>;
  /** Nodes that rejected the whole order earlier. */
  rejectedOrder: ReadonlySet<string>;
  log: ExclusionLog;
}

/** A node that passed the checks that need no stock lookup. */
interface PreCandidate {
  state: NodeState;
  cost: number;
  distanceKm: number;
  afterCutoff: boolean;
}

/**
 * Builds the candidates of one tier: drops nodes that rejected the order, are not online, have
 * no capacity left, are too far or past a cut-off the rule excludes, then looks up stock in
 * order of shipment cost. When `mayStopEarly` (no earlier tier has candidates), lookups stop
 * once a node that fills every line alone is found: any plan with a costlier node costs more
 * than that single shipment and fills no more. Sorted by cost, then nodeId.
 */
export function buildTierCandidates(inputs: CandidateInputs, states: readonly NodeState[], positions: Int32Array, tier: number, mayStopEarly: boolean): Candidate[] {
  const { log } = inputs;
  const candidates: Candidate[] = [];
  const ordered = preCandidates(inputs, states, positions);
  let stopAbove = Number.POSITIVE_INFINITY;

  for (let position = 0; position < ordered.length; position++) {
    const { state, cost, distanceKm, afterCutoff } = ordered[position] as PreCandidate;
    const nodeId = state.node.nodeId;
    if (cost > stopAbove) {
      const skipped = ordered.slice(position).map((item) => item.state.node.nodeId);
      log.shared.push({ reason: `not looked up: costlier than ${stopAbove}, the cost of a single node that fills every line`, nodeIds: skipped });
      break;
    }
    const avail = stockAt(inputs, nodeId, state.node.type);
    if (avail === undefined) {
      logExclusion(log, NO_STOCK, nodeId);
      continue;
    }

    const rejectedLines = inputs.rejectedLines.get(nodeId);
    candidates.push({ nodeId, tier, cost, distanceKm, afterCutoff, avail, rejectedLines });
    if (mayStopEarly && stopAbove === Number.POSITIVE_INFINITY && fillsAlone(inputs.problem, avail, rejectedLines)) stopAbove = cost;
  }
  return candidates;
}

function preCandidates(inputs: CandidateInputs, states: readonly NodeState[], positions: Int32Array): PreCandidate[] {
  const { rule, log, rejectedOrder } = inputs;
  const result: PreCandidate[] = [];

  for (const position of positions) {
    const state = states[position];
    if (state === undefined) continue;
    const node = state.node;
    if (rejectedOrder.has(node.nodeId)) {
      logExclusion(log, REJECTED_ORDER, node.nodeId);
      continue;
    }
    if (state.status !== 'online') {
      logExclusion(log, STATUS_REASON[state.status] ?? `status ${state.status}`, node.nodeId);
      continue;
    }
    if (!(state.remainingCapacity >= 1)) {
      logExclusion(log, NO_CAPACITY, node.nodeId);
      continue;
    }

    const distanceKm = greatCircleKm(node.lat, node.lon, inputs.destination.lat, inputs.destination.lon);
    if (rule.maxDistanceKm !== undefined && distanceKm > rule.maxDistanceKm) {
      logExclusion(log, `farther than ${rule.maxDistanceKm} km from the destination`, node.nodeId);
      continue;
    }

    const afterCutoff = isPastCutoff(node.timeZone, node.cutoffLocal, inputs.now);
    if (afterCutoff === undefined) {
      logExclusion(log, BAD_CLOCK, node.nodeId);
      continue;
    }
    if (afterCutoff && rule.afterCutoff === 'exclude') {
      logExclusion(log, `past its cut-off; rule "${rule.id}" excludes late nodes`, node.nodeId);
      continue;
    }

    const cost =
      inputs.costs.fixedPerShipmentMinor +
      Math.round(distanceKm * inputs.costs.perKmMinor) +
      node.handlingCostMinor +
      (afterCutoff ? inputs.costs.afterCutoffPenaltyMinor : 0);
    result.push({ state, cost, distanceKm, afterCutoff });
  }

  result.sort((a, b) => a.cost - b.cost || compareIds(a.state.node.nodeId, b.state.node.nodeId));
  return result;
}

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** True when a node's stock covers every line's demand and it rejected none of them. */
function fillsAlone(problem: Problem, avail: Int32Array, rejectedLines: ReadonlySet<string> | undefined): boolean {
  for (let s = 0; s < problem.skus.length; s++) if ((avail[s] ?? 0) < (problem.demand[s] ?? 0)) return false;
  if (rejectedLines === undefined) return true;
  for (const line of problem.lines) if (rejectedLines.has(line.lineId)) return false;
  return true;
}

/** Stock per SKU index after safety stock and earlier promises, capped at demand; undefined when all zero. */
function stockAt(inputs: CandidateInputs, nodeId: string, type: NodeType): Int32Array | undefined {
  const { problem, consumed } = inputs;
  const safety = inputs.safetySteps[type];
  let avail: Int32Array | undefined;

  for (let s = 0; s < problem.skus.length; s++) {
    const sku = problem.skus[s] as string;
    const raw = inputs.network.available(nodeId, sku);
    let units = Number.isFinite(raw) ? Math.floor(raw) : 0;
    if (safety !== undefined) units -= safety[s] ?? 0;
    if (consumed !== undefined) units -= consumed.get(`${nodeId}\n${sku}`) ?? 0;
    if (units <= 0) continue;

    const demand = problem.demand[s] ?? 0;
    avail ??= new Int32Array(problem.skus.length);
    avail[s] = units < demand ? units : demand;
  }
  return avail;
}

const cutoffMinutes = new Map<string, number | undefined>();

/** True when `now` is at or after the node's local cut-off; undefined when the zone or time is invalid. */
function isPastCutoff(timeZone: string, cutoffLocal: string, now: number): boolean | undefined {
  let cutoff = cutoffMinutes.get(cutoffLocal);
  if (cutoff === undefined && !cutoffMinutes.has(cutoffLocal)) {
    cutoff = parseTimeOfDay(cutoffLocal);
    cutoffMinutes.set(cutoffLocal, cutoff);
  }
  if (cutoff === undefined) return undefined;
  try {
    return localMinutesOfDay(timeZone, now) >= cutoff;
  } catch {
    return undefined;
  }
}
