import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';

import { runClosedLoop, runPaced, type DriveResult } from './drivers.ts';
import { LatencyHistogram } from './histogram.ts';

/** Measurement window of one NATS case. */
export interface NatsCaseOptions {
  readonly url: string;
  readonly payload: Uint8Array;
  readonly durationMs: number;
}

/** Opens a client connection with the settings the engine uses for speed and resilience. */
export async function connectBenchClient(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, noAsyncTraces: true, maxReconnectAttempts: -1 });
}

/**
 * Measures core NATS request/reply round trips with `inFlight` outstanding requests, or, when
 * `ratePerSec` is set, one request at a time at that fixed rate (latency corrected for
 * coordinated omission).
 */
export async function measureRequestReply(options: NatsCaseOptions & { inFlight: number; ratePerSec?: number }): Promise<DriveResult> {
  if (options.ratePerSec !== undefined && options.inFlight !== 1) {
    throw new RangeError(`a paced run sends one request at a time: inFlight must be 1 with ratePerSec, got ${options.inFlight}`);
  }
  const responder = await connectBenchClient(options.url, 'bench-responder');
  const requester = await connectBenchClient(options.url, 'bench-requester');
  try {
    const subject = `bench.rr.${options.inFlight}`;
    responder.subscribe(subject, {
      callback: (error, msg) => {
        if (error === null) msg.respond(options.payload);
      },
    });
    await responder.flush();
    const request = (): Promise<unknown> => requester.request(subject, options.payload, { timeout: 5000 });
    if (options.ratePerSec !== undefined) return await runPaced(request, { ratePerSec: options.ratePerSec, durationMs: options.durationMs });
    return await runClosedLoop(request, { inFlight: options.inFlight, durationMs: options.durationMs });
  } finally {
    await requester.close();
    await responder.close();
  }
}

/** Measures JetStream publishes (file storage, awaited ack) with `inFlight` outstanding publishes. */
export async function measureJetStreamPublish(options: NatsCaseOptions & { inFlight: number; stream: string }): Promise<DriveResult> {
  const nc = await connectBenchClient(options.url, 'bench-publisher');
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: options.stream, subjects: [`${options.stream}.>`], storage: StorageType.File });
    const js = jetstream(nc);
    const subject = `${options.stream}.events`;
    const result = await runClosedLoop(() => js.publish(subject, options.payload), { inFlight: options.inFlight, durationMs: options.durationMs });
    await jsm.streams.delete(options.stream);
    return result;
  } finally {
    await nc.close();
  }
}

/** Result of a pull-consumer run: per-message throughput and per-fetch latency. */
export interface FetchResult extends DriveResult {
  readonly batch: number;
}

/**
 * Fills a file stream with `messages` messages, then drains it through a durable pull consumer
 * with explicit ack, `batch` messages per fetch. `latency` is the time of one fetch including
 * the acks of its messages; `opsPerSec` counts messages.
 */
export async function measurePullFetch(options: Omit<NatsCaseOptions, 'durationMs'> & { stream: string; messages: number; batch: number }): Promise<FetchResult> {
  const nc = await connectBenchClient(options.url, 'bench-consumer');
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: options.stream, subjects: [`${options.stream}.>`], storage: StorageType.File });
    const js = jetstream(nc);
    for (let published = 0; published < options.messages; ) {
      const chunk = Math.min(256, options.messages - published);
      await Promise.all(Array.from({ length: chunk }, () => js.publish(`${options.stream}.events`, options.payload)));
      published += chunk;
    }

    // Acks are sent without waiting for the server, so max_ack_pending leaves room for several fetches.
    await jsm.consumers.add(options.stream, { durable_name: 'bench', ack_policy: AckPolicy.Explicit, max_ack_pending: options.batch * 16 });
    const consumer = await js.consumers.get(options.stream, 'bench');
    const histogram = new LatencyHistogram();
    let received = 0;
    const started = performance.now();
    while (received < options.messages) {
      const fetchStart = performance.now();
      // The last fetch requests only the messages left, so it does not wait for `expires`.
      const messages = await consumer.fetch({ max_messages: Math.min(options.batch, options.messages - received), expires: 2000 });
      let inBatch = 0;
      for await (const message of messages) {
        message.ack();
        inBatch += 1;
      }
      if (inBatch === 0) throw new Error(`pull fetch on ${options.stream} returned no messages after ${received} of ${options.messages}`);
      histogram.recordMs(performance.now() - fetchStart);
      received += inBatch;
    }
    await nc.flush();
    const seconds = (performance.now() - started) / 1000;
    await jsm.streams.delete(options.stream);
    return { ops: received, seconds, opsPerSec: received / seconds, latency: histogram.summary(), batch: options.batch };
  } finally {
    await nc.close();
  }
}
