/**
 * Recovery benchmark: time from `switchyard engine` start to consuming commands again with many
 * open orders in LMDB, after a clean stop and after SIGKILL.
 *
 * The open orders are real: they run through a real engine child process with node agents that
 * acknowledge every allocation and never ship it, so each order rests `processing` (or
 * `backordered` on the scarce SKUs) with its stock reserved at its nodes.
 *
 *   npx tsx bench/recovery.bench.ts                        # 100,000 open orders, 5 restarts of each kind
 *   npx tsx bench/recovery.bench.ts --orders 20000 --runs 3
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

import { NodeAgent } from '../src/actors/nodeAgent.ts';
import { silentLogger } from '../src/logging.ts';
import { registerNodes } from '../src/publish/registerNodes.ts';
import { openEngineStore } from '../src/storage/engineStore.ts';
import type { OrderContext } from '../src/machines/orderState.ts';
import { encode } from '../src/transport/codec.ts';
import { connectNats } from '../src/transport/connection.ts';
import { MESSAGE_VERSION } from '../src/transport/messages.ts';
import { startNatsServer } from '../src/transport/natsServer.ts';
import { ensureStreams } from '../src/transport/streams.ts';
import { subjects } from '../src/transport/subjects.ts';
import { crashNetwork, crashWorkload } from '../test/crash/support/crashWorkload.ts';
import { spawnEngine, type EngineProcess } from '../test/crash/support/engineProcess.ts';
import { publishSchedule } from '../test/crash/support/retryingPublisher.ts';
import { waitUntilQuiet } from '../test/crash/support/settle.ts';
import { tempDir } from '../test/support/tempDir.ts';
import { describeMachine } from './lib/machine.ts';
import { makeResult, writeResult, type Figure, type Metric } from './lib/results.ts';
import { printTable } from './lib/table.ts';

/** Target from the engine's recovery requirement: consuming again within 3 s of the start. */
const TARGET_MS = 3_000;

interface Plan {
  orders: number;
  runs: number;
  /** Maximum time to load the open orders, in seconds. */
  maxLoadSeconds: number;
}

/** Timing of one engine restart. */
interface RestartRun {
  spawnToConsumingMs: number;
  engineStartupMs: number | undefined;
  /** Spawn to the event of a probe command on an existing open order (the order is rehydrated). */
  spawnToProbeEventMs: number | undefined;
  rssMiB: number | undefined;
}

