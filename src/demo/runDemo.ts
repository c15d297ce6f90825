import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar, Presets } from 'cli-progress';
import { FulfillmentNodeSchema } from '../domain/node.ts';
import { computeDemand, generateNetwork } from '../data/network.ts';
import { readUciRecords, BUNDLED_UCI_PATH } from '../data/uciReader.ts';
import type { UciRecord } from '../data/uciRecord.ts';
import { Engine } from '../engine/engine.ts';
import type { Logger } from '../logging.ts';
import { CommandPublisher } from '../publish/commandPublisher.ts';
import type { RuleSet } from '../sourcing/types.ts';
import { openEngineStore } from '../storage/engineStore.ts';
import { connectNats } from '../transport/connection.ts';
import { resolveNats } from '../transport/natsEndpoint.ts';
import { COMMAND_STREAM, WORK_STREAM } from '../transport/subjects.ts';
import { EventObserver } from './observer.ts';
import { Replenishment } from './replenishment.ts';
import { startSimulatedAgents } from './simulatedAgents.ts';
import { reasonCategory, summarize, type DemoSummary } from './summary.ts';

/** Options of the demo replay. */
export interface DemoOptions {
  /** UCI CSV file or folder; the bundled subset by default. */
  dataPath?: string;
  /** First and last local invoice date to replay, `YYYY-MM-DD`. */
  fromDate?: string;
  toDate?: string;
  /** Simulated milliseconds per real millisecond for placement times and node work. */
  speedup: number;
  /** Seed of the generated network. */
  seed: number;
  /** Share of allocations the simulated agents reject. */
  rejectRate: number;
  /** Simulated days between restocks of distribution centers and dropship vendors; 0 never restocks. */
  replenishEveryDays: number;
  /** NATS server URL; a local nats-server is started when undefined. */
  natsUrl: string | undefined;
  /** Folder for this run's LMDB files, JetStream store and summary; emptied first. */
  dataDir: string;
  rules: RuleSet;
  /** Maximum wait for the orders to settle after the last publish, in seconds. */
  settleTimeoutSeconds: number;
  /** Show a progress bar on stderr. */
  progress: boolean;
  logger: Logger;
}

/** Result of a demo run. */
export interface DemoResult {
  summary: DemoSummary;
  summaryPath: string;
  settled: boolean;
}

