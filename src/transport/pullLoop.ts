import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../logging.ts';

/** Options for `startPullLoop`. */
export interface PullLoopOptions {
  /** Messages asked for per pull request. Default 1,000. */
  batch?: number;
  /** Lifetime of each pull request, in ms. Default 2,000. */
  expiresMs?: number;
  logger: Logger;
}

/** A running pull loop; `stop()` ends it. */
export interface PullLoop {
  stop(): Promise<void>;
}

/**
 * Pulls from a JetStream consumer with the client's `consume()` and hands each message to
 * `onMessage` as it arrives. `consume()` renews its pull requests itself and, unlike
 * `fetch()`, resets rather than fails when idle heartbeats are missed while the event loop
 * is busy. Pull requests expire after `expiresMs`, so one left behind by a stopped process is
 * short-lived.
 */
export async function startPullLoop(consumer: Consumer, onMessage: (message: JsMsg) => void, options: PullLoopOptions): Promise<PullLoop> {
  const messages: ConsumerMessages = await consumer.consume({
    max_messages: options.batch ?? 1_000,
    expires: options.expiresMs ?? 2_000,
    callback: onMessage,
  });
  void watch(messages, options.logger);
  return { stop: () => messages.close().then(() => undefined) };
}

async function watch(messages: ConsumerMessages, logger: Logger): Promise<void> {
  for await (const status of messages.status()) {
    if (status.type === 'consumer_not_found' || status.type === 'consumer_deleted') logger.warn({ status: status.type }, 'pull consumer status');
    else logger.debug({ status: status.type }, 'pull consumer status');
  }
}