function parsePlan(): Plan {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '5' },
      'max-load-seconds': { type: 'string', default: '1500' },
    },
  });
  const positive = (name: string, text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} "${text}" is invalid; expected a positive integer`);
    return value;
  };
  return { orders: positive('orders', values.orders), runs: positive('runs', values.runs), maxLoadSeconds: positive('max-load-seconds', values['max-load-seconds']) };
}

/** Starts one agent per node that acknowledges every allocation and never ships it. */
async function startIdleAgents(nc: NatsConnection, nodeIds: readonly string[]): Promise<NodeAgent[]> {
  const agents: NodeAgent[] = [];
  for (const nodeId of nodeIds) {
    agents.push(
      await NodeAgent.start({
        nc,
        nodeId,
        logger: silentLogger(),
        heartbeatMs: 0,
        onWork: (work, agent) => {
          agent.accept(work.allocationId).catch((error: unknown) => console.error(`accepting ${work.allocationId} failed: ${(error as Error).message}`));
        },
      }),
    );
  }
  return agents;
}

/** Resident set size of a process in MiB, from /proc; undefined when unreadable. */
async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kib) ? Math.round(kib / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the engine, waits until it consumes, then publishes a hold on an open order and waits
 * for the order's event: that shows the engine applies commands again, rehydrating the order.
 */
async function measureRestart(natsUrl: string, dataDir: string, nc: NatsConnection, probeOrderId: string): Promise<{ run: RestartRun; engine: EngineProcess }> {
  const engine = spawnEngine({ natsUrl, dataDir });
  const spawnToConsumingMs = await engine.consuming;
  const rss = await rssMiB(engine.pid);
  const probeEvent = new Promise<number>((resolve) => {
    const subscription = nc.subscribe(subjects.orderEvent(probeOrderId, '>'), {
      callback: () => {
        subscription.unsubscribe();
        resolve(performance.now());
      },
    });
  });
  await nc.flush();
  const key = `bench-hold:${probeOrderId}`;
  const hold = { type: 'order.hold', v: MESSAGE_VERSION, key, orderId: probeOrderId, reason: 'recovery benchmark probe' };
  await jetstream(nc).publish(subjects.orderCommand(probeOrderId, 'hold'), encode(hold), { msgID: key });
  const eventAt = await Promise.race([probeEvent, sleep(60_000).then(() => undefined)]);
  const engineStartupMs = await Promise.race([engine.started, sleep(5_000).then(() => undefined)]);
  return {
    engine,
    run: { spawnToConsumingMs, engineStartupMs, spawnToProbeEventMs: eventAt === undefined ? undefined : eventAt - engine.spawnedAt, rssMiB: rss },
  };
}

/** What the store contains after the load: orders by status, reservations at nodes, file size. */
async function inspectStore(dataDir: string): Promise<{ orders: number; open: number; byStatus: Record<string, number>; reservations: number; fileMiB: number; openIds: string[] }> {
  const store = openEngineStore({ path: join(dataDir, 'lmdb') });
  try {
    const byStatus: Record<string, number> = {};
    const openIds: string[] = [];
    let orders = 0;
    for (const { key, value } of store.orders.getRange()) {
      const { status } = (value.snapshot as { context: OrderContext }).context;
      orders++;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (status === 'processing') openIds.push(key);
    }
    const reservations = store.reservations.getCount();
    const open = orders - (byStatus.delivered ?? 0) - (byStatus.cancelled ?? 0) - (byStatus.rejected ?? 0);
    const fileMiB = Math.round((await stat(join(dataDir, 'lmdb', 'data.mdb'))).size / 1024 / 1024);
    return { orders, open, byStatus, reservations, fileMiB, openIds };
  } finally {
    await store.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function msMetric(values: readonly (number | undefined)[]): Metric {
  const known = values.filter((value): value is number => value !== undefined).map((value) => Math.round(value));
  return { value: median(known), unit: 'ms', better: 'lower', runs: known };
}

function restartFigure(name: string, runs: readonly RestartRun[], params: Readonly<Record<string, number>>): Figure {
  const rss = runs.map((run) => run.rssMiB).filter((value): value is number => value !== undefined);
  return {
    name,
    params,
    metrics: {
      spawnToConsumingMs: msMetric(runs.map((run) => run.spawnToConsumingMs)),
      engineStartupMs: msMetric(runs.map((run) => run.engineStartupMs)),
      spawnToProbeEventMs: msMetric(runs.map((run) => run.spawnToProbeEventMs)),
      rssAtConsumingMiB: { value: median(rss), unit: 'MiB', better: 'lower', runs: rss },
    },
  };
}

async function main(): Promise<void> {
  const plan = parsePlan();
  const startedAt = new Date();
  const server = await startNatsServer();
  const dir = await tempDir('recovery-bench');
  const nc = await connectNats({ url: server.url, name: 'recovery-bench', logger: silentLogger() });
  const engines: EngineProcess[] = [];
  let agents: NodeAgent[] = [];
  try {
    await ensureStreams(nc);
    const js = jetstream(nc);
    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[0]?.consuming;

    const network = crashNetwork(plan.orders);
    await registerNodes(nc, network.nodes, network.inventory, 'recovery-bench');
    agents = await startIdleAgents(nc, network.nodes.map((node) => node.nodeId));
    const workload = crashWorkload({ orders: plan.orders, ratePerSecond: 1_000_000, seed: 7, prefix: 'open' });
    const places = workload.commands.filter((command) => command.subject.endsWith('.place'));
    const loadStarted = performance.now();
    await publishSchedule(js, places, { maxInFlight: 256 });
    const quiet = await waitUntilQuiet(nc, { timeoutMs: plan.maxLoadSeconds * 1_000, quietMs: 3_000 });
    const loadSeconds = (performance.now() - loadStarted) / 1_000;
    if (!quiet.quiet) throw new Error(`the engine did not apply ${plan.orders} orders within ${plan.maxLoadSeconds} s (still busy: ${JSON.stringify(quiet.busy)}); raise --max-load-seconds`);
    for (const agent of agents) await agent.stop();
    agents = [];
    await engines[0]?.stop();

    const contents = await inspectStore(dir.path);
    console.log(`loaded ${contents.orders} orders in ${loadSeconds.toFixed(0)} s: ${JSON.stringify(contents.byStatus)}, ${contents.reservations} reservations at nodes, data.mdb ${contents.fileMiB} MiB`);
    const probes = contents.openIds.filter((_, index) => index % 97 === 0);
    const nextProbe = (): string => {
      const probe = probes.shift();
      if (probe === undefined) throw new Error('no open order left to probe; expected at least one per restart');
      return probe;
    };

    const clean: RestartRun[] = [];
    for (let run = 0; run < plan.runs; run++) {
      const { run: measured, engine } = await measureRestart(server.url, dir.path, nc, nextProbe());
      engines.push(engine);
      clean.push(measured);
      await engine.stop();
    }
    const killed: RestartRun[] = [];
    const first = spawnEngine({ natsUrl: server.url, dataDir: dir.path });
    engines.push(first);
    await first.consuming;
    await first.kill();
    for (let run = 0; run < plan.runs; run++) {
      const { run: measured, engine } = await measureRestart(server.url, dir.path, nc, nextProbe());
      engines.push(engine);
      killed.push(measured);
      await engine.kill();
    }

    const params = { orders: contents.orders, openOrders: contents.open, reservations: contents.reservations, dataMiB: contents.fileMiB };
    const figures: Figure[] = [
      restartFigure(`restart after clean stop, ${contents.open} open orders`, clean, params),
      restartFigure(`restart after SIGKILL, ${contents.open} open orders`, killed, params),
      {
        name: `load ${contents.orders} orders through the engine`,
        params: { ...params, statuses: JSON.stringify(contents.byStatus) },
        metrics: { ordersPerSecond: { value: Math.round(contents.orders / loadSeconds), unit: 'orders/s', better: 'higher' }, loadSeconds: { value: Math.round(loadSeconds), unit: 's', better: 'lower' } },
      },
    ];
    const rows = [...clean.map((run, index) => ['clean stop', index + 1, run] as const), ...killed.map((run, index) => ['SIGKILL', index + 1, run] as const)].map(([kind, index, run]) => [
      kind,
      index,
      Math.round(run.spawnToConsumingMs),
      run.engineStartupMs ?? '-',
      run.spawnToProbeEventMs === undefined ? '-' : Math.round(run.spawnToProbeEventMs),
      run.rssMiB ?? '-',
    ]);
    printTable(['after', 'run', 'spawn->consuming ms', 'engine startupMs', 'spawn->probe event ms', 'RSS MiB'], rows, `engine restarts with ${contents.open} open orders (target: consuming within ${TARGET_MS} ms)`);

    const result = makeResult('recovery', figures, {
      date: startedAt,
      notes: [
        'Open orders were created by running place commands through a real engine child process with node agents that acknowledge every allocation and never ship it.',
        'spawnToConsumingMs includes starting Node and tsx; engineStartupMs is the engine\'s own Engine.start time as it logs it.',
        'spawnToProbeEventMs: spawn until the event of a hold command on an existing open order, which the engine rehydrates from LMDB.',
      ],
    });
    console.log(`\n${describeMachine(result.machine)}`);
    console.log(`wrote ${await writeResult(result)}`);
  } finally {
    for (const agent of agents) await agent.stop();
    for (const engine of engines) await engine.kill();
    await nc.close();
    await server.stop();
    await dir.remove();
  }
}

await main();
