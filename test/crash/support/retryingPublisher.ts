import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import { encode } from '../../../src/transport/codec.ts';
import type { ScheduledCommand } from './crashWorkload.ts';

/** Options for `publishWithRetry`. */
export interface RetryOptions {
  /** Timeout of one publish attempt, in ms. Default 5,000. */
  attemptTimeoutMs?: number;
  /** Time after which the publish gives up, in ms from the first attempt. Default 90,000. */
  giveUpAfterMs?: number;
}

/**
 * Publishes to JetStream with a message id and retries every failure (timeout, no responders,
 * lost connection) with the same id until the stream acknowledges it. An attempt whose outcome
 * is unknown may have been stored, and the stream drops such a copy inside its duplicate window.
 * Returns the acknowledgement and the number of retries.
 */
export async function publishWithRetry(js: JetStreamClient, subject: string, data: Uint8Array, msgId: string, options: RetryOptions = {}): Promise<{ ack: PubAck; retries: number }> {
  const giveUpAt = performance.now() + (options.giveUpAfterMs ?? 90_000);
  for (let retries = 0; ; retries++) {
    try {
      const ack = await js.publish(subject, data, { msgID: msgId, timeout: options.attemptTimeoutMs ?? 5_000 });
      return { ack, retries };
    } catch (error) {
      if (performance.now() > giveUpAt) throw new Error(`publish of ${msgId} to ${subject} failed after ${retries + 1} attempts: ${(error as Error).message}`, { cause: error });
      await sleep(Math.min(1_000, 50 * 2 ** Math.min(retries, 5)));
    }
  }
}

/** What `publishSchedule` did. */
export interface ScheduleResult {
  published: number;
  /** Publishes the stream reported as duplicates of an earlier message id. */
  duplicates: number;
  retries: number;
  /** Largest lag of a publish behind its scheduled time, in ms. */
  maxLagMs: number;
}

/** Options for `publishSchedule`. */
export interface ScheduleOptions {
  /** Publishes awaiting their acknowledgement at once. Default 128. */
  maxInFlight?: number;
  /** Called after each command is handed to the client, with its index. */
  onProgress?: (index: number) => void;
  retry?: RetryOptions;
}

/**
 * Publishes each command at its `atMs` after the call (open loop: a slow acknowledgement does
 * not delay later commands unless `maxInFlight` publishes are waiting) and resolves when every
 * publish is acknowledged. Raises the first publish that gave up.
 */
export async function publishSchedule(js: JetStreamClient, commands: readonly ScheduledCommand[], options: ScheduleOptions = {}): Promise<ScheduleResult> {
  const maxInFlight = options.maxInFlight ?? 128;
  const inFlight = new Set<Promise<void>>();
  const result: ScheduleResult = { published: 0, duplicates: 0, retries: 0, maxLagMs: 0 };
  let failure: Error | undefined;
  const startedAt = performance.now();

  for (const [index, command] of commands.entries()) {
    if (failure !== undefined) break;
    const wait = startedAt + command.atMs - performance.now();
    if (wait > 1) await sleep(wait);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    result.maxLagMs = Math.max(result.maxLagMs, performance.now() - startedAt - command.atMs);

    const publish = publishWithRetry(js, command.subject, encode(command.message), command.msgId, options.retry)
      .then(
        ({ ack, retries }) => {
          result.published++;
          result.retries += retries;
          if (ack.duplicate) result.duplicates++;
        },
        (error: unknown) => {
          failure ??= error as Error;
        },
      )
      .finally(() => inFlight.delete(publish));
    inFlight.add(publish);
    options.onProgress?.(index);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return result;
}
