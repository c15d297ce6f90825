/**
 * Memory per order actor, live and passivated, with 10-line orders cut from the bundled UCI
 * orders, and LMDB bytes per order. Each scenario runs in its own child process, so one
 * scenario's heap does not skew the next:
 *
 * - `actors-live`: `OrderActors` on a real store with the real order machine, N orders all
 *   live (allocated, waiting for shipment), then every actor stopped;
 * - `actors-passivated`: the same with at most `--max-live` live actors (default 50,000, the
 *   engine's default), so older ones are passivated as orders arrive, up to N orders;
 * - `engine-live`: the engine's command path in process (`InProcessEngine`), so node actors
 *   hold each order's reservations, N orders all live, then every order actor stopped.
 *
 *   node --expose-gc --import tsx bench/memory.bench.ts [--quick] [--live 100000]
 *     [--passivated 1000000] [--max-live 50000] [--engine 100000] [--max-seconds 1200]
 *
 * The scenarios run with `--expose-gc`, which is added when this process lacks it.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import { loadNow } from './lib/e2e/e2eFigures.ts';
import { requireGc } from './lib/e2e/heapSampler.ts';
import { runActorScenario, runEngineScenario, type MemoryScenarioResult } from './lib/e2e/memoryScenarios.ts';
import { loadBundledOrders, ordersWithLines } from './lib/e2e/orderWorkload.ts';
import { describeMachine } from './lib/machine.ts';
import { makeResult, writeResult, type Figure, type Metric } from './lib/results.ts';
import { printTable } from './lib/table.ts';

/** Lines per order in every scenario. */
const LINES = 10;
/** Targets reported against, not asserted. */
const TARGET_LIVE_BYTES = 12 * 1024;
const TARGET_PASSIVATED_BYTES = 300;
/** Marks the child's result line on stdout. */
const RESULT_MARKER = 'MEMORY-RESULT ';

type ScenarioName = 'actors-live' | 'actors-passivated' | 'engine-live';

