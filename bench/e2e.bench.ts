/**
 * End-to-end latency and throughput with real processes: nats-server (JetStream, file
 * storage), `switchyard engine` and `switchyard agent` as child processes, and the load
 * generator in this process publishing copies of the bundled UCI orders with fresh ids through
 * `CommandPublisher`. Placed-to-allocated is the time to the order's `processing` event,
 * placed-to-shipped to its first shipped event, both seen by the generator. Every run starts a
 * fresh stack (server, engine store, agents). Baselines run in the same process first.
 *
 *   node --import tsx bench/e2e.bench.ts [--quick] [--rates 500,2000,5000] [--window-s 20]
 *     [--warmup-s 5] [--drain-s 30] [--speedup 3600000] [--age-writes 1000000] [--aged-rate 2000]
 *     [--search-budget-s 150] [--profile auto|always|never] [--skip-baselines] [--skip-aged]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_RULE_SET } from '../src/sourcing/index.ts';
import { printFigures, runBaselines } from './baselines.bench.ts';
import { ageEngineStore, type AgeReport } from './lib/e2e/agedStore.ts';
import { searchMaxSustained, type SearchResult } from './lib/e2e/closedLoop.ts';
import { profileEngine, traceUnloaded } from './lib/e2e/diagnostics.ts';
import { batchFigures, closedLoopFigure, loadNow, openLoopFigure, printBatches, printClosedLoop, printOpenLoop, printProfile, profileFigures } from './lib/e2e/e2eFigures.ts';
import { LatencyProbe } from './lib/e2e/latencyProbe.ts';
import { runOpenLoop, type OpenLoopOptions, type OpenLoopResult } from './lib/e2e/openLoop.ts';
import { benchNetwork, describeLineCounts, loadBundledOrders, OrderCycler, type BenchNetwork } from './lib/e2e/orderWorkload.ts';
import { startStack } from './lib/e2e/stack.ts';
import { describeMachine } from './lib/machine.ts';
import { makeResult, writeResult, type Figure } from './lib/results.ts';
import { printTable } from './lib/table.ts';

/** Targets reported against, not asserted. */
const TARGET_P99_ALLOCATED_US = 10_000;
const TARGET_P99_RATE = 2_000;
const TARGET_MAX_SUSTAINED = 5_000;
/** p99 placed-to-allocated limit of the sustained-rate search. */
const SEARCH_P99_LIMIT_US = 50_000;

interface Plan {
  quick: boolean;
  rates: number[];
  run: Omit<OpenLoopOptions, 'ratePerSec'>;
  speedup: number;
  ageWrites: number;
  recordOrders: number;
  agedRate: number;
  search: { warmupMs: number; windowMs: number; budgetMs: number; maxInFlight: number };
  confirmMs: number;
  profile: 'auto' | 'always' | 'never';
  baselines: { durationMs: number; runs: number; fetchMessages: number } | undefined;
  aged: boolean;
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
}

function parsePlan(): Plan {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rates: { type: 'string' },
      'window-s': { type: 'string' },
      'warmup-s': { type: 'string' },
      'drain-s': { type: 'string' },
      speedup: { type: 'string', default: '3600000' },
      'age-writes': { type: 'string' },
      'aged-rate': { type: 'string' },
      'search-budget-s': { type: 'string' },
      profile: { type: 'string' },
      'skip-baselines': { type: 'boolean', default: false },
      'skip-aged': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick === true;
  const profile = values.profile ?? (quick ? 'never' : 'auto');
  if (profile !== 'auto' && profile !== 'always' && profile !== 'never') throw new Error(`--profile must be auto, always or never, got "${profile}"`);
  const rates = (values.rates ?? (quick ? '200' : '500,2000,5000')).split(',').map((text) => positive('rates', text));
  const seconds = (name: 'window-s' | 'warmup-s' | 'drain-s', full: number, short: number): number => positive(name, values[name] ?? String(quick ? short : full)) * 1000;
  return {
    quick,
    rates,
    run: { warmupMs: seconds('warmup-s', 5, 1), windowMs: seconds('window-s', 20, 3), drainMs: seconds('drain-s', 30, 3) },
    speedup: positive('speedup', values.speedup ?? '3600000'),
    ageWrites: positive('age-writes', values['age-writes'] ?? (quick ? '10000' : '1000000')),
    recordOrders: quick ? 200 : 1_000,
    agedRate: positive('aged-rate', values['aged-rate'] ?? String(rates.includes(TARGET_P99_RATE) ? TARGET_P99_RATE : rates[0])),
    search: quick ? { warmupMs: 500, windowMs: 2_000, budgetMs: 12_000, maxInFlight: 16 } : { warmupMs: 2_000, windowMs: 8_000, budgetMs: positive('search-budget-s', values['search-budget-s'] ?? '150') * 1000, maxInFlight: 256 },
    confirmMs: quick ? 0 : 10_000,
    profile,
    baselines: baselinePlan(values['skip-baselines'] === true, quick),
    aged: values['skip-aged'] !== true,
  };
}

