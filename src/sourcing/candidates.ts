import type { NodeType } from '../domain/node.ts';
import type { NetworkSnapshot, NodeState } from './types.ts';
import type { CostSettings, Rule } from './ruleSchema.ts';
import type { Candidate, Problem } from './problem.ts';
import { greatCircleKm } from './geo.ts';
import { localMinutesOfDay, parseTimeOfDay } from './localTime.ts';

/** Nodes left out, grouped by reason (insertion order is deterministic). */
export type ExclusionLog = Map<string, string[]>;

/** Adds a node to the exclusion log under a reason. */
export function logExclusion(log: ExclusionLog, reason: string, nodeId: string): void {
  const nodeIds = log.get(reason);
  if (nodeIds === undefined) log.set(reason, [nodeId]);
  else nodeIds.push(nodeId);
}

/** Returns the tier position of a node under a rule, or -1 when no tier includes it. */
function tierOf(rule: Rule, state: NodeState): number {
  const node = state.node;
  for (let tier = 0; tier < rule.tiers.length; tier++) {
    const spec = rule.tiers[tier];
    if (spec === undefined) continue;
    if (spec.types.includes(node.type) || spec.nodes.includes(node.nodeId)) return tier;
    if (spec.groups.length > 0 && node.groups.some((group) => spec.groups.includes(group))) return tier;
  }
  return -1;
}

/**
 * Sorts the network's nodes into the rule's tiers after the checks that need no stock lookup:
 * tier membership, the rule's exclusions, earlier rejections of the whole order, status and
 * remaining capacity. Everything left out is logged with its reason.
 */
export function classifyNodes(network: NetworkSnapshot, rule: Rule, rejectedOrder: ReadonlySet<string>, log: ExclusionLog): NodeState[][] {
  const byTier: NodeState[][] = rule.tiers.map(() => []);
  const excludedNodes = rule.exclude.nodes;
  const excludedGroups = rule.exclude.groups;

  for (const state of network.nodes) {
    const node = state.node;
    const tier = tierOf(rule, state);
    if (tier < 0) logExclusion(log, `type ${node.type} and groups in no tier of rule "${rule.id}"`, node.nodeId);
    else if (excludedNodes.includes(node.nodeId)) logExclusion(log, `excluded by rule "${rule.id}"`, node.nodeId);
    else if (excludedGroups.length > 0 && node.groups.some((group) => excludedGroups.includes(group))) logExclusion(log, `in a group excluded by rule "${rule.id}"`, node.nodeId);
    else if (rejectedOrder.has(node.nodeId)) logExclusion(log, 'rejected this order earlier', node.nodeId);
    else if (state.status !== 'online') logExclusion(log, `status ${state.status}; only online nodes take work`, node.nodeId);
    else if (!(state.remainingCapacity >= 1)) logExclusion(log, 'no shipment capacity left today', node.nodeId);
    else byTier[tier]?.push(state);
  }
  return byTier;
}

/** Everything needed to turn a node into a candidate for one problem. */
export interface CandidateInputs {
  network: NetworkSnapshot;
  rule: Rule;
  costs: CostSettings;
  problem: Problem;
  destination: { lat: number; lon: number };
  now: number;
  /** Safety stock in unit steps per node type, per SKU index. */
  safetySteps: Readonly<Record<NodeType, Int32Array>>;
  /** Units already promised by earlier rule attempts of the same request, keyed `nodeId \n sku`. */
  consumed: ReadonlyMap<string, number> | undefined;
  /** Lines each node rejected earlier. */
  rejectedLines: ReadonlyMap<string, ReadonlySet<string>>;
  log: ExclusionLog;
}

/** Builds the candidates of one tier (stock, distance and cut-off checks), sorted by cost then nodeId. */
export function buildTierCandidates(inputs: CandidateInputs, states: readonly NodeState[], tier: number): Candidate[] {
  const { rule, log } = inputs;
  const candidates: Candidate[] = [];

  for (const state of states) {
    const node = state.node;
    const distanceKm = greatCircleKm(node.lat, node.lon, inputs.destination.lat, inputs.destination.lon);
    if (rule.maxDistanceKm !== undefined && distanceKm > rule.maxDistanceKm) {
      logExclusion(log, `farther than ${rule.maxDistanceKm} km from the destination`, node.nodeId);
      continue;
    }

    const avail = stockAt(inputs, node.nodeId, node.type);
    if (avail === undefined) {
      logExclusion(log, 'no stock of the requested SKUs after safety stock', node.nodeId);
      continue;
    }

    const afterCutoff = isPastCutoff(node.timeZone, node.cutoffLocal, inputs.now);
    if (afterCutoff === undefined) {
      logExclusion(log, 'invalid time zone or cut-off', node.nodeId);
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
    candidates.push({ nodeId: node.nodeId, tier, cost, distanceKm, afterCutoff, avail, rejectedLines: inputs.rejectedLines.get(node.nodeId) });
  }

  candidates.sort((a, b) => a.cost - b.cost || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  return candidates;
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
    units -= safety[s] ?? 0;
    if (consumed !== undefined) units -= consumed.get(`${nodeId}\n${sku}`) ?? 0;
    if (units <= 0) continue;

    const demand = problem.demand[s] ?? 0;
    avail ??= new Int32Array(problem.skus.length);
    avail[s] = units < demand ? units : demand;
  }
  return avail;
}

/** True when `now` is at or after the node's local cut-off; undefined when the zone or time is invalid. */
function isPastCutoff(timeZone: string, cutoffLocal: string, now: number): boolean | undefined {
  const cutoff = parseTimeOfDay(cutoffLocal);
  if (cutoff === undefined) return undefined;
  try {
    return localMinutesOfDay(timeZone, now) >= cutoff;
  } catch {
    return undefined;
  }
}
