import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Order } from '../../../src/domain/order.ts';
import { DEFAULT_RULE_SET } from '../../../src/sourcing/index.ts';
import type { Figure } from '../results.ts';
import { ageEngineStore, type AgeReport } from './agedStore.ts';
import { searchMaxSustained, type SearchResult } from './closedLoop.ts';
import { profileEngine, traceUnloaded } from './diagnostics.ts';
import { batchFigures, closedLoopFigure, loadNow, openLoopFigure, printBatches, printClosedLoop, printOpenLoop, printProfile, profileFigures } from './e2eFigures.ts';
import { ordersFor, type E2ePlan } from './e2ePlan.ts';
import { LatencyProbe } from './latencyProbe.ts';
import { runOpenLoop, type OpenLoopResult } from './openLoop.ts';
import { benchNetwork, OrderCycler, type BenchNetwork } from './orderWorkload.ts';
import { startStack } from './stack.ts';

/** What every phase reads and appends to. */
export interface PhaseContext {
  readonly plan: E2ePlan;
  readonly orders: readonly Order[];
  /** Parameters recorded with every figure. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly figures: Figure[];
  readonly notes: string[];
}

/** One open-loop run with the load average at its start. */
export interface OpenLoopRun {
  readonly label: string;
  readonly result: OpenLoopResult;
  readonly load: number;
}

/** p99 placed-to-allocated limit of the sustained-rate search, in us. */
export const SEARCH_P99_LIMIT_US = 50_000;

async function openLoopOnFreshStack(context: PhaseContext, network: BenchNetwork, prefix: string, ratePerSec: number, options: { engineDataDir?: string; windowMs?: number } = {}): Promise<OpenLoopRun> {
  const { plan } = context;
  const stack = await startStack({ network, speedup: plan.speedup, ...(options.engineDataDir === undefined ? {} : { engineDataDir: options.engineDataDir }) });
  const probe = new LatencyProbe(stack.nc);
  try {
    const load = loadNow();
    const result = await runOpenLoop(stack, probe, new OrderCycler(context.orders, prefix), { ...plan.run, ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }), ratePerSec });
    const problems = [...stack.engine.problems, ...stack.agents.problems].map(([message, times]) => `${message} x${times}`).join('; ');
    if (problems !== '') context.notes.push(`${prefix} at ${ratePerSec}/s: child warnings: ${problems}`);
    return { label: `${prefix} ${ratePerSec}/s`, result, load };
  } finally {
    probe.stop();
    await stack.stop();
  }
}

/** Runs every sweep rate on a fresh stack and records one figure per rate. */
export async function runSweep(context: PhaseContext): Promise<OpenLoopRun[]> {
  const runs: OpenLoopRun[] = [];
  for (const rate of context.plan.rates) {
    const network = await benchNetwork(context.orders, ordersFor(rate, context.plan.run));
    const run = await openLoopOnFreshStack(context, network, 'open', rate);
    runs.push(run);
    context.figures.push(openLoopFigure(`e2e open loop ${rate}/s, fresh store`, run.result, { ...context.params, loadAverage1m: run.load }));
    printOpenLoop([run], `open loop ${rate}/s (ms from the intended send time)`);
  }
  return runs;
}

/** Outcome of {@link runSearch}: the closed-loop search and the open-loop check at its rate. */
export interface SearchPhase {
  readonly search: SearchResult;
  readonly confirmed: OpenLoopResult | undefined;
}

/** Searches the sustained rate with a closed loop, then offers that rate in an open loop. */
export async function runSearch(context: PhaseContext): Promise<SearchPhase | undefined> {
  const { plan } = context;
  if (plan.search === undefined) return undefined;
  const stack = await startStack({ network: await benchNetwork(context.orders, 200_000), speedup: plan.speedup });
  const probe = new LatencyProbe(stack.nc);
  let search: SearchResult;
  try {
    const load = loadNow();
    search = await searchMaxSustained(stack, probe, new OrderCycler(context.orders, 'e2e-closed'), {
      p99LimitUs: SEARCH_P99_LIMIT_US,
      ...plan.search,
      onStep: (step) => console.log(`  closed loop ${step.inFlight} in flight: ${step.allocatedPerSec} allocated/s, p99 ${Math.round(step.allocated.p99 / 1000)} ms`),
    });
    printClosedLoop(search.steps, `closed loop search (p99 limit ${SEARCH_P99_LIMIT_US / 1000} ms; stopped: ${search.stoppedBecause}; load ${load})`);
    for (const step of search.steps) context.figures.push(closedLoopFigure(step, { ...context.params, loadAverage1m: load }));
  } finally {
    probe.stop();
    await stack.stop();
  }

  if (search.best === undefined || plan.confirmMs === 0) return { search, confirmed: undefined };
  const rate = Math.max(1, search.best.allocatedPerSec);
  const network = await benchNetwork(context.orders, ordersFor(rate, { ...plan.run, windowMs: plan.confirmMs }));
  const run = await openLoopOnFreshStack(context, network, 'confirm', rate, { windowMs: plan.confirmMs });
  printOpenLoop([run], 'open loop at the rate the search found');
  context.figures.push(openLoopFigure(`e2e open loop at the searched rate ${rate}/s`, run.result, { ...context.params, loadAverage1m: run.load }));
  return { search, confirmed: run.result };
}

