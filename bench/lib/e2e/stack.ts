import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { registerNodes } from '../../../src/publish/registerNodes.ts';
import { startNatsServer, type NatsServerHandle } from '../../../src/transport/natsServer.ts';
import { ensureStreams } from '../../../src/transport/streams.ts';
import { COMMAND_STREAM, WORK_STREAM } from '../../../src/transport/subjects.ts';
import { spawnSwitchyard, type SwitchyardChild } from './childProcess.ts';
import type { BenchNetwork } from './orderWorkload.ts';

/** Options of {@link startStack}. */
export interface StackOptions {
  readonly network: BenchNetwork;
  /** Simulated time per real time of the node agents: 3,600,000 turns a simulated hour into 1 ms. */
  readonly speedup: number;
  /** Share of allocations the agents reject, 0 to 1. Default 0. */
  readonly rejectRate?: number;
  /** Engine data folder (its LMDB is `<dir>/lmdb`); a new temp folder, removed on stop, when omitted. */
  readonly engineDataDir?: string;
  /** Folder for a CPU profile of the engine child; none when omitted. */
  readonly engineProfileDir?: string;
  /** `SWITCHYARD_LOG_LEVEL` of the engine child. Default `warn`. */
  readonly engineLogLevel?: 'warn' | 'debug';
  /** Receives every JSON log line of the engine child. */
  readonly onEngineLog?: (entry: Readonly<Record<string, unknown>>) => void;
  /** Maximum wait for each process to become ready, in ms. Default 60,000. */
  readonly readyTimeoutMs?: number;
}

/** A running nats-server, engine child and agent child, and the benchmark's own connection. */
export interface Stack {
  readonly nats: NatsServerHandle;
  /** The load generator's connection (the benchmark process). */
  readonly nc: NatsConnection;
  readonly engine: SwitchyardChild;
  readonly agents: SwitchyardChild;
  readonly engineDataDir: string;
  /** Milliseconds from the first spawn to every node registered and every agent consuming. */
  readonly startupMs: number;
  /** Stops agents, engine (SIGTERM, so a CPU profile is written) and server, and removes temp folders. */
  stop(): Promise<void>;
}

/** Reference under which the benchmark registers its network (part of each register key). */
const REGISTER_REFERENCE = 'bench';

async function waitFor(what: string, timeoutMs: number, child: SwitchyardChild | undefined, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child !== undefined && !child.running) throw new Error(`${what}: the child exited first; last log lines:\n${child.tail()}`);
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

async function consumerExists(jsm: JetStreamManager, stream: string, name: string): Promise<boolean> {
  try {
    await jsm.consumers.info(stream, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the end-to-end system as separate processes: nats-server with JetStream file storage,
 * `switchyard engine` (log level warn) and `switchyard agent` serving every node. It registers
 * the network with `registerNodes` and returns once every node is registered and every agent
 * consumes its work. On a failure it stops what it started.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const started = performance.now();
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const ownsDataDir = options.engineDataDir === undefined;
  const engineDataDir = options.engineDataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-e2e-engine-')));
  const nats = await startNatsServer();
  const children: SwitchyardChild[] = [];
  let nc: NatsConnection | undefined;

  const stop = async (): Promise<void> => {
    for (const child of [...children].reverse()) await child.stop();
    await nc?.close();
    await nats.stop();
    if (ownsDataDir) await rm(engineDataDir, { recursive: true, force: true });
  };

  try {
    nc = await connect({ servers: nats.url, name: 'bench-e2e-generator', noAsyncTraces: true, maxReconnectAttempts: -1 });
    const jsm = await ensureStreams(nc);
    const baseEnv = { NATS_URL: nats.url, SWITCHYARD_LOG_LEVEL: 'warn' };

    const engine = spawnSwitchyard({
      args: ['engine'],
      env: { ...baseEnv, SWITCHYARD_DATA_DIR: engineDataDir, SWITCHYARD_LOG_LEVEL: options.engineLogLevel ?? 'warn' },
      ...(options.engineProfileDir === undefined ? {} : { cpuProfileDir: options.engineProfileDir }),
      ...(options.onEngineLog === undefined ? {} : { onLog: options.onEngineLog }),
    });
    children.push(engine);
    await waitFor('engine consumer on the command stream', timeoutMs, engine, () => consumerExists(jsm, COMMAND_STREAM, 'engine'));

    const nodeIds = options.network.nodes.map((node) => node.nodeId);
    let registered = 0;
    const registrations = nc.subscribe('sy.evt.node.*.registered', { callback: () => {
        registered += 1;
      },
    });
    await registerNodes(nc, options.network.nodes, options.network.inventory, REGISTER_REFERENCE);
    await waitFor(`registration of ${nodeIds.length} nodes`, timeoutMs, engine, () => Promise.resolve(registered >= nodeIds.length));
    registrations.unsubscribe();

    const agents = spawnSwitchyard({
      args: ['agent', '--node', ...nodeIds, '--speedup', String(options.speedup), '--reject-rate', String(options.rejectRate ?? 0)],
      env: baseEnv,
    });
    children.push(agents);
    const manager = await jetstreamManager(nc);
    for (const nodeId of nodeIds) {
      await waitFor(`agent consumer for node ${nodeId}`, timeoutMs, agents, () => consumerExists(manager, WORK_STREAM, `agent-${nodeId}`));
    }

    return { nats, nc, engine, agents, engineDataDir, startupMs: Math.round(performance.now() - started), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
