import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Settings } from '../config/settings.ts';
import { Engine } from '../engine/engine.ts';
import { createLogger } from '../logging.ts';
import { openEngineStore } from '../storage/engineStore.ts';
import { lockDataDir } from '../storage/dataDirLock.ts';
import { connectNats } from '../transport/connection.ts';
import { resolveNats } from '../transport/natsEndpoint.ts';
import { loadRules } from './loadRules.ts';

/**
 * Runs the engine until SIGTERM or SIGINT: connects to `NATS_URL` (or starts a local
 * server), restores its actors from LMDB under `SWITCHYARD_DATA_DIR` and consumes commands.
 */
export async function runEngineService(settings: Settings): Promise<void> {
  const logger = createLogger('engine', settings.SWITCHYARD_LOG_LEVEL);
  await mkdir(settings.SWITCHYARD_DATA_DIR, { recursive: true }).catch((error: unknown) => {
    throw new Error(`SWITCHYARD_DATA_DIR="${settings.SWITCHYARD_DATA_DIR}" cannot be used as a folder: ${(error as Error).message}`);
  });
  const lock = lockDataDir(settings.SWITCHYARD_DATA_DIR);
  const rules = await loadRules(settings.SWITCHYARD_RULES);
  const endpoint = await resolveNats(settings.NATS_URL, settings.SWITCHYARD_DATA_DIR, logger);
  const nc = await connectNats({ url: endpoint.url, name: 'switchyard-engine', logger });
  const store = openEngineStore({ path: join(settings.SWITCHYARD_DATA_DIR, 'lmdb') });
  const started = Date.now();
  const engine = await Engine.start({ nc, store, rules, logger });
  logger.info({ startupMs: Date.now() - started, url: endpoint.url }, 'engine started');

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info('engine stopping');
  await engine.stop();
  await store.close();
  await nc.drain();
  await endpoint.stop();
  lock.release();
}
