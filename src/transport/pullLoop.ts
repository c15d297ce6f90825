import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging.ts';

/** Options for `startPullLoop`. */
export interface PullLoopOptions {
  /** Messages asked for per pull request. Default 1,000. */
  batch?: number;
  /** Lifetime of each pull request, in ms. Default 1,000. */
  expiresMs?: number;
  /** Pulling pauses while this returns true, for back pressure. */
  paused?: () => boolean;
  logger: Logger;
}

/** A running pull loop; `stop()` ends it and waits for the pull in progress. */
export interface PullLoop {
  stop(): Promise<void>;
}

/**
 * Pulls from a JetStream consumer for as long as it runs and hands each message to `onMessage`
 * as it arrives. Each pull expires after `expiresMs`, so a pull left behind by a stopped
 * process is short-lived, and a failed pull is retried after a short pause.
 */
export function startPullLoop(consumer: Consumer, onMessage: (message: JsMsg) => void, options: PullLoopOptions): PullLoop {
  let stopped = false;
  let current: ConsumerMessages | undefined;

  const run = async (): Promise<void> => {
    while (!stopped) {
      if (options.paused?.() === true) {
        await sleep(5);
        continue;
      }
      try {
        current = await consumer.fetch({ max_messages: options.batch ?? 1_000, expires: options.expiresMs ?? 1_000 });
        for await (const message of current) onMessage(message);
      } catch (error) {
        if (stopped) return;
        options.logger.warn({ err: error }, 'pulling messages failed; retrying');
        await sleep(250);
      } finally {
        current = undefined;
      }
    }
  };
  const running = run();

  return {
    stop: async () => {
      stopped = true;
      await current?.close();
      await running;
    },
  };
}
