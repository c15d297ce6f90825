import type { OrderLine } from '../domain/order.ts';
import { UNIT_SCALE } from '../domain/order.ts';
import type { NodeType } from '../domain/node.ts';
import type { Rule } from './ruleSchema.ts';
import type { AtomicGroup, Problem, ProblemLine } from './problem.ts';
import type { SourcingLine } from './types.ts';

const NODE_TYPES: readonly NodeType[] = ['DC', 'STORE', 'DROPSHIP'];

/** A request line with the order line it belongs to (undefined when the order has no such line). */
export interface LineToPlan {
  line: SourcingLine;
  orderLine: OrderLine | undefined;
}

/** A problem plus the safety stock per node type in unit steps, per SKU index. */
export interface BuiltProblem {
  problem: Problem;
  /** Undefined for a node type without safety stock. */
  safetySteps: Record<NodeType, Int32Array | undefined>;
}

/**
 * Turns lines and a rule into a problem without candidates: SKUs and demand, unit scales,
 * ship-together groups (from the split policy) and the order in which lines are filled.
 */
export function buildProblem(lines: readonly LineToPlan[], rule: Rule, penalty: number, rejectedLineIds: ReadonlySet<string>): BuiltProblem {
  const skuIndex = new Map<string, number>();
  const skus: string[] = [];
  const scales: number[] = [];
  const problemLines: ProblemLine[] = [];

  for (const { line, orderLine } of lines) {
    let index = skuIndex.get(line.sku);
    if (index === undefined) {
      index = skus.length;
      skuIndex.set(line.sku, index);
      skus.push(line.sku);
      scales.push(UNIT_SCALE[orderLine?.unit ?? 'each']);
    }
    problemLines.push({ lineId: line.lineId, sku: line.sku, skuIndex: index, quantity: line.quantity, group: -1 });
  }

  const demand = new Int32Array(skus.length);
  for (const line of problemLines) demand[line.skuIndex] = (demand[line.skuIndex] ?? 0) + line.quantity;
  const milliPerStep = Int32Array.from(scales, (scale) => 1000 / scale);

  const needsGroups = !rule.split.splitLineQuantities || rule.split.shipTogetherAttribute !== undefined;
  const groups = needsGroups ? buildGroups(lines, problemLines, rule, milliPerStep) : [];
  const divisibleDemand = groups.length === 0 ? demand : new Int32Array(skus.length);
  const divisibleLinesBySku: number[][] = skus.map(() => []);
  const rejectedFirst: number[] = [];
  const rest: number[] = [];
  for (let index = 0; index < problemLines.length; index++) {
    const line = problemLines[index] as ProblemLine;
    if (line.group >= 0) continue;
    if (groups.length > 0) divisibleDemand[line.skuIndex] = (divisibleDemand[line.skuIndex] ?? 0) + line.quantity;
    divisibleLinesBySku[line.skuIndex]?.push(index);
    if (rejectedLineIds.size > 0 && rejectedLineIds.has(line.lineId)) rejectedFirst.push(index);
    else rest.push(index);
  }

  const problem: Problem = {
    skus,
    demand,
    milliPerStep,
    lines: problemLines,
    groups,
    divisibleLinesBySku,
    divisibleDemand,
    hasRejections: rejectedLineIds.size > 0 && problemLines.some((line) => rejectedLineIds.has(line.lineId)),
    divisibleLineOrder: rejectedFirst.length === 0 ? rest : rejectedFirst.concat(rest),
    tierCount: rule.tiers.length,
    candidates: [],
    maxShipments: rule.split.mode === 'ship_complete' ? 1 : rule.split.maxShipments,
    extraShipmentPenalty: penalty,
  };
  return { problem, safetySteps: safetyStepsFor(rule, skus, scales) };
}

/** Ship-together groups: lines sharing the attribute value, and every other line alone when lines may not split. */
function buildGroups(lines: readonly LineToPlan[], problemLines: ProblemLine[], rule: Rule, milliPerStep: Int32Array): AtomicGroup[] {
  const byKey = new Map<string, number[]>();
  const attribute = rule.split.shipTogetherAttribute;

  problemLines.forEach((_, index) => {
    const value = attribute === undefined ? undefined : lines[index]?.orderLine?.attributes?.[attribute];
    if (value === undefined) {
      if (!rule.split.splitLineQuantities) byKey.set(`line\n${index}`, [index]);
      return;
    }
    const members = byKey.get(`kit\n${value}`);
    if (members === undefined) byKey.set(`kit\n${value}`, [index]);
    else members.push(index);
  });

  const groups: AtomicGroup[] = [...byKey.values()].map((lineIndexes) => ({
    lineIndexes,
    milliUnits: lineIndexes.reduce((sum, index) => {
      const line = problemLines[index];
      return line === undefined ? sum : sum + line.quantity * (milliPerStep[line.skuIndex] ?? 0);
    }, 0),
  }));
  groups.sort((a, b) => b.milliUnits - a.milliUnits || (a.lineIndexes[0] ?? 0) - (b.lineIndexes[0] ?? 0));
  groups.forEach((group, groupIndex) => {
    for (const index of group.lineIndexes) {
      const line = problemLines[index];
      if (line !== undefined) line.group = groupIndex;
    }
  });
  return groups;
}

/** Safety stock in unit steps: the rule states it in the SKU's unit, scaled and rounded to whole steps. */
function safetyStepsFor(rule: Rule, skus: readonly string[], scales: readonly number[]): Record<NodeType, Int32Array | undefined> {
  const result: Record<NodeType, Int32Array | undefined> = { DC: undefined, STORE: undefined, DROPSHIP: undefined };
  for (const type of NODE_TYPES) {
    const units = rule.safetyStock[type] ?? 0;
    if (units > 0) result[type] = Int32Array.from(skus, (_, index) => Math.round(units * (scales[index] ?? 1)));
  }
  return result;
}
