import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from '../logging.ts';
import type { OutboxEntry } from '../storage/engineStore.ts';
import { publishWithRetry } from '../transport/publishWithRetry.ts';

/**
 * Publishes outbox entries to JetStream concurrently, each with its message id, retrying
 * a publish whose outcome is unknown for up to a minute before the batch is given up.
 */
export async function publishAll(js: JetStreamClient, entries: readonly OutboxEntry[], logger: Logger): Promise<void> {
  await Promise.all(entries.map((entry) => publishWithRetry(js, entry.subject, entry.data, entry.msgId, { logger })));
}