/** Outcome of {@link runAgedComparison}. */
export interface AgedPhase {
  readonly report: AgeReport;
  readonly fresh: OpenLoopRun;
  readonly aged: OpenLoopRun;
}

/**
 * Offers `agedRate` to a fresh store and then to a store aged by `ageWrites` order snapshot
 * writes, each on a fresh stack with the same network, and records both.
 */
export async function runAgedComparison(context: PhaseContext): Promise<AgedPhase | undefined> {
  const { plan } = context;
  if (plan.ageWrites === 0) return undefined;
  const network = await benchNetwork(context.orders, plan.recordOrders + 2 * ordersFor(plan.agedRate, plan.run));
  const fresh = await openLoopOnFreshStack(context, network, 'fresh', plan.agedRate);

  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-aged-'));
  try {
    console.log(`\naging an engine store with ${plan.ageWrites.toLocaleString('en-US')} order snapshot writes (load ${loadNow()})`);
    let nextProgress = 0;
    const report = await ageEngineStore({
      dataDir,
      orders: context.orders,
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
    const aged = await openLoopOnFreshStack(context, network, 'aged', plan.agedRate, { engineDataDir: dataDir });
    printOpenLoop([fresh, aged], `open loop ${plan.agedRate}/s, fresh against aged store`);

    const aging = {
      agingMethod: 'recorded engine write log replayed with fresh order ids',
      agedSnapshotWrites: report.snapshotWrites,
      agedPuts: report.puts,
      agedRemoves: report.removes,
      agingSeconds: report.seconds,
      agedFileMiB: report.fileMiB,
      agedFreeListEntries: report.freeListEntries,
    };
    context.figures.push(openLoopFigure(`e2e open loop ${plan.agedRate}/s, fresh store for the aged comparison`, fresh.result, { ...context.params, loadAverage1m: fresh.load }));
    context.figures.push(openLoopFigure(`e2e open loop ${plan.agedRate}/s, aged store`, aged.result, { ...context.params, loadAverage1m: aged.load, ...aging }));
    return { report, fresh, aged };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Explains where time goes: one order at a time with the engine's batch stage times, then
 * `rate` offered to an engine running with `--cpu-prof`.
 */
export async function runDiagnostics(context: PhaseContext, rate: number): Promise<void> {
  const { plan, orders, figures, notes } = context;
  const trace = await traceUnloaded(await benchNetwork(orders, 20_000), new OrderCycler(orders, 'e2e-trace'), plan.speedup, plan.quick ? 2_000 : 8_000);
  printBatches(trace.batches, `engine batches, one order at a time (p50 ${trace.step.allocated.p50 / 1000} ms placed->allocated, load ${loadNow()})`);
  figures.push(...batchFigures('engine batches, 1 in flight', trace.batches));

  const run = { ...plan.run, ratePerSec: rate, windowMs: Math.min(plan.run.windowMs, 10_000), drainMs: 1_000 };
  const load = loadNow();
  const profiled = await profileEngine(await benchNetwork(orders, ordersFor(rate, run)), new OrderCycler(orders, 'e2e-profile'), plan.speedup, run);
  printBatches(profiled.batches, `engine batches at ${rate}/s offered (load ${load})`);
  figures.push(...batchFigures(`engine batches, ${rate}/s offered`, profiled.batches));
  if (profiled.profile === undefined) {
    notes.push('the engine child wrote no CPU profile (it did not exit normally)');
    return;
  }
  printProfile(profiled.profile, `engine CPU profile at ${rate}/s offered (load ${load})`);
  figures.push(...profileFigures(`engine profile ${rate}/s`, profiled.profile));
  notes.push(`engine profile at ${rate}/s, busiest functions (self time): ${profiled.profile.topSelf.slice(0, 10).map((entry) => `${entry.name} ${(entry.share * 100).toFixed(1)}%`).join(', ')}`);
}