function baselinePlan(skip: boolean, quick: boolean): Plan['baselines'] {
  if (skip) return undefined;
  if (quick) return { durationMs: 300, runs: 1, fetchMessages: 3_000 };
  return { durationMs: 1_500, runs: 3, fetchMessages: 30_000 };
}

/** Orders one open-loop run places, with a margin, to size stock and capacity. */
function ordersFor(ratePerSec: number, run: Omit<OpenLoopOptions, 'ratePerSec'>): number {
  return Math.ceil(ratePerSec * ((run.warmupMs + run.windowMs) / 1000) * 1.2) + 1_000;
}

async function openLoopOnFreshStack(network: BenchNetwork, cycler: OrderCycler, plan: Plan, ratePerSec: number, extra: { engineDataDir?: string; engineProfileDir?: string } = {}): Promise<{ result: OpenLoopResult; load: number; startupMs: number; problems: string }> {
  const stack = await startStack({ network, speedup: plan.speedup, ...extra });
  const probe = new LatencyProbe(stack.nc);
  try {
    const load = loadNow();
    const result = await runOpenLoop(stack, probe, cycler, { ...plan.run, ratePerSec });
    const problems = [...stack.engine.problems, ...stack.agents.problems].map(([msg, times]) => `${msg} x${times}`).join('; ');
    return { result, load, startupMs: stack.startupMs, problems };
  } finally {
    probe.stop();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const plan = parsePlan();
  const result = makeResult('e2e', []);
  const figures: Figure[] = [];
  const notes: string[] = [];
  console.log(`e2e on ${describeMachine(result.machine)}`);
  console.log(`plan: ${JSON.stringify(plan)}`);

  if (plan.baselines !== undefined) {
    const load = loadNow();
    const baselines = await runBaselines({ ...plan.baselines });
    printFigures(baselines, `baselines, same run (load ${load})`);
    figures.push(...baselines.map((figure) => ({ ...figure, name: `baseline: ${figure.name}`, params: { ...figure.params, loadAverage1m: load } })));
  }

  const orders = await loadBundledOrders();
  const lines = describeLineCounts(orders);
  console.log(`\nworkload: ${lines.orders} bundled orders, ${lines.meanLines} lines on average (median ${lines.medianLines}, max ${lines.maxLines}), cycled with fresh ids`);
  const params = { speedup: plan.speedup, bundledOrders: lines.orders, meanLines: lines.meanLines };

  const sweep: { label: string; result: OpenLoopResult; load: number }[] = [];
  for (const rate of plan.rates) {
    const network = await benchNetwork(orders, ordersFor(rate, plan.run));
    const run = await openLoopOnFreshStack(network, new OrderCycler(orders, `e2e-r${rate}`), plan, rate);
    sweep.push({ label: `open ${rate}/s`, result: run.result, load: run.load });
    figures.push(openLoopFigure(`e2e open loop ${rate}/s, fresh store`, run.result, { ...params, loadAverage1m: run.load, stackStartupMs: run.startupMs }));
    if (run.problems !== '') notes.push(`open loop ${rate}/s: child warnings: ${run.problems}`);
    printOpenLoop(sweep.slice(-1), `open loop ${rate}/s (ms from the intended send time)`);
  }

  let search: SearchResult | undefined;
  {
    const network = await benchNetwork(orders, 200_000);
    const stack = await startStack({ network, speedup: plan.speedup });
    const probe = new LatencyProbe(stack.nc);
    try {
      const load = loadNow();
      search = await searchMaxSustained(stack, probe, new OrderCycler(orders, 'e2e-closed'), {
        p99LimitUs: SEARCH_P99_LIMIT_US,
        ...plan.search,
        onStep: (step) => console.log(`  closed loop ${step.inFlight} in flight: ${step.allocatedPerSec} allocated/s, p99 ${Math.round(step.allocated.p99 / 1000)} ms`),
      });
      printClosedLoop(search.steps, `closed loop search (p99 limit ${SEARCH_P99_LIMIT_US / 1000} ms; stopped: ${search.stoppedBecause}; load ${load})`);
      for (const step of search.steps) figures.push(closedLoopFigure(step, { ...params, loadAverage1m: load }));
    } finally {
      probe.stop();
      await stack.stop();
    }
  }
  const { best, peak } = search;
  let confirmed: OpenLoopResult | undefined;
  if (best !== undefined && plan.confirmMs > 0) {
    const rate = Math.max(1, best.allocatedPerSec);
    const confirmPlan = { ...plan, run: { ...plan.run, windowMs: plan.confirmMs } };
    const run = await openLoopOnFreshStack(await benchNetwork(orders, ordersFor(rate, confirmPlan.run)), new OrderCycler(orders, 'e2e-confirm'), confirmPlan, rate);
    confirmed = run.result;
    printOpenLoop([{ label: `confirm ${rate}/s`, result: run.result, load: run.load }], 'open loop at the rate the search found');
    figures.push(openLoopFigure(`e2e open loop at the searched rate ${rate}/s`, run.result, { ...params, loadAverage1m: run.load }));
  }

  let aged: { report: AgeReport; fresh: OpenLoopResult | undefined; result: OpenLoopResult; load: number } | undefined;
  if (plan.aged) {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-aged-'));
    try {
      const network = await benchNetwork(orders, plan.recordOrders + ordersFor(plan.agedRate, plan.run));
      console.log(`\naging an engine store with ${plan.ageWrites.toLocaleString('en-US')} order snapshot writes (load ${loadNow()})`);
      let nextProgress = 0;
      const report = await ageEngineStore({
        dataDir,
        orders,
        network,
        rules: DEFAULT_RULE_SET,
        recordOrders: plan.recordOrders,
        snapshotWrites: plan.ageWrites,
        onProgress: (written, seconds) => {
          if (written < nextProgress) return;
          nextProgress = written + plan.ageWrites / 10;
          console.log(`  ${written.toLocaleString('en-US')} snapshot writes after ${Math.round(seconds)} s`);
        },
      });
      console.log(`  aged: ${JSON.stringify(report)}`);
      const run = await openLoopOnFreshStack(network, new OrderCycler(orders, 'e2e-aged'), plan, plan.agedRate, { engineDataDir: dataDir });
      const fresh = sweep.find((entry) => entry.result.offeredPerSec === plan.agedRate)?.result;
      aged = { report, fresh, result: run.result, load: run.load };
      printOpenLoop([...(fresh === undefined ? [] : [{ label: 'fresh store', result: fresh, load: Number.NaN }]), { label: 'aged store', result: run.result, load: run.load }], `open loop ${plan.agedRate}/s, fresh against aged store`);
      figures.push(openLoopFigure(`e2e open loop ${plan.agedRate}/s, aged store`, run.result, { ...params, loadAverage1m: run.load, agingMethod: 'recorded engine write log replayed with fresh order ids', ...flatAge(report) }));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  const atTargetRate = sweep.find((entry) => entry.result.offeredPerSec === TARGET_P99_RATE)?.result;
  const maxSustained = best?.allocatedPerSec ?? 0;
  const missed = (atTargetRate !== undefined && atTargetRate.allocated.p99 > TARGET_P99_ALLOCATED_US) || maxSustained < TARGET_MAX_SUSTAINED;
  if (plan.profile === 'always' || (plan.profile === 'auto' && missed)) {
    const trace = await traceUnloaded(await benchNetwork(orders, 20_000), new OrderCycler(orders, 'e2e-trace'), plan.speedup, plan.quick ? 2_000 : 8_000);
    printBatches(trace.batches, `engine batches, one order at a time (p50 ${trace.step.allocated.p50 / 1000} ms placed->allocated, load ${loadNow()})`);
    figures.push(...batchFigures('engine batches, 1 in flight', trace.batches));

    const rate = plan.rates.includes(TARGET_P99_RATE) ? TARGET_P99_RATE : (plan.rates[0] ?? TARGET_P99_RATE);
    const run = { ...plan.run, ratePerSec: rate, windowMs: Math.min(plan.run.windowMs, 10_000), drainMs: 1_000 };
    const load = loadNow();
    const profiled = await profileEngine(await benchNetwork(orders, ordersFor(rate, run)), new OrderCycler(orders, 'e2e-profile'), plan.speedup, run);
    printBatches(profiled.batches, `engine batches at ${rate}/s offered (load ${load})`);
    figures.push(...batchFigures(`engine batches, ${rate}/s offered`, profiled.batches));
    if (profiled.profile === undefined) notes.push('the engine child wrote no CPU profile (it did not exit normally)');
    else {
      const profile = profiled.profile;
      printProfile(profile, `engine CPU profile at ${rate}/s offered (load ${load})`);
      figures.push(...profileFigures(`engine profile ${rate}/s`, profile));
      notes.push(`engine profile at ${rate}/s: busiest functions (self time): ${profile.topSelf.slice(0, 10).map((entry) => `${entry.name} ${(entry.share * 100).toFixed(1)}%`).join(', ')}`);
    }
  }

  const jetstream64 = figures.find((figure) => figure.name === 'baseline: jetstream publish+ack, 64 in flight')?.metrics.throughput?.value;
  const requestReplyP50 = figures.find((figure) => figure.name === 'baseline: nats request/reply, 1 in flight')?.metrics.latencyP50Us?.value;
  const unloaded = search.steps[0];
  const ratios: [string, string][] = [
    ['max sustained (p99 alloc <= 50 ms) / JetStream publish+ack 64 in flight', jetstream64 === undefined ? 'no baseline' : `${maxSustained} / ${jetstream64} = ${(maxSustained / jetstream64).toFixed(4)}`],
    ['e2e p50 placed->allocated, 1 in flight / NATS request/reply p50', requestReplyP50 === undefined || unloaded === undefined ? 'no baseline' : `${unloaded.allocated.p50} / ${requestReplyP50} us = ${(unloaded.allocated.p50 / requestReplyP50).toFixed(1)}x`],
    [`p99 placed->allocated at ${TARGET_P99_RATE}/s (target <= ${TARGET_P99_ALLOCATED_US / 1000} ms)`, atTargetRate === undefined ? 'rate not run' : `${atTargetRate.allocated.p99 / 1000} ms (${atTargetRate.allocationCutOff} of ${atTargetRate.measuredOrders} cut off)`],
    [
      `max sustained rate (target >= ${TARGET_MAX_SUSTAINED}/s)`,
      best === undefined ? `none: no step kept p99 under ${SEARCH_P99_LIMIT_US / 1000} ms` : `${maxSustained}/s at ${best.inFlight} in flight${confirmed === undefined ? '' : `; open loop at it: p99 ${confirmed.allocated.p99 / 1000} ms, ${confirmed.allocatedPerSec}/s allocated`}`,
    ],
    ['peak closed-loop throughput, any latency', peak === undefined ? 'none' : `${peak.allocatedPerSec}/s at ${peak.inFlight} in flight, p99 ${peak.allocated.p99 / 1000} ms`],
  ];
  if (aged !== undefined) ratios.push([`aged store at ${plan.agedRate}/s against fresh`, `${aged.result.allocatedPerSec}/s vs ${aged.fresh?.allocatedPerSec ?? '-'}/s allocated; p99 ${aged.result.allocated.p99 / 1000} vs ${(aged.fresh?.allocated.p99 ?? Number.NaN) / 1000} ms`]);
  printTable(['figure', 'value'], ratios, 'summary');
  notes.push(...ratios.map(([name, value]) => `${name}: ${value}`), `load average at the end: ${loadNow()}`);

  console.log(`\nwrote ${await writeResult({ ...result, figures, notes })}`);
}

function flatAge(report: AgeReport): Record<string, number> {
  return { agedSnapshotWrites: report.snapshotWrites, agedPuts: report.puts, agedRemoves: report.removes, agedCycles: report.cycles, agingSeconds: report.seconds, agedFileMiB: report.fileMiB, agedFreeListEntries: report.freeListEntries };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
