import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../../../src/data/prng.ts';
import { startSimulatedAgents, type Simulation } from '../../../src/demo/simulatedAgents.ts';
import { silentLogger } from '../../../src/logging.ts';
import { registerNodes } from '../../../src/publish/registerNodes.ts';
import { openEngineStore } from '../../../src/storage/engineStore.ts';
import { connectNats } from '../../../src/transport/connection.ts';
import { ensureStreams } from '../../../src/transport/streams.ts';
import { COMMAND_STREAM } from '../../../src/transport/subjects.ts';
import { crashNetwork, crashWorkload, type CrashNetwork, type CrashWorkload } from './crashWorkload.ts';
import { countProblems, spawnEngine, type EngineProcess, type ProcessExit } from './engineProcess.ts';
import { readEventStream, type EventStreamContents } from './eventStream.ts';
import { MessageAudit, type Conflict } from './messageAudit.ts';
import { startRestartableNats, type RestartableNats } from './restartableNats.ts';
import { publishSchedule, type ScheduleResult } from './retryingPublisher.ts';
import { waitUntilQuiet, type QuietResult } from './settle.ts';
import { auditState, type StateAudit } from './stateAudit.ts';

/** What a run disrupts while orders are published. */
export type Disruption = { kind: 'engine-kill' } | { kind: 'nats-restart'; signal: 'SIGTERM' | 'SIGKILL'; downForMs: number };

/** Options for `runCrashScenario`. */
export interface CrashRunOptions {
  orders: number;
  ratePerSecond: number;
  /** Seed of the workload and of the disruption times. */
  seed: number;
  /** Disruptions, spread at seeded times over the publishing window, at least `minGapMs` apart. */
  disruptions: Disruption[];
  /** Simulated time per real time of the node agents. Default 100,000. */
  speedup?: number;
  /** Share of allocations the agents reject. Default 0.02. */
  rejectRate?: number;
  /** Maximum wait for the run to go quiet after the last publish, in ms. */
  settleTimeoutMs: number;
  /** Smallest gap between two disruptions, in ms. Default 5,000. */
  minGapMs?: number;
}

/** Timing of one disruption and of the recovery after it. */
export interface RecoveryFigure {
  kind: Disruption['kind'];
  /** Time of the disruption, in ms after publishing started. */
  atMs: number;
  /** Commands delivered to the engine but not acknowledged just before the disruption. */
  unackedBefore: number;
  /** For an engine kill: spawn to the "engine consuming commands" log line, in ms. */
  spawnToConsumingMs?: number;
  /** For an engine kill: the engine's own `startupMs` (LMDB open, node restore, consumer). */
  engineStartupMs?: number;
  /** For a server restart: server stopped to server listening again, in ms. */
  serverDownMs?: number;
  /**
   * For an engine kill: spawn to the first event seen after the consuming line, in ms. For a
   * server restart: server listening again to the first event, in ms. Events the killed engine
   * sent just before it died can arrive after the spawn, so the clock starts at consuming.
   */
  toFirstEventMs?: number;
}

/** Everything a crash run observed, for the tests to check. */
export interface CrashRunResult {
  network: CrashNetwork;
  workload: CrashWorkload;
  recoveries: RecoveryFigure[];
  publish: ScheduleResult;
  quiet: QuietResult;
  finalExit: ProcessExit;
  engines: number;
  /** Warning and error lines of every engine, counted by message. */
  engineProblems: Record<string, number>;
  agentFailures: number;
  state: StateAudit;
  stream: EventStreamContents;
  liveConflicts: Conflict[];
  liveRepeats: number;
  /** Agent and publisher messages retried under the same id with new content, by subject prefix. */
  rebuiltRetries: Record<string, number>;
  /** Events seen live on `sy.evt.>` that the event stream does not contain. */
  eventsNotStored: string[];
  durationMs: number;
}

/**
 * Runs the whole crash scenario with real processes. It starts a nats-server with a temp store,
 * a `switchyard engine` child with a temp data folder and simulated agents in this process, and
 * registers the four-node crash network through `registerNodes`. It publishes the workload at a
 * steady rate while the disruptions happen, waits until everything is quiet and stops the engine
 * cleanly. Then it audits the engine's LMDB and the whole event stream. It always cleans up.
 */
