/**
 * Raw baselines of the transport and storage the engine is built on, measured with the same
 * client and a 300-byte msgpack payload, so end-to-end figures can be read against them.
 *
 *   npx tsx bench/baselines.bench.ts [--duration-ms 1500] [--runs 3]
 */
import { parseArgs } from 'node:util';

import { startNatsServer } from '../src/transport/natsServer.ts';
import { repeatRuns } from './lib/drivers.ts';
import { figureFromRuns } from './lib/figures.ts';
import { measureLmdbBatchedPut } from './lib/lmdbBaseline.ts';
import { describeMachine } from './lib/machine.ts';
import { runMicro } from './lib/micro.ts';
import { measureJetStreamPublish, measurePullFetch, measureRequestReply } from './lib/natsBaselines.ts';
import { makeOrderEventPayload, messagePackr, DEFAULT_PAYLOAD_BYTES } from './lib/payload.ts';
import { makeResult, writeResult, type Figure } from './lib/results.ts';
import { printTable } from './lib/table.ts';

/** Options of {@link runBaselines}. */
export interface BaselineOptions {
  /** A running nats-server with JetStream; when omitted, one is started on loopback and stopped after. */
  readonly natsUrl?: string;
  /** Measured window of each run, in milliseconds. Default 1500. */
  readonly durationMs?: number;
  /** Repeated runs per case, for the noise estimate. Default 3. */
  readonly runs?: number;
  /** Messages drained per pull-fetch run. Default 30,000. */
  readonly fetchMessages?: number;
  /** Payload size in bytes. Default 300. */
  readonly payloadBytes?: number;
  /** Prints a line before each case. Default false. */
  readonly verbose?: boolean;
}

/**
 * Measures msgpack encode/decode, NATS request/reply (1 and 64 in flight, and paced at 1,000/s),
 * JetStream publish (1 and 64 in flight), JetStream pull fetch with ack and LMDB batched put with
 * flush, and returns one figure per case.
 */
export async function runBaselines(options: BaselineOptions = {}): Promise<Figure[]> {
  const durationMs = options.durationMs ?? 1500;
  const runs = options.runs ?? 3;
  const payloadBytes = options.payloadBytes ?? DEFAULT_PAYLOAD_BYTES;
  const { event, encoded: payload } = makeOrderEventPayload(payloadBytes);
  const log = (text: string): void => {
    if (options.verbose === true) console.log(text);
  };

  const server = options.natsUrl === undefined ? await startNatsServer() : undefined;
  const url = options.natsUrl ?? server?.url;
  if (url === undefined) throw new Error('no NATS url: natsUrl was not given and no server was started');

  try {
    log('msgpack encode/decode');
    const figures = await runMicro(
      [
        { name: `msgpack pack ${payloadBytes} B`, fn: () => messagePackr.pack(event) },
        { name: `msgpack unpack ${payloadBytes} B`, fn: (): unknown => messagePackr.unpack(payload) },
      ],
      { timeMs: Math.min(durationMs, 1000), runs },
    );
    const params = { payloadBytes };

    for (const inFlight of [1, 64]) {
      log(`request/reply, ${inFlight} in flight`);
      const results = await repeatRuns(runs, () => measureRequestReply({ url, payload, durationMs, inFlight }));
      figures.push(figureFromRuns(`nats request/reply, ${inFlight} in flight`, results, { ...params, inFlight }));
    }

    const ratePerSec = 1000;
    log(`request/reply, paced at ${ratePerSec}/s`);
    const paced = await repeatRuns(runs, () => measureRequestReply({ url, payload, durationMs, inFlight: 1, ratePerSec }));
    figures.push(figureFromRuns(`nats request/reply, paced ${ratePerSec}/s`, paced, { ...params, ratePerSec, latency: 'corrected for coordinated omission' }));

    for (const inFlight of [1, 64]) {
      log(`jetstream publish, ${inFlight} in flight`);
      let run = 0;
      const results = await repeatRuns(runs, () => measureJetStreamPublish({ url, payload, durationMs, inFlight, stream: `BENCH_PUB_${inFlight}_${run++}` }));
      figures.push(figureFromRuns(`jetstream publish+ack, ${inFlight} in flight`, results, { ...params, inFlight, storage: 'file' }));
    }

    const fetchBatch = 256;
    const messages = options.fetchMessages ?? 30_000;
    log(`jetstream pull fetch, batch ${fetchBatch}`);
    let fetchRun = 0;
    const fetched = await repeatRuns(runs, () => measurePullFetch({ url, payload, stream: `BENCH_FETCH_${fetchRun++}`, messages, batch: fetchBatch }));
    figures.push(figureFromRuns(`jetstream pull fetch+ack, batch ${fetchBatch}`, fetched, { ...params, batch: fetchBatch, messages, latency: 'per fetch' }));

    for (const batch of [1, 64]) {
      log(`lmdb batched put, batch ${batch}`);
      const results = await repeatRuns(runs, () => measureLmdbBatchedPut({ payload, batch, durationMs }));
      figures.push(figureFromRuns(`lmdb put+flushed, batch ${batch}`, results, { ...params, batch, latency: 'per batch', store: 'fresh' }));
    }
    return figures;
  } finally {
    await server?.stop();
  }
}

/** Prints figures as a table: throughput and latency percentiles in microseconds. */
export function printFigures(figures: readonly Figure[], title: string): void {
  const rows = figures.map((figure) => {
    const value = (name: string): number | string => figure.metrics[name]?.value ?? '';
    return [figure.name, value('throughput'), value('latencyP50Us'), value('latencyP99Us'), value('latencyP999Us'), value('latencyMaxUs')];
  });
  printTable(['case', 'ops/s', 'p50 us', 'p99 us', 'p99.9 us', 'max us'], rows, title);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'duration-ms': { type: 'string', default: '1500' }, runs: { type: 'string', default: '3' } } });
  const durationMs = Number(values['duration-ms']);
  const runs = Number(values.runs);
  if (!(durationMs > 0)) throw new Error(`--duration-ms must be a positive number, got "${values['duration-ms']}"`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${values.runs}"`);

  const result = makeResult('baselines', []);
  console.log(`baselines on ${describeMachine(result.machine)}`);
  const figures = await runBaselines({ durationMs, runs, verbose: true });
  printFigures(figures, 'baselines (median of runs)');
  console.log(`\nwrote ${await writeResult({ ...result, figures })}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
