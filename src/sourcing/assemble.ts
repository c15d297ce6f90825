import type { Rule } from './ruleSchema.ts';
import type { Backorder, PlannedShipment, SourcingPlan, SourcingRequest } from './types.ts';
import type { AttemptExplanation, RuleEvaluation } from './explanation.ts';
import type { LineToPlan } from './buildProblem.ts';
import { ruleCosts } from './attempt.ts';

/** A rule's decision to hold or cancel the whole order. */
export interface Stop {
  outcome: 'hold' | 'cancel';
  reason: string;
  ruleId: string;
}

/** Results of the rule attempts of one request. */
export interface Collected {
  shipments: PlannedShipment[];
  backorders: Backorder[];
  attempts: AttemptExplanation[];
  stop: Stop | undefined;
  /** Last order rule attempted; undefined when no order rule matched. */
  decidingRule: Rule | undefined;
}

/**
 * Builds the plan from what the attempts collected. A hold or cancel applies to the whole order:
 * no shipments, and every line is listed as a backorder with the hold or cancel reason.
 */
export function assemble(request: SourcingRequest, lines: readonly LineToPlan[], collected: Collected, rules: RuleEvaluation[]): SourcingPlan {
  const ruleId = collected.stop?.ruleId ?? collected.decidingRule?.id ?? collected.attempts[0]?.ruleId;

  if (collected.stop !== undefined) {
    const { outcome, reason } = collected.stop;
    const label = outcome === 'hold' ? 'on hold' : 'cancelled';
    const plan: SourcingPlan = {
      ruleId,
      outcome,
      shipments: [],
      backorders: lines.map(({ line }) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity, reason: `${label}: ${reason}` })),
      totalCostMinor: 0,
      explanation: { rules, attempts: collected.attempts, summary: `rule "${collected.stop.ruleId}" put the order ${label}: ${reason}` },
    };
    if (outcome === 'hold') plan.holdReason = reason;
    else plan.cancelReason = reason;
    return plan;
  }

  const penalty = ruleCosts(request.rules, collected.decidingRule).extraShipmentPenaltyMinor;
  const shipments = collected.shipments;
  let totalCostMinor = shipments.length > 0 ? penalty * (shipments.length - 1) : 0;
  for (const shipment of shipments) totalCostMinor += shipment.costMinor;

  let requested = 0;
  for (const { line } of lines) requested += line.quantity;
  let open = 0;
  for (const backorder of collected.backorders) open += backorder.quantity;
  let outcome: SourcingPlan['outcome'] = 'partial';
  if (open === 0) outcome = 'allocated';
  else if (open >= requested) outcome = 'backordered';

  return {
    ruleId,
    outcome,
    shipments,
    backorders: collected.backorders,
    totalCostMinor,
    explanation: { rules, attempts: collected.attempts, summary: summarize(ruleId, outcome, shipments, collected.backorders, totalCostMinor) },
  };
}

function summarize(ruleId: string | undefined, outcome: SourcingPlan['outcome'], shipments: readonly PlannedShipment[], backorders: readonly Backorder[], cost: number): string {
  const rule = ruleId === undefined ? 'no rule' : `rule "${ruleId}"`;
  const nodes = shipments.map((shipment) => shipment.nodeId).join(', ');
  const shipped = shipments.length === 0 ? 'no shipment' : `${shipments.length} shipment(s) from ${nodes} at ${cost} minor units`;
  const waiting = backorders.length === 0 ? '' : `; ${backorders.length} line(s) backordered`;
  return `${rule}: ${outcome}, ${shipped}${waiting}`;
}