export async function runCrashScenario(options: CrashRunOptions): Promise<CrashRunResult> {
  const startedAt = performance.now();
  const nats = await startRestartableNats();
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-crash-engine-'));
  const engines: EngineProcess[] = [];
  let nc: NatsConnection | undefined;
  let simulation: Simulation | undefined;
  let audit: MessageAudit | undefined;
  try {
    nc = await connectNats({ url: nats.url, name: 'crash-test', logger: silentLogger() });
    await ensureStreams(nc);
    audit = new MessageAudit(nc);
    const network = crashNetwork(options.orders);
    const workload = crashWorkload({ orders: options.orders, ratePerSecond: options.ratePerSecond, seed: options.seed });

    engines.push(spawnEngine({ natsUrl: nats.url, dataDir }));
    await (engines.at(-1) as EngineProcess).consuming;
    await registerAndWait(nc, network);
    simulation = await startSimulatedAgents({
      nc,
      nodeIds: network.nodes.map((node) => node.nodeId),
      logger: silentLogger(),
      speedup: options.speedup ?? 100_000,
      rejectRate: options.rejectRate ?? 0.02,
    });

    const js = jetstream(nc);
    const publishWindowMs = workload.commands.at(-1)?.atMs ?? 0;
    const times = disruptionTimes(options.seed, options.disruptions.length, publishWindowMs, options.minGapMs ?? 5_000);
    const publishStartedAt = performance.now();
    const publishing = publishSchedule(js, workload.commands);
    const disrupting = runDisruptions({ disruptions: options.disruptions, times, publishStartedAt, nc, audit, nats, engines, dataDir });
    // Both settle before the clean-up below, so that no engine is spawned after it ran.
    const [published, disrupted] = await Promise.allSettled([publishing, disrupting]);
    if (published.status === 'rejected') throw published.reason;
    if (disrupted.status === 'rejected') throw disrupted.reason;
    const publish = published.value;
    const recoveries = disrupted.value;

    const agents = simulation;
    const quiet = await waitUntilQuiet(nc, { agentSteps: () => agents.inFlight, timeoutMs: options.settleTimeoutMs });
    const finalExit = await (engines.at(-1) as EngineProcess).stop();
    const stream = await readEventStream(nc);
    const store = openEngineStore({ path: join(dataDir, 'lmdb') });
    let state: StateAudit;
    try {
      state = auditState(store, { orderIds: workload.orderIds, invalidOrderIds: workload.invalidOrderIds, startStock: network.inventory });
    } finally {
      await store.close();
    }
    const eventsNotStored = [...audit.eventIds].filter((msgId) => !stream.msgIds.has(msgId));

    return {
      network,
      workload,
      recoveries,
      publish,
      quiet,
      finalExit,
      engines: engines.length,
      engineProblems: countProblems(engines),
      agentFailures: simulation.failures,
      state,
      stream,
      liveConflicts: audit.conflicts,
      liveRepeats: audit.repeats,
      rebuiltRetries: Object.fromEntries(audit.rebuiltRetries),
      eventsNotStored,
      durationMs: performance.now() - startedAt,
    };
  } finally {
    audit?.stop();
    await simulation?.stop();
    for (const engine of engines) await engine.kill();
    await nc?.close();
    await nats.stop();
    // NOTE: SWITCHYARD_CRASH_KEEP=1 keeps the engine's LMDB folder for a post-mortem.
    if (process.env.SWITCHYARD_CRASH_KEEP === '1') console.log(`engine data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

/** What `runDisruptions` needs: the schedule, the clients and the engine processes it replaces. */
interface DisruptionContext {
  disruptions: readonly Disruption[];
  /** Disruption times in ms after `publishStartedAt`. */
  times: readonly number[];
  publishStartedAt: number;
  nc: NatsConnection;
  audit: MessageAudit;
  nats: RestartableNats;
  /** Every engine process of the run; the last one is running. A restart appends its new process. */
  engines: EngineProcess[];
  dataDir: string;
}

/** Carries out each disruption at its time and measures the recovery after it. */
async function runDisruptions(context: DisruptionContext): Promise<RecoveryFigure[]> {
  const recoveries: RecoveryFigure[] = [];
  for (const [index, disruption] of context.disruptions.entries()) {
    const wait = context.publishStartedAt + (context.times[index] ?? 0) - performance.now();
    if (wait > 0) await sleep(wait);
    const atMs = performance.now() - context.publishStartedAt;
    const unackedBefore = await unacked(context.nc);
    if (disruption.kind === 'engine-kill') recoveries.push({ kind: disruption.kind, atMs, unackedBefore, ...(await killAndRestart(context)) });
    else recoveries.push({ kind: disruption.kind, atMs, unackedBefore, ...(await restartServer(context, disruption)) });
  }
  return recoveries;
}

/** Kills the running engine with SIGKILL, spawns a new one on the same data folder and times it. */
async function killAndRestart(context: DisruptionContext): Promise<Pick<RecoveryFigure, 'spawnToConsumingMs' | 'engineStartupMs' | 'toFirstEventMs'>> {
  const killed = context.engines.at(-1) as EngineProcess;
  await killed.consuming;
  await killed.kill();

  const next = spawnEngine({ natsUrl: context.nats.url, dataDir: context.dataDir });
  context.engines.push(next);
  const spawnToConsumingMs = await next.consuming;
  const eventAt = await Promise.race([context.audit.firstEventAfter(next.spawnedAt + spawnToConsumingMs), sleep(60_000).then(() => undefined)]);
  const engineStartupMs = await Promise.race([next.started, sleep(5_000).then(() => undefined)]);
  return {
    spawnToConsumingMs,
    ...(engineStartupMs === undefined ? {} : { engineStartupMs }),
    ...(eventAt === undefined ? {} : { toFirstEventMs: eventAt - next.spawnedAt }),
  };
}

/** Restarts nats-server with the disruption's signal and times it until the engine publishes again. */
async function restartServer(context: DisruptionContext, disruption: Extract<Disruption, { kind: 'nats-restart' }>): Promise<Pick<RecoveryFigure, 'serverDownMs' | 'toFirstEventMs'>> {
  const serverDownMs = await context.nats.restart(disruption.signal, disruption.downForMs);
  const backAt = performance.now();
  const eventAt = await Promise.race([context.audit.firstEventAfter(backAt), sleep(60_000).then(() => undefined)]);
  return { serverDownMs, ...(eventAt === undefined ? {} : { toFirstEventMs: eventAt - backAt }) };
}

/** Registers the network and waits until the engine has applied every registration (bounded, 30 s). */
async function registerAndWait(nc: NatsConnection, network: CrashNetwork): Promise<void> {
  const pending = new Set<string>(network.nodes.map((node) => node.nodeId));
  const subscription = nc.subscribe('sy.evt.node.*.registered', {
    callback: (error, message) => {
      if (error === null) pending.delete(message.subject.split('.')[3] ?? '');
    },
  });
  try {
    await registerNodes(nc, network.nodes, network.inventory, 'crash');
    const deadline = performance.now() + 30_000;
    while (pending.size > 0 && performance.now() < deadline) await sleep(50);
    if (pending.size > 0) throw new Error(`nodes ${[...pending].join(', ')} were not registered within 30 s`);
  } finally {
    subscription.unsubscribe();
  }
}

/** Returns the commands delivered to the engine's consumer and not yet acknowledged, or -1 when the request failed. */
async function unacked(nc: NatsConnection): Promise<number> {
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.consumers.info(COMMAND_STREAM, 'engine')).num_ack_pending;
  } catch {
    return -1;
  }
}

/** Returns seeded disruption times in the middle 80% of the window, sorted, at least `minGapMs` apart when the window allows. */
export function disruptionTimes(seed: number, count: number, windowMs: number, minGapMs: number): number[] {
  const random = mulberry32(seed ^ 0x5eed);
  const from = windowMs * 0.1;
  const span = windowMs * 0.8;
  const gap = count > 1 ? Math.min(minGapMs, span / (count - 1)) : 0;
  const free = Math.max(0, span - gap * (count - 1));
  const offsets = Array.from({ length: count }, () => random() * free).sort((a, b) => a - b);
  return offsets.map((offset, index) => from + offset + gap * index);
}
