import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMMAND_STREAM } from '../../../src/transport/subjects.ts';

/**
 * Waits until the engine's consumer has acknowledged every command up to stream sequence `seq`
 * (its ack floor reached it and nothing is pending). Raises after `timeoutMs` (default 60,000).
 */
export async function waitUntilAcked(nc: NatsConnection, seq: number, timeoutMs = 60_000, consumerName = 'engine'): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    const info = await jsm.consumers.info(COMMAND_STREAM, consumerName);
    if (info.ack_floor.stream_seq >= seq && info.num_ack_pending === 0 && info.num_pending === 0) return;
    last = `ack floor ${info.ack_floor.stream_seq}, unacked ${info.num_ack_pending}, pending ${info.num_pending}`;
    await sleep(100);
  }
  throw new Error(`the engine did not acknowledge command sequence ${seq} within ${timeoutMs} ms (${last})`);
}
