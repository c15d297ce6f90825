import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logging.ts';

/** Options for `connectNats`. */
export interface ConnectOptions {
  /** Server URL, such as `nats://127.0.0.1:4222`. */
  url: string;
  /** Connection name shown by the server's monitoring. */
  name: string;
  logger: Logger;
}

/**
 * Connects with reconnects that never give up, and logs every disconnect and reconnect
 * with the server and how long the outage lasted.
 */
export async function connectNats(options: ConnectOptions): Promise<NatsConnection> {
  const nc = await connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    noAsyncTraces: true,
    pingInterval: 10_000,
  });
  void watchStatus(nc, options.logger);
  return nc;
}

async function watchStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  let disconnectedAt: number | undefined;
  for await (const status of nc.status()) {
    switch (status.type) {
      case 'disconnect':
        disconnectedAt ??= Date.now();
        logger.warn({ server: status.server }, 'NATS connection lost; reconnecting');
        break;
      case 'reconnect': {
        const outageMs = disconnectedAt === undefined ? 0 : Date.now() - disconnectedAt;
        disconnectedAt = undefined;
        logger.info({ server: status.server, outageMs }, 'NATS connection restored');
        break;
      }
      case 'error':
        logger.error({ err: status.error }, 'NATS connection error');
        break;
      default:
        logger.debug({ status: status.type }, 'NATS connection status');
    }
  }
}