interface Scenario {
  readonly name: ScenarioName;
  readonly count: number;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

/** Runs one scenario in this process and prints its result line for the parent. */
async function runChild(name: ScenarioName, count: number, maxLive: number, maxSeconds: number): Promise<void> {
  requireGc();
  const orders = ordersWithLines(await loadBundledOrders(), LINES);
  const slack = 2_000;
  const result =
    name === 'engine-live'
      ? await runEngineScenario(name, { orders, count, maxLive: count + slack, maxSeconds })
      : await runActorScenario(name, { orders, count, maxLive: name === 'actors-live' ? count + slack : maxLive, maxSeconds });
  console.log(`${RESULT_MARKER}${JSON.stringify(result)}`);
}

/** Starts this file again with the same Node flags for one scenario, and returns its result. */
function spawnScenario(scenario: Scenario, maxLive: number, maxSeconds: number): MemoryScenarioResult {
  const gcFlag = process.execArgv.includes('--expose-gc') ? [] : ['--expose-gc'];
  const options = ['--scenario', scenario.name, '--count', String(scenario.count), '--max-live', String(maxLive), '--max-seconds', String(maxSeconds)];
  const args = [...gcFlag, ...process.execArgv, process.argv[1] ?? '', ...options];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
  if (child.status !== 0 || line === undefined) throw new Error(`memory scenario ${scenario.name} failed (exit ${String(child.status ?? child.signal)}); output:\n${child.stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as MemoryScenarioResult;
}

function bytes(value: number): Metric {
  return { value, unit: 'B', better: 'lower' };
}

function figureOf(result: MemoryScenarioResult, load: number): Figure {
  const metrics: Record<string, Metric> = {
    heapPerPassivatedOrder: bytes(result.perPassivatedOrder.heapUsed),
    rssPerPassivatedOrder: bytes(result.perPassivatedOrder.rss),
    peakRss: bytes(result.peakRss),
  };
  if (result.perLiveActor !== undefined) metrics.heapPerLiveActor = bytes(result.perLiveActor.heapUsed);
  if (result.perLiveOrder !== undefined) {
    metrics.heapPerLiveOrder = bytes(result.perLiveOrder.heapUsed);
    metrics.rssPerLiveOrder = bytes(result.perLiveOrder.rss);
  }
  for (const [database, value] of Object.entries(result.lmdbPerOrder)) metrics[`lmdb_${database}`] = bytes(value);
  return { name: `memory ${result.scenario}, ${result.orders} orders of ${LINES} lines`, params: { orders: result.orders, seconds: result.seconds, loadAverage1m: load }, metrics };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      live: { type: 'string' },
      passivated: { type: 'string' },
      engine: { type: 'string' },
      'max-seconds': { type: 'string' },
      'max-live': { type: 'string' },
      scenario: { type: 'string' },
      count: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const maxSeconds = positiveInteger('max-seconds', values['max-seconds'] ?? (quick ? '15' : '1200'));
  const maxLive = positiveInteger('max-live', values['max-live'] ?? (quick ? '2000' : '50000'));
  if (values.scenario !== undefined) {
    const name = values.scenario as ScenarioName;
    if (!['actors-live', 'actors-passivated', 'engine-live'].includes(name)) throw new Error(`--scenario must be actors-live, actors-passivated or engine-live, got "${name}"`);
    await runChild(name, positiveInteger('count', values.count ?? '1000'), maxLive, maxSeconds);
    return;
  }

  const scenarios: Scenario[] = [
    { name: 'actors-live', count: positiveInteger('live', values.live ?? (quick ? '5000' : '100000')) },
    { name: 'actors-passivated', count: positiveInteger('passivated', values.passivated ?? (quick ? '20000' : '1000000')) },
    { name: 'engine-live', count: positiveInteger('engine', values.engine ?? (quick ? '3000' : '100000')) },
  ];
  const result = makeResult('memory', []);
  console.log(`memory on ${describeMachine(result.machine)}`);

  const results: { result: MemoryScenarioResult; load: number }[] = [];
  for (const scenario of scenarios) {
    const load = loadNow();
    const live = scenario.name === 'actors-passivated' ? `, at most ${maxLive.toLocaleString('en-US')} live` : '';
    console.log(`\n${scenario.name}: ${scenario.count.toLocaleString('en-US')} orders${live} (load ${load}, at most ${maxSeconds} s)`);
    const outcome = spawnScenario(scenario, maxLive, maxSeconds);
    results.push({ result: outcome, load });
    console.log(`  ${outcome.orders.toLocaleString('en-US')} orders in ${outcome.seconds} s`);
  }

  const dash = (value: number | undefined): number | string => value ?? '-';
  printTable(
    ['scenario', 'orders', 'heap/live actor', 'heap/live order', 'rss/live order', 'heap/passivated', 'rss/passivated', 'LMDB/order', 'data.mdb/order', 'peak RSS MiB', 'load'],
    results.map(({ result: r, load }) => [
      r.scenario,
      r.orders,
      dash(r.perLiveActor?.heapUsed),
      dash(r.perLiveOrder?.heapUsed),
      dash(r.perLiveOrder?.rss),
      r.perPassivatedOrder.heapUsed,
      r.perPassivatedOrder.rss,
      r.lmdbPerOrder.total ?? 0,
      r.lmdbPerOrder.file ?? 0,
      Math.round(r.peakRss / 1024 / 1024),
      load,
    ]),
    `bytes per order, ${LINES}-line orders (targets: <= ${TARGET_LIVE_BYTES} B per live actor, <= ${TARGET_PASSIVATED_BYTES} B heap per passivated order)`,
  );
  printTable(['scenario', 'LMDB bytes per order by database'], results.map(({ result: r }) => [r.scenario, JSON.stringify(r.lmdbPerOrder)]));

  const notes = [`load average at the end: ${loadNow()}`, 'heap and RSS are sampled after repeated full collections (--expose-gc); RSS also counts LMDB pages mapped into the process'];
  console.log(`\nwrote ${await writeResult({ ...result, figures: results.map(({ result: r, load }) => figureOf(r, load)), notes })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
