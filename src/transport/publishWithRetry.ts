import type { JetStreamClient } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging.ts';

/** Options for `publishWithRetry`. */
export interface RetryOptions {
  /** How long to keep retrying before giving up, in ms. Default 60,000. */
  giveUpAfterMs?: number;
  /** Receives each failed attempt; nothing is logged without it. */
  logger?: Logger;
}

/**
 * Publishes to JetStream and retries a publish whose outcome is unknown (a timeout, no
 * responders while the server restarts or elects a leader) with the same message id, which
 * the stream deduplicates inside its window. Backs off from 50 ms to 2 s between attempts.
 */
export async function publishWithRetry(js: JetStreamClient, subject: string, data: Uint8Array, msgId: string, options: RetryOptions = {}): Promise<void> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await js.publish(subject, data, { msgID: msgId, timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() >= giveUpAt) throw error;
      options.logger?.warn({ subject, msgId, attempt, err: (error as Error).message }, 'publish failed; retrying with the same message id');
      await sleep(Math.min(2_000, 50 * 2 ** Math.min(attempt, 6)));
    }
  }
}
