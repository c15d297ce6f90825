import { parseRuleSet } from '../../src/sourcing/parseRuleSet.ts';
import { buildProblem } from '../../src/sourcing/buildProblem.ts';
import type { LineToPlan } from '../../src/sourcing/buildProblem.ts';
import type { Candidate, Problem } from '../../src/sourcing/problem.ts';
import { asSku } from '../../src/domain/ids.ts';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every instance can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Size limits of a random instance. */
export interface InstanceShape {
  maxNodes: number;
  maxSkus: number;
  maxLines: number;
  tiers: number;
  /** Put some lines into ship-together groups. */
  groups: boolean;
}

/** A small default shape: up to 8 nodes, 4 SKUs, 5 lines, 2 tiers, no groups. */
export const SMALL_SHAPE: InstanceShape = { maxNodes: 8, maxSkus: 4, maxLines: 5, tiers: 2, groups: false };

/**
 * Builds a random problem (lines, candidates with stock and costs, shipment limit) from a seed,
 * through the same `buildProblem` the planner uses.
 */
export function randomProblem(seed: number, shape: InstanceShape = SMALL_SHAPE): Problem {
  const random = seededRandom(seed);
  const pick = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

  const skuCount = pick(1, shape.maxSkus);
  const lineCount = pick(1, shape.maxLines);
  const lines: LineToPlan[] = [];
  for (let index = 0; index < lineCount; index++) {
    const kit = shape.groups && random() < 0.4 ? `kit-${pick(1, 2)}` : undefined;
    const attributes = kit === undefined ? undefined : { kit };
    const line = { lineId: `l${index}`, sku: `S${pick(0, skuCount - 1)}`, quantity: pick(1, 4) };
    lines.push({ line, orderLine: { ...line, sku: asSku(line.sku), unit: 'each', unitPriceMinor: 100, ...(attributes === undefined ? {} : { attributes }) } });
  }

  const maxShipments = pick(1, 3);
  const rule = parseRuleSet({
    version: 1,
    rules: [{ id: 'random', tiers: Array.from({ length: shape.tiers }, () => 'DC'), split: { maxShipments, ...(shape.groups ? { shipTogetherAttribute: 'kit' } : {}) } }],
  }).rules[0]!;
  const { problem } = buildProblem(lines, rule, pick(0, 4) * 100, new Set());

  const nodeCount = pick(1, shape.maxNodes);
  const candidates: Candidate[] = [];
  for (let index = 0; index < nodeCount; index++) {
    const avail = new Int32Array(problem.skus.length);
    for (let s = 0; s < avail.length; s++) avail[s] = random() < 0.4 ? 0 : Math.min(pick(1, 6), problem.demand[s] ?? 0);
    candidates.push({
      nodeId: `N${String(index).padStart(2, '0')}`,
      tier: pick(0, shape.tiers - 1),
      cost: pick(5, 40) * 50 + pick(0, 49),
      distanceKm: 0,
      afterCutoff: false,
      avail,
      rejectedLines: undefined,
    });
  }
  candidates.sort((a, b) => a.tier - b.tier || a.cost - b.cost || (a.nodeId < b.nodeId ? -1 : 1));
  problem.candidates.push(...candidates);
  return problem;
}
