import type { OrderLine } from '../domain/order.ts';
import type { Rule } from './ruleSchema.ts';
import type { Backorder, PlannedShipment, SourcingLine, SourcingPlan, SourcingRequest } from './types.ts';
import type { RuleEvaluation } from './explanation.ts';
import type { LineToPlan } from './buildProblem.ts';
import { compileCondition, orderFacts } from './conditions.ts';
import type { OrderFacts } from './conditions.ts';
import { attemptRule } from './attempt.ts';
import type { AttemptContext } from './attempt.ts';
import { DEFAULT_SEARCH_LIMITS } from './search.ts';
import type { SearchLimits } from './search.ts';
import { SourcingInputError } from './errors.ts';
import { assemble } from './assemble.ts';
import type { Collected } from './assemble.ts';

/** Tuning that does not change what a correct plan is; tests use it to force the heuristic. */
export interface PlanOptions {
  searchLimits?: SearchLimits;
}

/**
 * Decides where to ship an order's open lines. Pure: reads only the request (time is `now`),
 * so the same request gives the same plan. Line rules decide their matching lines first, and the
 * first order rule that matches decides the rest. A rule that finds no plan applies its
 * `onNoFit` action. Throws SourcingInputError for a negative or fractional quantity or a repeated line id.
 */
export function planSourcing(request: SourcingRequest, options: PlanOptions = {}): SourcingPlan {
  const lines = checkLines(request.lines);
  const facts = orderFacts(request.order);
  const orderLines = new Map<string, OrderLine>();
  for (const line of request.order.lines) orderLines.set(line.lineId, line);
  const toPlan: LineToPlan[] = lines.map((line) => ({ line, orderLine: orderLines.get(line.lineId) }));

  const { orderRules, lineRules, evaluations } = matchRules(request, facts, toPlan);
  const context = attemptContext(request, options, lineRules.size > 0);
  const collected: Collected = { shipments: [], backorders: [], attempts: [], stop: undefined, decidingRule: undefined };

  let forOrderRules = toPlan;
  if (lineRules.size > 0) {
    const claimed = new Set([...lineRules.values()].flat());
    forOrderRules = toPlan.filter((item) => !claimed.has(item));
    for (const [rule, matched] of lineRules) forOrderRules.push(...applyRule(context, rule, matched, collected));
    forOrderRules = sortByRequest(forOrderRules, toPlan);
  }
  applyOrderRules(context, orderRules, forOrderRules, collected);

  return assemble(request, toPlan, collected, evaluations);
}

function checkLines(lines: readonly SourcingLine[]): SourcingLine[] {
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (seen.has(line.lineId)) throw new SourcingInputError(`lines[${index}].lineId: "${line.lineId}" is repeated; expected unique line ids`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw new SourcingInputError(`lines[${index}].quantity: ${line.quantity} is invalid for line "${line.lineId}"; expected a whole number of unit steps, 0 or more (scale with UNIT_SCALE)`);
    }
    seen.add(line.lineId);
  }
  return lines.some((line) => line.quantity === 0) ? lines.filter((line) => line.quantity > 0) : lines.slice();
}

function matchRules(request: SourcingRequest, facts: OrderFacts, toPlan: readonly LineToPlan[]) {
  const orderRules: Rule[] = [];
  const lineRules = new Map<Rule, LineToPlan[]>();
  const evaluations: RuleEvaluation[] = [];
  const claimed = new Set<LineToPlan>();

  for (const rule of request.rules.rules) {
    const predicate = rule.when === undefined ? undefined : compileCondition(rule.when);
    if (rule.scope === 'order') {
      const matched = predicate === undefined || predicate(facts, undefined);
      evaluations.push({ ruleId: rule.id, scope: 'order', matched });
      if (matched) orderRules.push(rule);
      continue;
    }

    const matchedLines = toPlan.filter((item) => !claimed.has(item) && item.orderLine !== undefined && (predicate === undefined || predicate(facts, item.orderLine)));
    for (const item of matchedLines) claimed.add(item);
    evaluations.push({ ruleId: rule.id, scope: 'line', matched: matchedLines.length > 0, lineIds: matchedLines.map((item) => item.line.lineId) });
    if (matchedLines.length > 0) lineRules.set(rule, matchedLines);
  }
  return { orderRules, lineRules, evaluations };
}

