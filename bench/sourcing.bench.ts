/**
 * Sourcing decision latency and decision quality.
 *
 * Latency: `planSourcing` with the default rule set on the real UCI orders bundled in data/
 * (median 11 lines) and on those orders cut to 10 lines. The networks are generated with 50, 500
 * and 2,000 nodes over 4,000 SKUs; a 1,000-line order and the largest real order run on 500 nodes. tinybench 6 drives each case; every call
 * is timed on its own into an HDR histogram (hdr-histogram-js, whole microseconds).
 *
 * Quality: random small instances solved by the search and by HiGHS (exact, lexicographic:
 * fill, then fill per tier, then cost), with the cost gap distribution.
 *
 *   npx tsx bench/sourcing.bench.ts [--time-ms 3000] [--instances 3000] [--skip-quality]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Bench } from 'tinybench';

import { readUciRecords } from '../src/data/uciReader.ts';
import { mulberry32 } from '../src/data/prng.ts';
import type { FulfillmentNode, NodeType } from '../src/domain/node.ts';
import { FulfillmentNodeSchema } from '../src/domain/node.ts';
import { OrderSchema, toUnitSteps, validateOrderLines } from '../src/domain/order.ts';
import type { Order } from '../src/domain/order.ts';
import { DEFAULT_RULE_SET, planSourcing } from '../src/sourcing/index.ts';
import type { NetworkSnapshot, NodeState, SourcingRequest } from '../src/sourcing/index.ts';
import { searchPlan } from '../src/sourcing/search.ts';
import type { SearchLimits } from '../src/sourcing/search.ts';
import { loadHighs, solveExact } from '../test/sourcing/mipOracle.ts';
import { randomProblem } from '../test/sourcing/randomProblem.ts';
import type { InstanceShape } from '../test/sourcing/randomProblem.ts';
import { LatencyHistogram } from './lib/histogram.ts';
import { describeMachine, installedVersion } from './lib/machine.ts';
import { latencyMetrics, makeResult, writeResult } from './lib/results.ts';
import type { Figure } from './lib/results.ts';
import { printTable } from './lib/table.ts';

const CATALOG_SIZE = 4000;
const NETWORK_SIZES = [50, 500, 2000] as const;
/** Handling cost per shipment by node type, in pence. */
const HANDLING_COST: Readonly<Record<NodeType, number>> = { DC: 150, DROPSHIP: 250, STORE: 350 };
/** Share of the catalog each node type carries. */
const CATALOG_SHARE: Readonly<Record<NodeType, number>> = { DC: 0.85, DROPSHIP: 0.15, STORE: 0.2 };

// ---------------------------------------------------------------- workload

/** Real orders and the SKU catalog: every ordered SKU, padded with unordered ones to 4,000. */
export async function loadWorkload(): Promise<{ orders: Order[]; catalog: string[]; demand: Map<string, number> }> {
  const orders: Order[] = [];
  const demand = new Map<string, number>();
  for await (const record of readUciRecords()) {
    if (record.kind !== 'order') continue;
    const order = OrderSchema.parse(record.order);
    orders.push(order);
    for (const line of validateOrderLines(order).valid) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
  }
  const catalog = [...demand.keys()].sort();
  for (let index = 0; catalog.length < CATALOG_SIZE; index++) catalog.push(`UNORDERED-${index}`);
  return { orders, catalog, demand };
}

/** Node mix of a generated network: 4% DCs (at least 2), 6% dropship vendors, the rest stores. */
function nodeType(index: number, size: number): NodeType {
  if (index < Math.max(2, Math.round(size * 0.04))) return 'DC';
  if (index < Math.round(size * 0.1)) return 'DROPSHIP';
  return 'STORE';
}

/**
 * Builds a network like the engine's view: nodes mostly in Great Britain (80%) and the rest in
 * continental Europe, stock in a Map per node. DCs carry 85% of the catalog with units scaled
 * to three weeks of demand, dropship vendors 15% and stores 20% with a few units each.
 */
