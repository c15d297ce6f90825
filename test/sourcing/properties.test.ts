import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planSourcing, parseRuleSet } from '../../src/sourcing/index.ts';
import type { SourcingPlan, SourcingRequest } from '../../src/sourcing/index.ts';
import { greatCircleKm } from '../../src/sourcing/geo.ts';
import { localMinutesOfDay } from '../../src/domain/localTime.ts';
import { makeNetwork, makeNode, makeOrder } from './fixtures.ts';
import type { TestNode } from './fixtures.ts';

const SKUS = ['A', 'B', 'C', 'D'];
const TYPES = ['DC', 'STORE', 'DROPSHIP'] as const;
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Tokyo'];

const nodeArbitrary = fc.record({
  type: fc.constantFrom(...TYPES),
  group: fc.constantFrom(undefined, 'north', 'south'),
  status: fc.constantFrom('online', 'online', 'online', 'paused', 'offline'),
  remainingCapacity: fc.constantFrom(0, 1, 5),
  lat: fc.double({ min: 50, max: 56, noNaN: true }),
  lon: fc.double({ min: -5, max: 1, noNaN: true }),
  timeZone: fc.constantFrom(...ZONES),
  cutoffLocal: fc.constantFrom('09:00', '15:00', '23:30'),
  handlingCostMinor: fc.integer({ min: 0, max: 400 }),
  stock: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: SKUS.length, maxLength: SKUS.length }),
});

const lineArbitrary = fc.record({
  sku: fc.constantFrom(...SKUS),
  quantity: fc.integer({ min: 1, max: 5 }),
  kit: fc.constantFrom(undefined, undefined, 'k1', 'k2'),
});

const ruleArbitrary = fc.record({
  tiers: fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }),
  groupTier: fc.boolean(),
  excludeGroup: fc.constantFrom(undefined, 'north'),
  maxDistanceKm: fc.constantFrom(undefined, 150, 400),
  mode: fc.constantFrom('split', 'split', 'ship_complete'),
  maxShipments: fc.integer({ min: 1, max: 3 }),
  splitLineQuantities: fc.boolean(),
  kits: fc.boolean(),
  safetyStore: fc.integer({ min: 0, max: 2 }),
  afterCutoff: fc.constantFrom('penalty', 'exclude'),
  onNoFit: fc.constantFrom('backorder', 'hold', 'cancel', 'next_rule'),
});

const caseArbitrary = fc.record({
  nodes: fc.array(nodeArbitrary, { minLength: 1, maxLength: 10 }),
  lines: fc.array(lineArbitrary, { minLength: 1, maxLength: 6 }),
  rule: ruleArbitrary,
  hour: fc.integer({ min: 0, max: 23 }),
  rejections: fc.array(fc.record({ node: fc.nat(), line: fc.option(fc.nat(), { nil: undefined }) }), { maxLength: 3 }),
});

type Case = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

function buildRequest(input: Case): { request: SourcingRequest; entries: TestNode[] } {
  const entries: TestNode[] = input.nodes.map((spec, index) => ({
    node: makeNode(`N${index}`, {
      type: spec.type,
      groups: spec.group === undefined ? [] : [spec.group],
      lat: spec.lat,
      lon: spec.lon,
      timeZone: spec.timeZone,
      cutoffLocal: spec.cutoffLocal,
      handlingCostMinor: spec.handlingCostMinor,
    }),
    stock: Object.fromEntries(SKUS.map((sku, s) => [sku, spec.stock[s] ?? 0])),
    status: spec.status,
    remainingCapacity: spec.remainingCapacity,
  }));
  const order = makeOrder(
    input.lines.map((line, index) => ({ lineId: `l${index}`, sku: line.sku, quantity: line.quantity, ...(line.kit === undefined ? {} : { attributes: { kit: line.kit } }) })),
  );
  const { rule } = input;
  const tiers: unknown[] = rule.tiers.map((type) => ({ types: [type] }));
  if (rule.groupTier) tiers.push({ groups: ['south'] });
  const rules = parseRuleSet({
    version: 1,
    rules: [
      {
        id: 'main',
        tiers,
        exclude: { groups: rule.excludeGroup === undefined ? [] : [rule.excludeGroup] },
        ...(rule.maxDistanceKm === undefined ? {} : { maxDistanceKm: rule.maxDistanceKm }),
        split: { mode: rule.mode, maxShipments: rule.maxShipments, splitLineQuantities: rule.splitLineQuantities, ...(rule.kits ? { shipTogetherAttribute: 'kit' } : {}) },
        safetyStock: { STORE: rule.safetyStore },
        afterCutoff: rule.afterCutoff,
        onNoFit: rule.onNoFit,
      },
    ],
  });
  const exclusions = input.rejections.map(({ node, line }) => ({
    nodeId: `N${node % input.nodes.length}`,
    ...(line === undefined ? {} : { lineId: `l${line % input.lines.length}` }),
  }));
  const request: SourcingRequest = {
    order,
    lines: order.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
    network: makeNetwork(entries),
    rules,
    now: Date.UTC(2024, 2, 5, input.hour, 10),
    exclusions,
  };
  return { request, entries };
}