/**
 * Replays real orders end to end: starts (or uses) NATS, the engine with its node actors,
 * one simulated agent per node, publishes the orders and cancellations faster than real
 * time, waits until every order has settled and summarizes what happened.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dataDir = resolve(options.dataDir);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const { logger } = options;

  const read = () => readUciRecords({ path: options.dataPath ?? BUNDLED_UCI_PATH, ...(options.fromDate === undefined ? {} : { fromDate: options.fromDate }), ...(options.toDate === undefined ? {} : { toDate: options.toDate }) });
  const dataPath = options.dataPath ?? BUNDLED_UCI_PATH;
  if (!existsSync(dataPath)) throw new Error(`--data "${dataPath}": file or folder not found; expected a UCI Online Retail CSV file (plain or gzip) or a folder of them`);
  if (options.fromDate !== undefined && options.toDate !== undefined && options.toDate < options.fromDate) {
    throw new Error(`--to ${options.toDate} is before --from ${options.fromDate}; expected a date range from the earlier date to the later one`);
  }
  const records: UciRecord[] = [];
  for await (const record of read()) records.push(record);
  if (!records.some((record) => record.kind === 'order')) {
    const range = `${options.fromDate ?? 'the first day'} to ${options.toDate ?? 'the last day'}`;
    throw new Error(`no orders to replay from ${range} in ${dataPath}; the bundled data covers 2010-12-01 to 2010-12-23`);
  }
  const demand = await computeDemand(records);
  const network = generateNetwork({ seed: options.seed, demand });
  const nodes = network.nodes.map((node) => FulfillmentNodeSchema.parse(node));

  const endpoint = await resolveNats(options.natsUrl, dataDir, logger);
  const nc = await connectNats({ url: endpoint.url, name: 'switchyard-demo', logger });
  const store = openEngineStore({ path: join(dataDir, 'lmdb') });
  let engine: Engine | undefined;
  let simulation: Awaited<ReturnType<typeof startSimulatedAgents>> | undefined;
  const observer = new EventObserver(nc);
  try {
    engine = await Engine.start({ nc, store, rules: options.rules, logger });
    await engine.seedNetwork(nodes, network.inventory);
    simulation = await startSimulatedAgents({ nc, nodeIds: nodes.map((n) => n.nodeId), logger, speedup: options.speedup, rejectRate: options.rejectRate });

    const replenishment = new Replenishment(nc, nodes, network.inventory);
    const figures = await replay(nc, records, options, observer, replenishment);
    replenishment.stop();
    const settled = await waitUntilSettled(nc, engine, simulation, options.settleTimeoutSeconds, logger);

    const decision = engine.metrics.decisionNanos;
    const summary = summarize(store, {
      ...figures,
      cancelsRejected: observer.rejectedCommands.get('order.cancel') ?? 0,
      decision: { p50: decision.getValueAtPercentile(50) / 1000, p99: decision.getValueAtPercentile(99) / 1000, count: decision.totalCount },
      placedToAllocated: {
        p50: observer.placedToAllocated.getValueAtPercentile(50) / 1000,
        p99: observer.placedToAllocated.getValueAtPercentile(99) / 1000,
        count: observer.placedToAllocated.totalCount,
      },
    });
    const summaryPath = join(dataDir, 'summary.json');
    await writeFile(summaryPath, `${JSON.stringify({ ...summary, nodes: nodes.length, settled, date: new Date().toISOString() }, null, 2)}\n`);
    return { summary, summaryPath, settled };
  } finally {
    observer.stop();
    await simulation?.stop();
    await engine?.stop();
    await store.close();
    await nc.drain();
    await endpoint.stop();
  }
}

async function replay(nc: NatsConnection, records: UciRecord[], options: DemoOptions, observer: EventObserver, replenishment: Replenishment) {
  const publisher = new CommandPublisher(nc);
  const publisherRejections = new Map<string, number>();
  let cancelsPublished = 0;
  let cancelsUnmatched = 0;
  const bar = options.progress ? new SingleBar({ format: 'replay |{bar}| {value}/{total} records | {date}', hideCursor: true }, Presets.shades_classic) : undefined;
  bar?.start(records.length, 0, { date: '' });

  const firstAt = firstPlacement(records);
  const startedAt = performance.now();
  let lastRestockDay = 0;
  for (const [index, record] of records.entries()) {
    let placedAt: string | undefined;
    if (record.kind === 'order') placedAt = record.order.placedAt;
    else if (record.kind === 'cancel') placedAt = record.placedAt;
    if (placedAt !== undefined) {
      const due = startedAt + (Date.parse(placedAt) - firstAt) / options.speedup;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const day = Math.floor((Date.parse(placedAt) - firstAt) / 86_400_000);
      if (options.replenishEveryDays > 0 && day - lastRestockDay >= options.replenishEveryDays) {
        lastRestockDay = day;
        await replenishment.restock(placedAt.slice(0, 10));
      }
    }

    if (record.kind === 'order') {
      observer.placed(String(record.order.orderId));
      const result = await publisher.placeOrder(record.order);
      if (!result.ok) countReason(publisherRejections, result.reason);
    } else if (record.kind === 'cancel') {
      const result = await publisher.cancelOrder(record.orderId, record.reason, record.lines, `cancel:${record.invoiceNo}`);
      if (result.ok) cancelsPublished++;
      else countReason(publisherRejections, result.reason);
    } else if (record.recordId.startsWith('C')) {
      cancelsUnmatched++;
    } else {
      countReason(publisherRejections, record.reason);
    }
    if (index % 50 === 0) bar?.update(index + 1, { date: placedAt?.slice(0, 10) ?? '' });
  }
  await publisher.drain();
  bar?.update(records.length);
  bar?.stop();
  return { publisherRejections, cancelsPublished, cancelsUnmatched, receiptsPublished: replenishment.receiptsPublished };
}

function countReason(reasons: Map<string, number>, reason: string): void {
  const category = reasonCategory(reason);
  reasons.set(category, (reasons.get(category) ?? 0) + 1);
}

function firstPlacement(records: UciRecord[]): number {
  for (const record of records) {
    if (record.kind === 'order') return Date.parse(record.order.placedAt);
    if (record.kind === 'cancel') return Date.parse(record.placedAt);
  }
  return 0;
}

/** Waits until no command, work or simulated step is pending for a whole second. */
async function waitUntilSettled(
  nc: NatsConnection,
  engine: Engine,
  simulation: { inFlight: number },
  timeoutSeconds: number,
  logger: Logger,
): Promise<boolean> {
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + timeoutSeconds * 1000;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    const commands = await jsm.consumers.info(COMMAND_STREAM, 'engine');
    let work = 0;
    for await (const consumer of jsm.consumers.list(WORK_STREAM)) work += consumer.num_pending + consumer.num_ack_pending;
    const busy = commands.num_pending + commands.num_ack_pending + work + engine.backlog + simulation.inFlight;
    if (busy === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= 1000) return true;
    } else {
      quietSince = undefined;
    }
    await sleep(200);
  }
  logger.warn({ timeoutSeconds }, 'orders did not settle before the timeout');
  return false;
}
