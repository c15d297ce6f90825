import { join } from 'node:path';
import type { Logger } from '../logging.ts';
import { startNatsServer } from './natsServer.ts';

/** A NATS server to use: one given by URL, or one this process started and must stop. */
export interface NatsEndpoint {
  url: string;
  /** True when this process started the server. */
  local: boolean;
  stop(): Promise<void>;
}

/**
 * Uses `url` when given; otherwise starts a local nats-server with JetStream, its store
 * under `dataDir/nats`, on a free loopback port.
 */
export async function resolveNats(url: string | undefined, dataDir: string, logger: Logger): Promise<NatsEndpoint> {
  if (url !== undefined) {
    logger.info({ url }, 'using the configured NATS server');
    return { url, local: false, stop: () => Promise.resolve() };
  }
  const server = await startNatsServer({ storeDir: join(dataDir, 'nats') });
  logger.info({ url: server.url, storeDir: server.storeDir }, 'started a local nats-server');
  return { url: server.url, local: true, stop: () => server.stop() };
}
