import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from '../../../src/transport/natsServer.ts';

/** A nats-server that can be stopped and started again on the same port and JetStream store. */
export interface RestartableNats {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Restarts the server: SIGTERM (clean) or SIGKILL. Returns how long it was down, in ms. */
  restart(signal: 'SIGTERM' | 'SIGKILL', downForMs?: number): Promise<number>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/**
 * Starts nats-server with JetStream on a free loopback port and a temp store that survives
 * restarts. Each restart passes the first run's port again, because the last `-p` wins.
 */
export async function startRestartableNats(): Promise<RestartableNats> {
  const storeDir = await mkdtemp(join(tmpdir(), 'switchyard-crash-nats-'));
  let server: NatsServerHandle = await startNatsServer({ storeDir });
  const port = server.port;

  const restart = async (signal: 'SIGTERM' | 'SIGKILL', downForMs = 0): Promise<number> => {
    const stoppedAt = performance.now();
    if (signal === 'SIGKILL') {
      const exited = new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
      server.process.kill('SIGKILL');
      await exited;
    }
    await server.stop();
    if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
    server = await startNatsServer({ storeDir, args: ['-p', String(port)] });
    if (server.port !== port) throw new Error(`nats-server restarted on port ${server.port}; expected ${port}`);
    return performance.now() - stoppedAt;
  };

  return {
    url: server.url,
    port,
    storeDir,
    restart,
    stop: async () => {
      await server.stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
