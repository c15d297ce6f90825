/**
 * End-to-end latency and throughput with real processes: nats-server (JetStream, file
 * storage), `switchyard engine` and `switchyard agent` as child processes, and the load
 * generator in this process publishing copies of the bundled UCI orders with fresh ids through
 * `CommandPublisher`. Placed-to-allocated is the time to the order's `processing` event,
 * placed-to-shipped to its first shipped event, both seen by the generator. Every run starts a
 * fresh stack (server, engine store, agents). Baselines run in the same process first.
 *
 * Phases run in this order. The baselines come first, then an open-loop sweep over `--rates`.
 * A closed-loop search finds the highest rate whose p99 placed-to-allocated stays under 50 ms,
 * and an open loop checks it. One rate then runs on a fresh and on an aged store. When a target
 * is missed, the engine's batch stage times and a CPU profile of the engine child follow.
 *
 *   node --import tsx bench/e2e.bench.ts [--quick] [--rates 500,2000,5000|none] [--window-s 20]
 *     [--warmup-s 5] [--drain-s 30] [--speedup 3600000] [--age-writes 1000000|0] [--aged-rate R]
 *     [--search-budget-s 150] [--skip-search] [--profile auto|always|never] [--skip-baselines]
 */
import { printFigures, runBaselines } from './baselines.bench.ts';
import { loadNow } from './lib/e2e/e2eFigures.ts';
import { parseE2ePlan } from './lib/e2e/e2ePlan.ts';
import { runAgedComparison, runDiagnostics, runSearch, runSweep, SEARCH_P99_LIMIT_US, type AgedPhase, type OpenLoopRun, type PhaseContext, type SearchPhase } from './lib/e2e/e2ePhases.ts';
import { describeLineCounts, loadBundledOrders } from './lib/e2e/orderWorkload.ts';
import { describeMachine } from './lib/machine.ts';
import { makeResult, writeResult, type Figure } from './lib/results.ts';
import { printTable } from './lib/table.ts';

/** Targets reported against, not asserted. */
const TARGET_P99_ALLOCATED_US = 10_000;
const TARGET_P99_RATE = 2_000;
const TARGET_MAX_SUSTAINED = 5_000;

const ms = (us: number | undefined): string => (us === undefined ? '-' : `${Math.round(us / 100) / 10} ms`);

function describeBest(searched: SearchPhase | undefined): string {
  if (searched === undefined) return 'search skipped';
  const best = searched.search.best;
  if (best === undefined) return 'none: no step kept p99 under the limit';
  return `${best.allocatedPerSec}/s at ${best.inFlight} in flight, p99 ${ms(best.allocated.p99)}`;
}

/** Returns the summary rows: the targets, and Switchyard's figures as ratios of the baselines. */
function summarize(figures: readonly Figure[], sweep: readonly OpenLoopRun[], searched: SearchPhase | undefined, aged: AgedPhase | undefined): [string, string][] {
  const jetstream64 = figures.find((figure) => figure.name === 'baseline: jetstream publish+ack, 64 in flight')?.metrics.throughput?.value;
  const requestReplyP50 = figures.find((figure) => figure.name === 'baseline: nats request/reply, 1 in flight')?.metrics.latencyP50Us?.value;
  const atTargetRate = sweep.find((run) => run.result.offeredPerSec === TARGET_P99_RATE)?.result;
  const best = searched?.search.best;
  const peak = searched?.search.peak;
  const unloaded = searched?.search.steps[0];
  const sustained = best?.allocatedPerSec ?? 0;
  const confirmed = searched?.confirmed;

  const rows: [string, string][] = [
    [`p99 placed->allocated at ${TARGET_P99_RATE}/s (target <= ${TARGET_P99_ALLOCATED_US / 1000} ms)`, atTargetRate === undefined ? 'rate not run' : `${ms(atTargetRate.allocated.p99)} (${atTargetRate.allocationCutOff} of ${atTargetRate.measuredOrders} still waiting at the cut-off)`],
    [`max sustained rate, closed loop, p99 <= ${SEARCH_P99_LIMIT_US / 1000} ms (target >= ${TARGET_MAX_SUSTAINED}/s)`, describeBest(searched)],
    ['open loop at that rate (corrected for coordinated omission)', confirmed === undefined ? '-' : `${confirmed.allocatedPerSec}/s allocated, p50 ${ms(confirmed.allocated.p50)}, p99 ${ms(confirmed.allocated.p99)}`],
    ['peak closed-loop throughput, any latency', peak === undefined ? '-' : `${peak.allocatedPerSec}/s at ${peak.inFlight} in flight, p99 ${ms(peak.allocated.p99)}`],
    ['max sustained / JetStream publish+ack, 64 in flight', jetstream64 === undefined || searched === undefined ? '-' : `${sustained} / ${jetstream64} = ${(sustained / jetstream64).toFixed(4)}`],
    ['p50 placed->allocated, 1 in flight / NATS request/reply p50', requestReplyP50 === undefined || unloaded === undefined ? '-' : `${unloaded.allocated.p50} / ${requestReplyP50} us = ${(unloaded.allocated.p50 / requestReplyP50).toFixed(1)}x`],
  ];
  if (aged !== undefined) {
    const { fresh, aged: agedRun } = aged;
    rows.push([`aged (${aged.report.snapshotWrites.toLocaleString('en-US')} snapshot writes) against fresh store at ${fresh.result.offeredPerSec}/s`, `${agedRun.result.allocatedPerSec} vs ${fresh.result.allocatedPerSec} allocated/s; p99 ${ms(agedRun.result.allocated.p99)} vs ${ms(fresh.result.allocated.p99)}`]);
  }
  return rows;
}

async function main(): Promise<void> {
  const plan = parseE2ePlan();
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
  const context: PhaseContext = { plan, orders, params: { speedup: plan.speedup, bundledOrders: lines.orders, meanLines: lines.meanLines }, figures, notes };

  const sweep = await runSweep(context);
  const searched = await runSearch(context);
  const aged = await runAgedComparison(context);

  const atTargetRate = sweep.find((run) => run.result.offeredPerSec === TARGET_P99_RATE)?.result;
  const missed = (atTargetRate !== undefined && atTargetRate.allocated.p99 > TARGET_P99_ALLOCATED_US) || (searched !== undefined && (searched.search.best?.allocatedPerSec ?? 0) < TARGET_MAX_SUSTAINED);
  if (plan.profile === 'always' || (plan.profile === 'auto' && missed)) await runDiagnostics(context, plan.rates.includes(TARGET_P99_RATE) ? TARGET_P99_RATE : (plan.rates[0] ?? TARGET_P99_RATE));

  const rows = summarize(figures, sweep, searched, aged);
  printTable(['figure', 'value'], rows, 'summary');
  notes.push(...rows.map(([name, value]) => `${name}: ${value}`), `load average at the end: ${loadNow()}`);
  console.log(`\nwrote ${await writeResult({ ...result, figures, notes })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