export function buildNetwork(size: number, catalog: readonly string[], demand: ReadonlyMap<string, number>, seed: number): NetworkSnapshot {
  const random = mulberry32(seed);
  const nodes: NodeState[] = [];
  const stock = new Map<string, Map<string, number>>();

  for (let index = 0; index < size; index++) {
    const type = nodeType(index, size);
    const home = random() < 0.8;
    const node: FulfillmentNode = FulfillmentNodeSchema.parse({
      nodeId: `${type.toLowerCase()}-${String(index).padStart(4, '0')}`,
      name: `${type} ${index}`,
      type,
      city: home ? 'somewhere in GB' : 'somewhere in Europe',
      country: home ? 'GB' : 'FR',
      lat: home ? 50.5 + random() * 7 : 43 + random() * 10,
      lon: home ? -5 + random() * 6.5 : -1 + random() * 15,
      timeZone: home ? 'Europe/London' : 'Europe/Paris',
      dailyCapacity: type === 'STORE' ? 40 : 2000,
      cutoffLocal: type === 'STORE' ? '17:00' : '15:00',
      handlingCostMinor: HANDLING_COST[type],
    });
    nodes.push({ node, status: 'online', remainingCapacity: node.dailyCapacity });

    const share = CATALOG_SHARE[type];
    const units = new Map<string, number>();
    for (const sku of catalog) {
      if (random() >= share) continue;
      const ordered = demand.get(sku) ?? 1;
      units.set(sku, type === 'DC' ? Math.ceil(ordered * (0.1 + random())) : 1 + Math.floor(random() * (type === 'STORE' ? 6 : 50)));
    }
    stock.set(node.nodeId, units);
  }
  return { nodes, available: (nodeId, sku) => stock.get(nodeId)?.get(sku) ?? 0 };
}

/** A request for the order's valid lines (the UCI data has return lines with negative quantities, which the engine rejects). */
export function requestFor(order: Order, network: NetworkSnapshot): SourcingRequest {
  return {
    order,
    lines: validateOrderLines(order).valid.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: toUnitSteps(line.quantity, line.unit) })),
    network,
    rules: DEFAULT_RULE_SET,
    now: Date.parse(order.placedAt),
  };
}

/** Real orders with at least 10 valid lines, cut to their first 10 valid lines. */
export function tenLineOrders(orders: readonly Order[]): Order[] {
  return orders.flatMap((order) => {
    const valid = validateOrderLines(order).valid;
    return valid.length < 10 ? [] : [{ ...order, lines: valid.slice(0, 10) }];
  });
}

/** Builds a 1,000-line order of distinct real SKUs drawn by popularity, to London. */
export function thousandLineOrder(catalog: readonly string[], demand: ReadonlyMap<string, number>, seed: number): Order {
  const random = mulberry32(seed);
  const ordered = catalog.filter((sku) => demand.has(sku));
  const picked = new Set<string>();
  while (picked.size < 1000) picked.add(ordered[Math.floor(random() ** 1.5 * ordered.length)] as string);
  return OrderSchema.parse({
    orderId: 'bench-1000-lines',
    placedAt: '2010-12-07T11:00:00Z',
    currency: 'GBP',
    destination: { city: 'London', country: 'GB', lat: 51.507, lon: -0.128 },
    lines: [...picked].map((sku, index) => ({ lineId: `l${index}`, sku, quantity: 1 + Math.floor(random() * 4), unitPriceMinor: 250 })),
  });
}

// ---------------------------------------------------------------- latency

interface LatencyCase {
  name: string;
  requests: SourcingRequest[];
  params: Record<string, string | number | boolean>;
}

interface CaseOutcome {
  figure: Figure;
  row: (string | number)[];
}