function planned(plan: SourcingPlan, lineId: string): number {
  return plan.shipments.flatMap((shipment) => shipment.lines).filter((line) => line.lineId === lineId).reduce((sum, line) => sum + line.quantity, 0);
}

const RUNS = { numRuns: 300, seed: 20240305 };

describe('planSourcing properties', () => {
  it('planned plus backordered equals requested', () => {
    fc.assert(
      fc.property(caseArbitrary, (input) => {
        const { request } = buildRequest(input);
        const plan = planSourcing(request);
        for (const line of request.lines) {
          const backordered = plan.backorders.filter((item) => item.lineId === line.lineId).reduce((sum, item) => sum + item.quantity, 0);
          expect(planned(plan, line.lineId) + backordered).toBe(line.quantity);
        }
      }),
      RUNS,
    );
  });

  it('never exceeds stock after safety stock', () => {
    fc.assert(
      fc.property(caseArbitrary, (input) => {
        const { request, entries } = buildRequest(input);
        const plan = planSourcing(request);
        for (const shipment of plan.shipments) {
          const entry = entries.find((candidate) => candidate.node.nodeId === shipment.nodeId)!;
          const safety = entry.node.type === 'STORE' ? input.rule.safetyStore : 0;
          for (const sku of SKUS) {
            const shipped = shipment.lines.filter((line) => line.sku === sku).reduce((sum, line) => sum + line.quantity, 0);
            expect(shipped).toBeLessThanOrEqual(Math.max(0, (entry.stock[sku] ?? 0) - safety));
          }
        }
      }),
      RUNS,
    );
  });

  it('uses only eligible nodes', () => {
    fc.assert(
      fc.property(caseArbitrary, (input) => {
        const { request, entries } = buildRequest(input);
        const plan = planSourcing(request);
        const nodeIds = plan.shipments.map((shipment) => shipment.nodeId);
        expect(new Set(nodeIds).size).toBe(nodeIds.length);

        for (const shipment of plan.shipments) {
          const entry = entries.find((candidate) => candidate.node.nodeId === shipment.nodeId)!;
          const node = entry.node;
          const inTier = input.rule.tiers.includes(node.type) || (input.rule.groupTier && node.groups.includes('south'));
          expect(inTier).toBe(true);
          if (input.rule.excludeGroup !== undefined) expect(node.groups).not.toContain(input.rule.excludeGroup);
          expect(entry.status).toBe('online');
          expect(entry.remainingCapacity).toBeGreaterThanOrEqual(1);
          expect(request.exclusions?.some((item) => item.nodeId === node.nodeId && item.lineId === undefined)).toBe(false);
          for (const line of shipment.lines) {
            expect(request.exclusions?.some((item) => item.nodeId === node.nodeId && item.lineId === line.lineId)).toBe(false);
          }
          if (input.rule.maxDistanceKm !== undefined) {
            expect(greatCircleKm(node.lat, node.lon, request.order.destination.lat, request.order.destination.lon)).toBeLessThanOrEqual(input.rule.maxDistanceKm);
          }
          if (input.rule.afterCutoff === 'exclude') {
            const [hours, minutes] = node.cutoffLocal.split(':').map(Number);
            expect(localMinutesOfDay(node.timeZone, request.now)).toBeLessThan((hours ?? 0) * 60 + (minutes ?? 0));
          }
        }
      }),
      RUNS,
    );
  });

  it('respects the split policy', () => {
    fc.assert(
      fc.property(caseArbitrary, (input) => {
        const { request } = buildRequest(input);
        const plan = planSourcing(request);
        const limit = input.rule.mode === 'ship_complete' ? 1 : input.rule.maxShipments;
        expect(plan.shipments.length).toBeLessThanOrEqual(limit);
        if (input.rule.mode === 'ship_complete' && plan.shipments.length > 0) expect(plan.backorders).toEqual([]);

        for (const line of request.lines) {
          const at = plan.shipments.filter((shipment) => shipment.lines.some((item) => item.lineId === line.lineId));
          if (!input.rule.splitLineQuantities) {
            expect(at.length).toBeLessThanOrEqual(1);
            expect([0, line.quantity]).toContain(planned(plan, line.lineId));
          }
        }
        if (input.rule.kits || !input.rule.splitLineQuantities) {
          for (const kit of ['k1', 'k2']) {
            const kitLines = input.lines.flatMap((line, index) => (line.kit === kit && input.rule.kits ? [`l${index}`] : []));
            const nodes = new Set(plan.shipments.filter((shipment) => shipment.lines.some((item) => kitLines.includes(item.lineId))).map((shipment) => shipment.nodeId));
            expect(nodes.size).toBeLessThanOrEqual(1);
            const complete = kitLines.every((lineId) => planned(plan, lineId) === request.lines.find((line) => line.lineId === lineId)!.quantity);
            const none = kitLines.every((lineId) => planned(plan, lineId) === 0);
            expect(complete || none).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('returns the same plan for the same input', () => {
    fc.assert(
      fc.property(caseArbitrary, (input) => {
        const first = planSourcing(buildRequest(input).request);
        const second = planSourcing(buildRequest(input).request);
        expect(second).toEqual(first);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
