import type { JetStreamClient } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging.ts';
import type { OutboxEntry } from '../storage/engineStore.ts';

/** Attempts per message before a batch gives up and is redelivered. */
const MAX_ATTEMPTS = 8;

/**
 * Publishes outbox entries to JetStream concurrently, each with its message id. A publish
 * whose outcome is unknown (timeout, no responders during an election) is retried with the
 * same id, which the stream deduplicates inside its window.
 */
export async function publishAll(js: JetStreamClient, entries: readonly OutboxEntry[], logger: Logger): Promise<void> {
  await Promise.all(entries.map((entry) => publishOne(js, entry, logger)));
}

async function publishOne(js: JetStreamClient, entry: OutboxEntry, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await js.publish(entry.subject, entry.data, { msgID: entry.msgId, timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      logger.warn({ subject: entry.subject, msgId: entry.msgId, attempt, err: (error as Error).message }, 'publish failed; retrying with the same message id');
      await sleep(Math.min(2_000, 50 * 2 ** attempt));
    }
  }
}