/** Runs one case with tinybench, timing every call into an HDR histogram. */
async function measureCase(latencyCase: LatencyCase, timeMs: number): Promise<CaseOutcome> {
  const histogram = new LatencyHistogram();
  let next = 0;
  const decide = (): number => {
    const request = latencyCase.requests[next++ % latencyCase.requests.length] as SourcingRequest;
    const started = performance.now();
    planSourcing(request);
    return performance.now() - started;
  };

  // Warm up outside tinybench so that the histogram records measured calls only.
  const warmupEnd = performance.now() + Math.min(1000, timeMs / 2);
  while (performance.now() < warmupEnd) decide();
  next = 0;

  const bench = new Bench({ time: timeMs, warmup: false });
  bench.add(latencyCase.name, () => histogram.recordMs(decide()));
  await bench.run();

  const plans = latencyCase.requests.map((request) => planSourcing(request));
  const heuristic = plans.filter((plan) => plan.explanation.attempts.some((attempt) => attempt.search === 'heuristic')).length;
  const laterTiers = plans.filter((plan) => plan.explanation.attempts.some((attempt) => attempt.tiersSearched > 1)).length;
  const allocated = plans.filter((plan) => plan.outcome === 'allocated').length;
  const summary = histogram.summary();
  const params = { ...latencyCase.params, samples: summary.count, heuristicShare: round(heuristic / plans.length), laterTierShare: round(laterTiers / plans.length), allocatedShare: round(allocated / plans.length) };
  return {
    figure: { name: latencyCase.name, params, metrics: { ...latencyMetrics(summary), latencyMeanUs: { value: summary.mean, unit: 'us', better: 'lower' } } },
    row: [latencyCase.name, summary.count, summary.p50, summary.p90, summary.p99, summary.p999, summary.max, `${Math.round(params.laterTierShare * 100)}%`, `${Math.round(params.heuristicShare * 100)}%`],
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// ---------------------------------------------------------------- quality

interface QualitySet {
  name: string;
  shape: InstanceShape;
  limits: SearchLimits | undefined;
  instances: number;
  firstSeed: number;
}

/** Solves each instance with the search and with HiGHS and returns the cost gap distribution. */
async function measureQuality(set: QualitySet): Promise<{ figure: Figure; row: (string | number)[] }> {
  const highs = await loadHighs();
  const gaps: number[] = [];
  let worseFill = 0;
  let heuristic = 0;
  const started = performance.now();

  for (let seed = set.firstSeed; seed < set.firstSeed + set.instances; seed++) {
    const problem = randomProblem(seed, set.shape);
    const optimum = solveExact(highs, problem);
    const found = searchPlan(problem, set.limits);
    if (!found.exact) heuristic++;
    const best = found.best;
    const sameFill = (best?.filled ?? 0) === optimum.filled && optimum.tierFilled.every((value, tier) => (best?.tierFilled[tier] ?? 0) === value);
    if (!sameFill) {
      worseFill++;
      continue;
    }
    gaps.push(optimum.cost === 0 ? 0 : ((best?.cost ?? 0) - optimum.cost) / optimum.cost);
  }

  const seconds = (performance.now() - started) / 1000;
  const equal = gaps.filter((gap) => gap === 0).length;
  const within = (limit: number) => gaps.filter((gap) => gap <= limit).length;
  const maxGap = gaps.reduce((max, gap) => Math.max(max, gap), 0);
  const meanGap = gaps.length === 0 ? 0 : gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const share = (count: number) => round(count / set.instances);
  const params = { ...set.shape, instances: set.instances, firstSeed: set.firstSeed, limits: set.limits === undefined ? 'default' : JSON.stringify(set.limits), heuristicInstances: heuristic, seconds: Math.round(seconds) };
  return {
    figure: {
      name: `quality: ${set.name}`,
      params,
      metrics: {
        equalShare: { value: share(equal), unit: 'share', better: 'higher' },
        within1PctShare: { value: share(within(0.01)), unit: 'share', better: 'higher' },
        within2PctShare: { value: share(within(0.02)), unit: 'share', better: 'higher' },
        worseFillShare: { value: share(worseFill), unit: 'share', better: 'lower' },
        maxGapPct: { value: round(maxGap * 100), unit: '%', better: 'lower' },
        meanGapPct: { value: round(meanGap * 100), unit: '%', better: 'lower' },
      },
    },
    row: [set.name, set.instances, heuristic, equal, within(0.01), within(0.02), worseFill, `${round(maxGap * 100)}%`],
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'time-ms': { type: 'string', default: '3000' },
      instances: { type: 'string', default: '3000' },
      'skip-quality': { type: 'boolean', default: false },
    },
  });
  const timeMs = Number(values['time-ms']);
  const instances = Number(values.instances);
  if (!(timeMs > 0) || !(instances > 0)) throw new Error(`--time-ms and --instances must be positive numbers, got ${values['time-ms']} and ${values.instances}`);

  const { orders, catalog, demand } = await loadWorkload();
  const lineCounts = orders.map((order) => order.lines.length).sort((a, b) => a - b);
  const medianLines = lineCounts[Math.floor(lineCounts.length / 2)] ?? 0;
  const largest = orders.reduce((big, order) => (order.lines.length > big.lines.length ? order : big));
  console.log(`${orders.length} real orders (median ${medianLines} lines, largest ${largest.lines.length}), ${catalog.length} SKUs`);

  const tenLines = tenLineOrders(orders);
  const cases: LatencyCase[] = [];
  const networks = new Map<number, NetworkSnapshot>();
  for (const size of NETWORK_SIZES) {
    const network = buildNetwork(size, catalog, demand, 1000 + size);
    networks.set(size, network);
    cases.push({ name: `${size} nodes, real orders`, requests: orders.map((order) => requestFor(order, network)), params: { nodes: size, skus: catalog.length, orders: orders.length, medianLines } });
    cases.push({ name: `${size} nodes, 10-line orders`, requests: tenLines.map((order) => requestFor(order, network)), params: { nodes: size, skus: catalog.length, orders: tenLines.length, lines: 10 } });
  }
  const network500 = networks.get(500) as NetworkSnapshot;
  cases.push({ name: '500 nodes, 1,000-line order', requests: [requestFor(thousandLineOrder(catalog, demand, 7), network500)], params: { nodes: 500, skus: catalog.length, lines: 1000 } });
  cases.push({ name: `500 nodes, largest real order`, requests: [requestFor(largest, network500)], params: { nodes: 500, skus: catalog.length, lines: largest.lines.length } });

  const figures: Figure[] = [];
  const latencyRows: (string | number)[][] = [];
  for (const latencyCase of cases) {
    console.log(`measuring ${latencyCase.name}`);
    const outcome = await measureCase(latencyCase, timeMs);
    figures.push(outcome.figure);
    latencyRows.push(outcome.row);
  }
  printTable(['case', 'samples', 'p50 us', 'p90 us', 'p99 us', 'p99.9 us', 'max us', 'later tiers', 'heuristic'], latencyRows, 'planSourcing latency (default rule set)');

  if (!values['skip-quality']) {
    const qualitySets: QualitySet[] = [
      { name: 'small, default limits', shape: { maxNodes: 8, maxSkus: 4, maxLines: 5, tiers: 2, groups: false }, limits: undefined, instances, firstSeed: 1 },
      { name: '30 nodes, reduced limits', shape: { maxNodes: 30, maxSkus: 6, maxLines: 8, tiers: 2, groups: false }, limits: { maxEvaluations: 400, shortlistSize: 12, swapRounds: 2 }, instances: Math.ceil(instances / 6), firstSeed: 100_001 },
      { name: '80 nodes, default limits', shape: { maxNodes: 80, maxSkus: 6, maxLines: 8, tiers: 1, groups: false }, limits: undefined, instances: Math.ceil(instances / 10), firstSeed: 200_001 },
      { name: 'small with kits, default limits', shape: { maxNodes: 8, maxSkus: 4, maxLines: 5, tiers: 2, groups: true }, limits: undefined, instances: Math.ceil(instances / 3), firstSeed: 300_001 },
    ];
    const qualityRows: (string | number)[][] = [];
    for (const set of qualitySets) {
      console.log(`quality: ${set.name} (${set.instances} instances)`);
      const outcome = await measureQuality(set);
      figures.push(outcome.figure);
      qualityRows.push(outcome.row);
    }
    printTable(['set', 'instances', 'heuristic', 'equal', '<=1%', '<=2%', 'worse fill', 'max gap'], qualityRows, 'decision quality against HiGHS');
  }

  const result = makeResult('sourcing', figures, {
    notes: [
      `highs ${installedVersion('highs')}, zod ${installedVersion('zod')}`,
      'latency: one planSourcing call per sample, default rule set, now = the order placement time',
      'quality gap = (search cost - optimum cost) / optimum cost, among instances where fill and fill per tier equal the optimum',
    ],
  });
  const path = await writeResult(result);
  console.log(`\n${describeMachine(result.machine)}\nwrote ${path}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
