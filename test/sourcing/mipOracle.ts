import highsDefault from 'highs';
import type { Highs } from 'highs';

type Loader = () => Promise<Highs>;

// Under NodeNext the CommonJS type file makes the default import the module object, while the
// ESM build hands over the loader function itself; accept either.
const highsLoader: Loader = (highsDefault as unknown as { default?: Loader }).default ?? (highsDefault as unknown as Loader);
import type { Problem } from '../../src/sourcing/problem.ts';


let loaded: Promise<Highs> | undefined;

/** Loads the HiGHS solver once per process. */
export function loadHighs(): Promise<Highs> {
  loaded ??= highsLoader();
  return loaded;
}

/** The optimum of a problem under the planner's lexicographic order. */
export interface ExactOptimum {
  filled: number;
  tierFilled: number[];
  cost: number;
}

interface Model {
  fill: string[];
  tierFill: string[][];
  constraints: string[];
  costTerms: string[];
  binaries: string[];
  generals: string[];
  bounds: string[];
}

/**
 * Writes the problem as a mixed-integer model: y_n opens node n, x_n_s units of SKU s from node n
 * (lines outside groups), z_g_n places group g whole at node n.
 */
function buildModel(problem: Problem): Model {
  const model: Model = { fill: [], tierFill: Array.from({ length: problem.tierCount }, () => []), constraints: [], costTerms: [], binaries: [], generals: [], bounds: [] };
  const skuCount = problem.skus.length;
  const groupNeed = problem.groups.map((group) => {
    const need = new Array<number>(skuCount).fill(0);
    for (const index of group.lineIndexes) {
      const line = problem.lines[index]!;
      need[line.skuIndex] = (need[line.skuIndex] ?? 0) + line.quantity;
    }
    return need;
  });

  problem.candidates.forEach((candidate, n) => {
    model.binaries.push(`y${n}`);
    model.costTerms.push(`${candidate.cost + problem.extraShipmentPenalty} y${n}`);
    for (let s = 0; s < skuCount; s++) {
      const terms = [`x${n}_${s}`];
      model.generals.push(`x${n}_${s}`);
      model.bounds.push(`0 <= x${n}_${s} <= ${problem.divisibleDemand[s] ?? 0}`);
      const weight = problem.milliPerStep[s] ?? 0;
      model.fill.push(`${weight} x${n}_${s}`);
      model.tierFill[candidate.tier]!.push(`${weight} x${n}_${s}`);
      problem.groups.forEach((_, g) => {
        const need = groupNeed[g]![s] ?? 0;
        if (need > 0) terms.push(`${need} z${g}_${n}`);
      });
      model.constraints.push(`cap${n}_${s}: ${terms.join(' + ')} - ${candidate.avail[s] ?? 0} y${n} <= 0`);
    }
    problem.groups.forEach((group, g) => {
      model.binaries.push(`z${g}_${n}`);
      model.fill.push(`${group.milliUnits} z${g}_${n}`);
      model.tierFill[candidate.tier]!.push(`${group.milliUnits} z${g}_${n}`);
      model.constraints.push(`link${g}_${n}: z${g}_${n} - y${n} <= 0`);
    });
  });

  for (let s = 0; s < skuCount; s++) {
    const terms = problem.candidates.map((_, n) => `x${n}_${s}`);
    if (terms.length > 0) model.constraints.push(`dem${s}: ${terms.join(' + ')} <= ${problem.divisibleDemand[s] ?? 0}`);
  }
  problem.groups.forEach((_, g) => {
    const terms = problem.candidates.map((__, n) => `z${g}_${n}`);
    if (terms.length > 0) model.constraints.push(`grp${g}: ${terms.join(' + ')} <= 1`);
  });
  model.constraints.push(`ship: ${problem.candidates.map((_, n) => `y${n}`).join(' + ')} <= ${problem.maxShipments}`);
  return model;
}

function expression(terms: readonly string[]): string {
  return terms.length === 0 ? '0 y0' : terms.join(' + ');
}

function solve(highs: Highs, model: Model, sense: 'Maximize' | 'Minimize', objective: readonly string[], fixed: readonly string[]): number {
  const text = [
    sense,
    ` obj: ${expression(objective)}`,
    'Subject To',
    ...model.constraints.map((constraint) => ` ${constraint}`),
    ...fixed.map((constraint) => ` ${constraint}`),
    'Bounds',
    ...model.bounds.map((bound) => ` ${bound}`),
    'Generals',
    ` ${model.generals.join(' ')}`,
    'Binaries',
    ` ${model.binaries.join(' ')}`,
    'End',
  ].join('\n');
  const result = highs.solve(text, { output_flag: false, mip_rel_gap: 0 });
  if (result.Status !== 'Optimal') throw new Error(`HiGHS ended with status ${result.Status}; expected Optimal`);
  return Math.round(result.ObjectiveValue);
}

/**
 * Solves a problem exactly in stages: the most fill, then the most fill per tier in order, then
 * the least cost with those fixed. Ignores per-line rejections (instances must have none).
 */
export function solveExact(highs: Highs, problem: Problem): ExactOptimum {
  if (problem.candidates.length === 0) return { filled: 0, tierFilled: new Array<number>(problem.tierCount).fill(0), cost: 0 };
  const model = buildModel(problem);
  const fixed: string[] = [];

  const filled = solve(highs, model, 'Maximize', model.fill, fixed);
  fixed.push(`fixfill: ${expression(model.fill)} >= ${filled - 0.5}`);
  const tierFilled: number[] = [];
  model.tierFill.forEach((terms, tier) => {
    const value = terms.length === 0 ? 0 : solve(highs, model, 'Maximize', terms, fixed);
    tierFilled.push(value);
    if (terms.length > 0) fixed.push(`fixtier${tier}: ${expression(terms)} >= ${value - 0.5}`);
  });

  if (filled === 0) return { filled, tierFilled, cost: 0 };
  fixed.push(`open: ${problem.candidates.map((_, n) => `y${n}`).join(' + ')} >= 1`);
  const cost = solve(highs, model, 'Minimize', model.costTerms, fixed) - problem.extraShipmentPenalty;
  return { filled, tierFilled, cost };
}