function attemptContext(request: SourcingRequest, options: PlanOptions, shared: boolean): AttemptContext {
  const rejectedOrder = new Set<string>();
  const rejectedLines = new Map<string, Set<string>>();
  const rejectedLineIds = new Set<string>();
  for (const exclusion of request.exclusions ?? []) {
    if (exclusion.lineId === undefined) {
      rejectedOrder.add(exclusion.nodeId);
      continue;
    }
    let set = rejectedLines.get(exclusion.nodeId);
    if (set === undefined) rejectedLines.set(exclusion.nodeId, (set = new Set()));
    set.add(exclusion.lineId);
    rejectedLineIds.add(exclusion.lineId);
  }
  return {
    request,
    ruleSet: request.rules,
    rejectedOrder,
    rejectedLines,
    rejectedLineIds,
    consumed: shared ? new Map() : undefined,
    limits: options.searchLimits ?? DEFAULT_SEARCH_LIMITS,
  };
}

/** Applies one line rule; returns the lines it passes on to the order rules (`onNoFit: next_rule`). */
function applyRule(context: AttemptContext, rule: Rule, lines: LineToPlan[], collected: Collected): LineToPlan[] {
  if (collected.stop !== undefined) return [];
  const result = attemptRule(context, rule, lines);
  collected.attempts.push(result.explanation);

  if (result.noFitReason === undefined) {
    keep(context, result.shipments, result.backorders, collected);
    return [];
  }
  result.explanation.result = rule.onNoFit;
  if (rule.onNoFit === 'next_rule') return lines;
  noFit(rule, lines, result.noFitReason, collected);
  return [];
}

/** Tries the matching order rules in turn until one plans or stops the order. */
function applyOrderRules(context: AttemptContext, rules: readonly Rule[], lines: LineToPlan[], collected: Collected): void {
  if (lines.length === 0 || collected.stop !== undefined) return;
  let lastReason = 'no order rule matches this order';

  for (const rule of rules) {
    const result = attemptRule(context, rule, lines);
    collected.attempts.push(result.explanation);
    collected.decidingRule = rule;
    if (result.noFitReason === undefined) {
      keep(context, result.shipments, result.backorders, collected);
      return;
    }
    result.explanation.result = rule.onNoFit;
    lastReason = result.noFitReason;
    if (rule.onNoFit !== 'next_rule') {
      noFit(rule, lines, result.noFitReason, collected);
      return;
    }
  }
  if (rules.length === 0) collected.decidingRule = undefined;
  for (const { line } of lines) collected.backorders.push({ lineId: line.lineId, sku: line.sku, quantity: line.quantity, reason: lastReason });
}

function noFit(rule: Rule, lines: readonly LineToPlan[], reason: string, collected: Collected): void {
  if (rule.onNoFit === 'hold' || rule.onNoFit === 'cancel') {
    collected.stop = { outcome: rule.onNoFit, reason: rule.reason ?? reason, ruleId: rule.id };
    return;
  }
  for (const { line } of lines) collected.backorders.push({ lineId: line.lineId, sku: line.sku, quantity: line.quantity, reason });
}

/** Keeps an attempt's shipments (merged per node) and records what they promise for later attempts. */
function keep(context: AttemptContext, shipments: readonly PlannedShipment[], backorders: readonly Backorder[], collected: Collected): void {
  collected.backorders.push(...backorders);
  for (const shipment of shipments) {
    for (const line of shipment.lines) {
      if (context.consumed === undefined) break;
      const key = `${shipment.nodeId}\n${line.sku}`;
      context.consumed.set(key, (context.consumed.get(key) ?? 0) + line.quantity);
    }
    const existing = collected.shipments.find((kept) => kept.nodeId === shipment.nodeId);
    if (existing === undefined) collected.shipments.push(shipment);
    else existing.lines.push(...shipment.lines);
  }
}

function sortByRequest(lines: LineToPlan[], order: readonly LineToPlan[]): LineToPlan[] {
  const position = new Map(order.map((item, index) => [item, index]));
  return lines.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}
